#pragma once
// The plugin's jobs: discovery (the account's vehicle list) and one poll job per car. Each run stores what it
// learned, publishes it to Home Assistant and as a typed event for the charging and drivers plugins. The jobs
// run on the scheduler's threads (one car's job never concurrently with itself); MQTT commands and REST handlers
// share the tracked cars with them.
#include <cstdint>
#include <string>
#include <vector>

#include "places.hpp"
#include "tessie/sdk/context.hpp"
#include "tracked_cars.hpp"
#include "vehicle_mqtt.hpp"
#include "vehicle_store.hpp"

namespace tessie::vehicle {

class VehiclePoller {
 public:
  VehiclePoller(sdk::Context& ctx, const PollingSettings& settings, std::vector<Place> places, VehicleStore& store,
                TrackedCars& cars, VehicleMqtt& mqtt)
      : ctx_(ctx), settings_(settings), places_(std::move(places)), store_(store), cars_(cars), mqtt_(mqtt) {}

  // Tracks the cars stored before, so polling resumes at once after a restart even if the API is unreachable.
  void TrackKnown();
  // Refreshes the account's vehicle list: tracks new cars, renames, and lets go of the ones no longer listed.
  void Discover();

 private:
  // Returns true when the car was not tracked before. `list_named`: the account's list gave its name.
  bool Track(const VehicleIdentity& identity, const std::string& state, bool list_named);
  std::string UnlistedName(std::int64_t id, const std::string& vin);
  void Poll(std::int64_t id, sdk::JobRun& run);
  void RecordState(TrackedCar& car, const std::string& state, std::int64_t now_ms);
  void RecordData(TrackedCar& car, const sdk::VehicleData& data, std::int64_t now_ms);

  sdk::Context& ctx_;
  const PollingSettings settings_;
  const std::vector<Place> places_;
  VehicleStore& store_;
  TrackedCars& cars_;
  VehicleMqtt& mqtt_;
};

}  // namespace tessie::vehicle
