#include "history_query.hpp"

#include <algorithm>
#include <sstream>

#include "tessie/sdk/query.hpp"

namespace tessie::vehicle {

namespace query = sdk::query;

const local_time::Zone& UtcZone() {
  static const local_time::Zone utc("UTC");
  return utc;
}

const std::vector<std::string>& HistoryFields() {
  static const std::vector<std::string> fields = {"battery_level",
                                                  "usable_battery_level",
                                                  "battery_range_km",
                                                  "est_battery_range_km",
                                                  "odometer_km",
                                                  "speed_kmh",
                                                  "power_kw",
                                                  "charger_power_kw",
                                                  "charge_energy_added_kwh",
                                                  "inside_temp_c",
                                                  "outside_temp_c",
                                                  "latitude",
                                                  "longitude"};
  return fields;
}

HistoryQuery ParseHistoryQuery(const sdk::HttpRequest& r, std::int64_t now_ms, const local_time::Zone& zone) {
  HistoryQuery q;
  // Not TimeRangeParams: a bare date as `to` has always been that day's midnight (exclusive) here, and an
  // empty range is a 400.
  q.from_ms = query::ZonedTimeParam(r, "from", zone).value_or(now_ms - 24 * 3600'000LL);
  q.to_ms = query::ZonedTimeParam(r, "to", zone).value_or(now_ms + 1);
  if (q.to_ms <= q.from_ms) throw sdk::HttpError::BadRequest("'to' must be after 'from'");
  const auto& known = HistoryFields();
  if (auto f = r.Query("fields")) {
    std::stringstream ss(*f);
    for (std::string name; std::getline(ss, name, ',');) {
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        std::string list;
        for (const auto& k : known) {
          if (!list.empty()) list += ", ";
          list += k;
        }
        throw sdk::HttpError::BadRequest("unknown field '" + name + "' (known: " + list + ")");
      }
      q.fields.push_back(name);
    }
  } else {
    q.fields = {"battery_level", "battery_range_km", "odometer_km", "speed_kmh", "latitude", "longitude"};
  }
  using query::Resolution;
  q.resolution =
      query::ResolutionParam(r, "resolution", Resolution::kRaw,
                             {Resolution::kRaw, Resolution::k5m, Resolution::k15m, Resolution::k1h, Resolution::k1d});
  q.bucket_ms = query::ResolutionMs(q.resolution).value_or(0);
  q.limit = query::IntParam(r, "limit", 1000, 1, 10000);
  q.offset = query::IntParam(r, "offset", 0, 0, 100'000'000);
  return q;
}

}  // namespace tessie::vehicle
