#pragma once
// Input parsing of GET /api/vehicles/{id}/history (plain logic, no I/O): which columns, which time range, which
// resolution and which page. Anything invalid is an HttpError 400 naming the parameter.
#include <cstdint>
#include <string>
#include <vector>

#include "tessie/local_time.hpp"
#include "tessie/sdk/http.hpp"
#include "tessie/sdk/resolution.hpp"

namespace tessie::vehicle {

// History columns a client may ask for (the only names that reach SQL).
const std::vector<std::string>& HistoryFields();

struct HistoryQuery {
  std::int64_t from_ms = 0;         // inclusive
  std::int64_t to_ms = 0;           // exclusive
  std::vector<std::string> fields;  // each one of HistoryFields()
  sdk::query::Resolution resolution = sdk::query::Resolution::kRaw;
  std::int64_t bucket_ms = 0;  // 0: every sample; else averages per bucket of this length
  std::int64_t limit = 1000;
  std::int64_t offset = 0;
};

// The zone of a bare date or wall time when the plugin's time_zone is not set.
const local_time::Zone& UtcZone();

// `now_ms`: the host's clock (the default range is the last 24 hours). Times take the forms of every route
// (sdk::query::ZonedTimeParam in `zone`, plugins.vehicle.time_zone): a date "2026-06-01" (local midnight, also
// as `to`, which stays exclusive), RFC 3339 ("2026-06-01T07:00:00Z", "...+02:00", "...+0200"), a local wall
// time ("2026-06-01T07:00:00") or epoch ms.
HistoryQuery ParseHistoryQuery(const sdk::HttpRequest& request, std::int64_t now_ms,
                               const local_time::Zone& zone = UtcZone());

}  // namespace tessie::vehicle
