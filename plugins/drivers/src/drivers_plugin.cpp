// The drivers plugin: detects drives from the vehicle plugin's samples, attributes them to drivers, and
// serves drives, drivers and per-driver statistics. The logic lives in the plain classes next to this file;
// this class only wires the store, the service and the routes to the context (events, routes, one job).
#include <chrono>
#include <memory>

#include "drivers_routes.hpp"
#include "drivers_service.hpp"
#include "drivers_store.hpp"
#include "openapi_part.hpp"
#include "tessie/sdk/events/charging.hpp"
#include "tessie/sdk/events/openapi.hpp"
#include "tessie/sdk/events/vehicle.hpp"
#include "tessie/sdk/plugin.hpp"

namespace tessie::drivers {
namespace {

using namespace tessie::sdk;

class DriversPlugin final : public Plugin {
 public:
  PluginInfo Info() const override {
    auto positive = [](const Poco::Dynamic::Var& v) -> std::string {
      return v.convert<double>() > 0 ? "" : "must be greater than 0";
    };
    auto non_negative = [](const Poco::Dynamic::Var& v) -> std::string {
      return v.convert<double>() >= 0 ? "" : "must not be negative";
    };
    auto zone = [](const Poco::Dynamic::Var& v) -> std::string {
      try {
        local_time::Zone z(v.convert<std::string>());
        return "";
      } catch (const std::invalid_argument& e) {
        return e.what();
      }
    };
    return {"drivers",
            "0.1.0",
            "detects drives, attributes them to drivers, per-driver statistics and charging cost share",
            {},
            {ConfigField::String("time_zone", "IANA time zone for time-window rules and date-only queries")
                 .Default("UTC")
                 .Validate(zone),
             ConfigField::Duration("max_gap", "a longer gap between two samples ends the drive at the earlier one")
                 .Default(std::chrono::minutes(15))
                 .Validate(positive),
             ConfigField::Double("min_distance_m", "drives shorter than this are dropped")
                 .Default(10.0)
                 .Validate(non_negative),
             ConfigField::Double(
                 "battery_capacity_kwh",
                 "usable pack energy, for drive energy from the usable battery level when energy_remaining is missing")
                 .Default(75.0)
                 .Validate(positive),
             ConfigField::Double("rated_wh_per_km",
                                 "consumption per rated km, for drive energy from rated range when nothing better is "
                                 "reported")
                 .Default(150.0)
                 .Validate(positive)}};
  }

  void Configure(Context& ctx) override {
    // This plugin's routes in GET /api/openapi.json (openapi.yaml, embedded at build time).
    ctx.Events().Publish(::tessie::sdk::events::OpenApiPart{kOpenApiYaml});
    ctx_ = &ctx;
    const auto& c = ctx.Config();
    try {
      zone_ = std::make_unique<local_time::Zone>(c.GetString("time_zone"));
    } catch (const std::invalid_argument& e) {
      throw ConfigError(std::string("time_zone: ") + e.what());
    }
    DriveOptions options;
    options.max_gap_ms = c.GetDuration("max_gap").count();
    options.min_distance_km = c.GetDouble("min_distance_m") / 1000.0;
    options.battery_capacity_kwh = c.GetDouble("battery_capacity_kwh");
    options.rated_wh_per_km = c.GetDouble("rated_wh_per_km");

    ctx.Db().Migrate(DriversStore::Migrations());
    store_ = std::make_unique<DriversStore>(ctx.Db());
    service_ = std::make_unique<DriversService>(*store_, ctx.Log(), *zone_, options);
    routes_ = std::make_unique<DriversRoutes>(*store_, *service_, *zone_, ctx.Time());
    routes_->Register(ctx.Http());
  }

  void Start(Context& ctx) override {
    service_->Restore(NowMs());
    ctx.Events().Subscribe<events::VehicleState>(
        [this](const events::VehicleState& e) { service_->OnVehicleState(e, NowMs()); });
    ctx.Events().Subscribe<events::ChargingSessionClosed>(
        [this](const events::ChargingSessionClosed& e) { store_->SaveChargingCost(e); });
    ctx.Jobs().Every({.name = "close-stale-drives", .interval = std::chrono::minutes(1)},
                     [this](JobRun&) { service_->Sweep(NowMs()); });
  }

  void Stop() override {}

 private:
  std::int64_t NowMs() const { return ToEpochMs(ctx_->Time().Now()); }

  Context* ctx_ = nullptr;
  std::unique_ptr<local_time::Zone> zone_;
  std::unique_ptr<DriversStore> store_;
  std::unique_ptr<DriversService> service_;
  std::unique_ptr<DriversRoutes> routes_;
};

}  // namespace
}  // namespace tessie::drivers

TESSIE_PLUGIN(tessie::drivers::DriversPlugin)
