#pragma once
// Events published by the powerwall plugin. Subscribers run synchronously on the powerwall plugin's job
// thread after the data is stored; keep handlers quick and thread-safe.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tessie/sdk/fleet.hpp"

namespace tessie::sdk {
inline namespace v1 {
namespace events {

// One live_status sample of an energy site. Signs as the API reports them:
//   battery_power_w + discharging / − charging;  grid_power_w + importing / − exporting.
struct EnergyLive {
  static constexpr std::string_view kTopic = "energy.live";
  std::int64_t energy_site_id = 0;
  std::string time_zone;  // the site's IANA zone (installation_time_zone), "" when unknown
  std::int64_t timestamp_ms = 0;
  LiveStatus live;
};

// 5-minute energy intervals of a site (calendar_history kind=energy, period=day rows), stored or updated:
// during the backfill, as each day completes, and when late data arrives. Energy in Wh, per flow. A
// subscriber may receive the same interval again (idempotent upserts).
struct EnergyIntervals {
  static constexpr std::string_view kTopic = "energy.intervals";
  std::int64_t energy_site_id = 0;
  std::string time_zone;
  std::vector<EnergyHistoryRow> rows;  // rows[i].timestamp_ms = interval start, 5 minutes long
};

// A grid outage (calendar_history kind=backup).
struct GridOutage {
  static constexpr std::string_view kTopic = "energy.outage";
  std::int64_t energy_site_id = 0;
  std::int64_t started_ms = 0;
  std::int64_t duration_s = 0;
};

}  // namespace events
}  // namespace v1
}  // namespace tessie::sdk
