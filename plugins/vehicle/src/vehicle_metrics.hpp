#pragma once
// The vehicle plugin's part of GET /metrics: each car's connectivity state, battery level and when it was last
// seen, kept current from the plugin's own VehicleState events (every poll).
#include "tessie/sdk/events/vehicle.hpp"
#include "tessie/sdk/metrics.hpp"

namespace tessie::vehicle {

class VehicleMetrics {
 public:
  // Declares the families (in Configure; the host removes them when the plugin stops).
  explicit VehicleMetrics(sdk::Metrics& metrics);
  // Thread-safe (sdk::Metrics is).
  void Record(const sdk::events::VehicleState& state);

 private:
  sdk::Metrics& metrics_;
};

}  // namespace tessie::vehicle
