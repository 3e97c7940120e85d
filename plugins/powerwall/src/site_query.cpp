#include "site_query.hpp"

#include <limits>
#include <map>
#include <optional>

#include "tessie/sdk/query.hpp"
#include "tessie/sdk/resolution.hpp"

namespace tessie::powerwall {
namespace {

using sdk::HttpError;
namespace query = sdk::query;

constexpr std::int64_t kDayMs = 86'400'000;

}  // namespace

std::int64_t ParseSiteId(const std::string& text) {
  // Digits only; 19 digits beyond INT64_MAX made std::stoll throw (a 500).
  const auto id = text.empty() || text[0] == '-' ? std::nullopt
                                                 : query::ParseInt(text, 0, std::numeric_limits<std::int64_t>::max());
  if (!id) {
    throw HttpError::BadRequest("'" + text + "' is not an energy site id: use the numeric energy_site_id from " +
                                "GET /api/energy/sites");
  }
  return *id;
}

std::int64_t ParseSiteTime(const sdk::HttpRequest& request, const char* name, const local_time::Zone& zone,
                           std::int64_t fallback) {
  // Not TimeRangeParams: a bare date as `to` has always been that local midnight (exclusive) on these routes.
  return query::ZonedTimeParam(request, name, zone).value_or(fallback);
}

HistoryQuery ParseHistoryQuery(const sdk::HttpRequest& request, const local_time::Zone& zone, std::int64_t now_ms) {
  using Asked = query::Resolution;
  const Asked asked =
      query::ResolutionParam(request, "resolution", Asked::k1h, {Asked::k5m, Asked::k1h, Asked::k1d, Asked::k1mo});
  HistoryQuery q;
  q.resolution = *FromQuery(asked);  // set for every allowed value
  const std::string resolution_text(query::ResolutionName(asked));
  struct Limits {
    std::int64_t default_ms;
    std::int64_t max_ms;
    const char* max_text;
  };
  static const std::map<Resolution, Limits> kLimits = {
      {Resolution::kFiveMinutes, {kDayMs, 31 * kDayMs, "31 days"}},
      {Resolution::kHour, {7 * kDayMs, 367 * kDayMs, "a year"}},  // 8,784 hourly points: a chart of a year
      {Resolution::kDay, {31 * kDayMs, 3700 * kDayMs, "10 years"}},
      {Resolution::kMonth, {366 * kDayMs, 100 * (366 * kDayMs), "100 years"}},
  };
  const Limits& limits = kLimits.at(q.resolution);
  q.to_ms = ParseSiteTime(request, "to", zone, now_ms);
  q.from_ms = ParseSiteTime(request, "from", zone, q.to_ms - limits.default_ms);
  if (q.to_ms <= q.from_ms) throw HttpError::BadRequest("'to' must be after 'from'");
  if (q.to_ms - q.from_ms > limits.max_ms) {
    throw HttpError::BadRequest(std::string("at resolution ") + resolution_text + " ask for at most " +
                                limits.max_text + " at a time (or use a coarser resolution)");
  }
  static const std::map<std::string, HistoryBody::Detail> kDetails = {{"main", HistoryBody::Detail::kMain},
                                                                      {"breakdown", HistoryBody::Detail::kBreakdown},
                                                                      {"flows", HistoryBody::Detail::kFlows}};
  const auto detail = kDetails.find(request.Query("detail").value_or("main"));
  if (detail == kDetails.end()) throw HttpError::BadRequest("detail must be main, breakdown or flows");
  q.detail = detail->second;
  return q;
}

TimeRange ParseOutageRange(const sdk::HttpRequest& request, const local_time::Zone& zone, std::int64_t now_ms) {
  TimeRange r;
  r.from_ms = ParseSiteTime(request, "from", zone, 0);
  r.to_ms = ParseSiteTime(request, "to", zone, now_ms + 1);
  if (r.to_ms <= r.from_ms) throw HttpError::BadRequest("'to' must be after 'from'");
  return r;
}

}  // namespace tessie::powerwall
