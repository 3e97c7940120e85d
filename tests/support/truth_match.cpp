#include "truth_match.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>

namespace tessie::testing {

double ParseMs(const std::string& iso) {
  int tz = 0;
  return static_cast<double>(
      Poco::DateTimeParser::parse(Poco::DateTimeFormat::ISO8601_FORMAT, iso, tz).timestamp().epochMicroseconds() /
          1000 -
      tz * 1000LL);
}

namespace {

std::vector<TruthMatch> Match(const Poco::JSON::Array::Ptr& truth, const Poco::JSON::Array::Ptr& host,
                              const char* start_key, const char* end_key, double late_start_ms, double min_duration_s) {
  std::vector<TruthMatch> out;
  for (std::size_t i = 0; i < truth->size(); ++i) {
    TruthMatch m;
    m.truth = truth->getObject(static_cast<unsigned>(i));
    if (m.truth->has("duration_s") && m.truth->getValue<double>("duration_s") < min_duration_s) continue;
    m.start_ms = ParseMs(m.truth->getValue<std::string>("start"));
    m.end_ms = ParseMs(m.truth->getValue<std::string>("end"));
    for (std::size_t k = 0; k < host->size(); ++k) {
      TruthMatch::Found f;
      f.record = host->getObject(static_cast<unsigned>(k));
      f.start_ms = ParseMs(f.record->getValue<std::string>(start_key));
      f.end_ms = f.record->isNull(end_key) ? f.start_ms : ParseMs(f.record->getValue<std::string>(end_key));
      if (f.start_ms > m.end_ms + late_start_ms || f.end_ms < m.start_ms) continue;
      m.found.push_back(f);
    }
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

std::vector<TruthMatch> MatchDrives(const Poco::JSON::Array::Ptr& truth, const Poco::JSON::Array::Ptr& host,
                                    double min_duration_s) {
  return Match(truth, host, "start_time", "end_time", 0, min_duration_s);
}

std::vector<TruthMatch> MatchCharges(const Poco::JSON::Array::Ptr& truth, const Poco::JSON::Array::Ptr& host,
                                     double late_start_ms) {
  return Match(truth, host, "started_at", "ended_at", late_start_ms, 0);
}

}  // namespace tessie::testing
