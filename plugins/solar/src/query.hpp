#pragma once
// The query parameters of GET /api/energy/solar/stats and timestamps in answers. Plain logic, no I/O.
#include <cstdint>
#include <optional>
#include <string>

#include "stats.hpp"
#include "tessie/local_time.hpp"
#include "tessie/sdk/http.hpp"

namespace tessie::solar {

struct StatsQuery {
  std::optional<std::int64_t> site_id;  // absent: the only site
  Period period = Period::kDay;
  std::optional<local_time::CivilDate> date;  // absent: today in the site's zone
};

// site=<energy site id>&period=day|week|month|year|lifetime&date=YYYY-MM-DD. Throws sdk::HttpError 400
// naming the parameter and what to send instead (also for unknown parameters).
StatsQuery ParseStatsQuery(const sdk::HttpRequest& request);

// "2026-06-01T07:00:00Z" (whole seconds, UTC).
std::string FormatIsoUtc(std::int64_t utc_ms);

}  // namespace tessie::solar
