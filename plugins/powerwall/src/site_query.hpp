#pragma once
// Input parsing of the /api/energy/sites routes (plain logic): a bad value throws sdk::HttpError 400 naming
// the parameter and what it takes.
#include <cstdint>
#include <string>

#include "energy_math.hpp"
#include "history_json.hpp"
#include "local_time.hpp"
#include "tessie/sdk/http.hpp"

namespace tessie::powerwall {

// The :id of a site route: digits only, within int64.
std::int64_t ParseSiteId(const std::string& text);

// `name` in the forms of every route (sdk::query::ZonedTimeParam in the site's zone): "2026-06-01" (local
// midnight of the site, also as `to`), RFC 3339 with Z or an offset, a local wall time of the site or epoch ms;
// `fallback` when absent.
std::int64_t ParseSiteTime(const sdk::HttpRequest& request, const char* name, const local_time::Zone& zone,
                           std::int64_t fallback);

// resolution (5m, 1h default, 1d, 1mo), to (default now), from (default a span back that depends on the
// resolution), detail (main default, breakdown, flows); the span is capped per resolution.
struct HistoryQuery {
  Resolution resolution = Resolution::kHour;
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
  HistoryBody::Detail detail = HistoryBody::Detail::kMain;
};
HistoryQuery ParseHistoryQuery(const sdk::HttpRequest& request, const local_time::Zone& zone, std::int64_t now_ms);

// from (default the epoch) and to (default just after now) of the outages route.
struct TimeRange {
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
};
TimeRange ParseOutageRange(const sdk::HttpRequest& request, const local_time::Zone& zone, std::int64_t now_ms);

}  // namespace tessie::powerwall
