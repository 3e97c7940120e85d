#pragma once
// GET /api/vehicles, /api/vehicles/{id}, .../state, .../history and POST .../wake, .../sync (openapi.yaml).
// Handlers run on HTTP workers, several at once; they read the store and the tracked cars, and press the
// cars' buttons through VehicleCommands.
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>

#include "tessie/sdk/context.hpp"
#include "tracked_cars.hpp"
#include "vehicle_commands.hpp"
#include "vehicle_store.hpp"

namespace tessie::vehicle {

class VehicleRoutes {
 public:
  // `adaptive`: the polling mode shown for each car.
  VehicleRoutes(sdk::Context& ctx, VehicleStore& store, TrackedCars& cars, VehicleCommands& commands, bool adaptive)
      : ctx_(ctx), store_(store), cars_(cars), commands_(commands), adaptive_(adaptive) {}

  void Add(sdk::HttpRoutes& http);

 private:
  Poco::JSON::Object::Ptr VehicleJson(const StoredVehicle& v);
  sdk::HttpResponse Latest(const std::string& id_or_vin);
  sdk::HttpResponse History(std::int64_t id, const sdk::HttpRequest& request);
  sdk::HttpResponse Wake(const sdk::HttpRequest& request);

  sdk::Context& ctx_;
  VehicleStore& store_;
  TrackedCars& cars_;
  VehicleCommands& commands_;
  const bool adaptive_;
};

}  // namespace tessie::vehicle
