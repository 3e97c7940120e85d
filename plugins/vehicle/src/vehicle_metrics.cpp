#include "vehicle_metrics.hpp"

namespace tessie::vehicle {

namespace {
constexpr const char* kState = "tessie_vehicle_state";
constexpr const char* kBattery = "tessie_vehicle_battery_level_percent";
constexpr const char* kLastSeen = "tessie_vehicle_last_seen_timestamp_seconds";
}  // namespace

VehicleMetrics::VehicleMetrics(sdk::Metrics& metrics) : metrics_(metrics) {
  metrics_.Gauge(kState, "1 for the vehicle's current state (online, asleep, offline), 0 for the others.");
  metrics_.Gauge(kBattery, "State of charge at the last data poll, in percent.");
  metrics_.Gauge(kLastSeen, "When the vehicle was last observed (host clock, epoch seconds).");
}

void VehicleMetrics::Record(const sdk::events::VehicleState& e) {
  const sdk::MetricLabels id{{"vin", e.vin}, {"name", e.display_name}};
  for (const char* state : {"online", "asleep", "offline"}) {
    sdk::MetricLabels labels = id;
    labels["state"] = state;
    metrics_.Set(kState, labels, e.state == state ? 1 : 0);
  }
  metrics_.Set(kLastSeen, id, static_cast<double>(e.timestamp_ms) / 1000.0);
  if (e.has_data && e.data.battery_level) metrics_.Set(kBattery, id, static_cast<double>(*e.data.battery_level));
}

}  // namespace tessie::vehicle
