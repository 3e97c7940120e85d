#pragma once
// GET /api/vehicles, /api/vehicles/{id}, .../state, .../history and POST .../wake, .../sync (openapi.yaml).
// Handlers run on HTTP workers, several at once; they read the store and the tracked cars, and press the
// cars' buttons through VehicleCommands.
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>

#include "tessie/local_time.hpp"
#include "tessie/sdk/context.hpp"
#include "tracked_cars.hpp"
#include "vehicle_commands.hpp"
#include "vehicle_store.hpp"

namespace tessie::vehicle {

class VehicleRoutes {
 public:
  // `adaptive`: the polling mode shown for each car. `time_zone` (IANA): where a bare date or wall time in
  // ?from= / ?to= is read.
  VehicleRoutes(sdk::Context& ctx, VehicleStore& store, TrackedCars& cars, VehicleCommands& commands, bool adaptive,
                const std::string& time_zone)
      : ctx_(ctx), store_(store), cars_(cars), commands_(commands), adaptive_(adaptive), zone_(time_zone) {}

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
  const local_time::Zone zone_;
};

}  // namespace tessie::vehicle
