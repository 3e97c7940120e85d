#pragma once
// The two buttons of a car, pressed over REST or MQTT: Wake (the only call that wakes a car) and Sync now.
// Thread-safe: presses come from HTTP workers and the MQTT bridge's thread at once.
#include <cstdint>
#include <string>

#include "tessie/sdk/context.hpp"
#include "tracked_cars.hpp"

namespace tessie::vehicle {

class VehicleCommands {
 public:
  VehicleCommands(sdk::Context& ctx, TrackedCars& cars) : ctx_(ctx), cars_(cars) {}

  // One wake_up per car in flight; the Fleet client refuses it (FleetError, nothing sent) when it would go
  // over today's budget or while a 429 hold lasts, and the next press is accepted again. Throws FleetError;
  // HttpError 404 for an untracked car.
  Outcome Wake(std::int64_t id, const std::string& payload);
  // Fetches data at the next poll run if the car is awake (never wakes it). One sync per car in flight: until
  // that poll run has finished (the poll ends it). HttpError 404 for an untracked car.
  Outcome Sync(std::int64_t id, const std::string& payload);

 private:
  std::shared_ptr<TrackedCar> Tracked(std::int64_t id);

  sdk::Context& ctx_;
  TrackedCars& cars_;
};

}  // namespace tessie::vehicle
