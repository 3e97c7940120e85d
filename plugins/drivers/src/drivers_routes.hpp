#pragma once
// The drivers plugin's REST routes (openapi.yaml): drives, drivers with their rules, per-driver statistics.
// Input is parsed by api_input.hpp; an InputError becomes a 400. Handlers run on HTTP workers: reads go to
// the store, writes that decide a drive's driver through the service.
#include "drivers_service.hpp"
#include "drivers_store.hpp"
#include "tessie/sdk/clock.hpp"
#include "tessie/sdk/http.hpp"

namespace tessie::drivers {

class DriversRoutes {
 public:
  // All four outlive the routes (the plugin owns them; the host revokes the routes at stop).
  DriversRoutes(DriversStore& store, DriversService& service, const local_time::Zone& zone, const sdk::Clock& clock)
      : store_(store), service_(service), zone_(zone), clock_(clock) {}

  void Register(sdk::HttpRoutes& http);

 private:
  sdk::HttpResponse ListDrives(const sdk::HttpRequest& r);
  sdk::HttpResponse GetDrive(const sdk::HttpRequest& r);
  sdk::HttpResponse AssignDrive(const sdk::HttpRequest& r);
  sdk::HttpResponse ListDrivers();
  sdk::HttpResponse GetDriver(const sdk::HttpRequest& r);
  // id == 0: create (201); otherwise replace driver `id` (404 when unknown).
  sdk::HttpResponse SaveDriver(const sdk::HttpRequest& r, std::int64_t id);
  sdk::HttpResponse DeleteDriver(const sdk::HttpRequest& r);
  sdk::HttpResponse DriverStats(const sdk::HttpRequest& r);

  DriversStore& store_;
  DriversService& service_;
  const local_time::Zone& zone_;
  const sdk::Clock& clock_;
};

}  // namespace tessie::drivers
