#include "query.hpp"

#include <cctype>

#include "tessie/sdk/query.hpp"

namespace tessie::solar {

namespace {

using sdk::HttpError;

bool AllDigits(const std::string& s, std::size_t from, std::size_t n) {
  if (from + n > s.size() || n == 0) return false;
  for (std::size_t i = from; i < from + n; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

}  // namespace

StatsQuery ParseStatsQuery(const sdk::HttpRequest& r) {
  for (const auto& [name, value] : r.query) {
    if (name != "site" && name != "period" && name != "date")
      throw HttpError::BadRequest("unknown query parameter '" + name + "' (use site, period, date)");
  }
  StatsQuery q;
  if (auto site = r.Query("site")) {
    if (site->empty() || site->size() > 18 || !AllDigits(*site, 0, site->size()))
      throw HttpError::BadRequest("site must be an energy site id (digits), got '" + *site + "'");
    q.site_id = std::stoll(*site);
  }
  if (auto period = r.Query("period")) {
    auto p = ParsePeriod(*period);
    if (!p) throw HttpError::BadRequest("period must be day, week, month, year or lifetime, got '" + *period + "'");
    q.period = *p;
  }
  q.date = sdk::query::DateParam(r, "date");
  return q;
}

std::string FormatIsoUtc(std::int64_t utc_ms) { return local_time::IsoUtc(utc_ms); }

}  // namespace tessie::solar
