#pragma once
// Timestamps in REST answers and the query parameters of the REST routes. Plain logic: no I/O.
#include <cstdint>
#include <optional>
#include <string>

#include "tessie/local_time.hpp"
#include "tessie/sdk/http.hpp"

namespace tessie::charging {

// "2026-06-01T07:00:00Z" (whole seconds, UTC).
std::string FormatIsoUtc(std::int64_t utc_ms);

// A time in the forms every route accepts (sdk/query.hpp, ZonedTimeParam): a date is the local midnight
// starting that day in `zone`, or with `end_of_day` the one ending it (so to=2026-06-30 includes June 30).
// nullopt when malformed.
std::optional<std::int64_t> ParseTimeParam(const std::string& text, const local_time::Zone& zone, bool end_of_day);

// vehicle=<Tesla id> or vehicle=<VIN>.
struct VehicleFilter {
  std::optional<std::int64_t> vehicle_id;
  std::optional<std::string> vin;
};

struct SessionQuery {
  VehicleFilter vehicle;
  std::optional<std::int64_t> from_ms;  // started_ms >= from
  std::optional<std::int64_t> to_ms;    // started_ms < to
  std::optional<std::string> place;
  std::optional<std::string> charger_kind;  // "AC" or "DC"
  int limit = 50;
  int offset = 0;
};

struct StatsQuery {
  VehicleFilter vehicle;
  std::optional<std::int64_t> from_ms;
  std::optional<std::int64_t> to_ms;
};

inline constexpr int kMaxLimit = 500;

// Throw sdk::HttpError 400 naming the parameter and what to send instead.
SessionQuery ParseSessionQuery(const sdk::HttpRequest& request, const local_time::Zone& zone);
StatsQuery ParseStatsQuery(const sdk::HttpRequest& request, const local_time::Zone& zone);
std::int64_t ParseSessionId(const std::string& text);

}  // namespace tessie::charging
