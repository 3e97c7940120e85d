// The vehicle plugin: discovers the account's cars, polls them without keeping them awake, stores every
// sample, publishes typed events for the charging and drivers plugins, serves /api/vehicles and puts each car
// into Home Assistant over MQTT. This class only wires the parts (README.md, "Code"):
//   vehicle_config    schema and settings
//   vehicle_store     migrations and SQL
//   tracked_cars      the cars polled and each car's state
//   vehicle_poller    discovery and poll jobs (one run: poll_cycle)
//   vehicle_routes    REST
//   vehicle_mqtt      Home Assistant (payloads: ha_discovery)
//   vehicle_commands  the Wake and Sync buttons (command_gate), shared by REST and MQTT
//   vehicle_metrics   its part of GET /metrics, from its own VehicleState events
#include <memory>

#include "openapi_part.hpp"
#include "tessie/sdk/events/openapi.hpp"
#include "tessie/sdk/events/vehicle.hpp"
#include "tessie/sdk/plugin.hpp"
#include "tracked_cars.hpp"
#include "vehicle_commands.hpp"
#include "vehicle_config.hpp"
#include "vehicle_metrics.hpp"
#include "vehicle_mqtt.hpp"
#include "vehicle_poller.hpp"
#include "vehicle_routes.hpp"
#include "vehicle_store.hpp"

namespace tessie::vehicle {
namespace {

using namespace tessie::sdk;

// The parts are built in Configure and live until the plugin is destroyed: jobs, routes and MQTT handlers that
// point into them are revoked by the host at stop, before that.
class VehiclePlugin final : public Plugin {
 public:
  PluginInfo Info() const override {
    return {"vehicle",
            "0.1.0",
            "discovers vehicles, polls them sleep-friendly, stores states, Home Assistant entities",
            {},
            Schema()};
  }

  void Configure(Context& ctx) override {
    // This plugin's routes in GET /api/openapi.json (openapi.yaml, embedded at build time).
    ctx.Events().Publish(::tessie::sdk::events::OpenApiPart{kOpenApiYaml});
    const Settings settings = ReadSettings(ctx.Config());
    discovery_interval_ = settings.discovery_interval;
    store_ = std::make_unique<VehicleStore>(ctx.Db());
    cars_ = std::make_unique<TrackedCars>(settings.polling);
    commands_ = std::make_unique<VehicleCommands>(ctx, *cars_);
    metrics_ = std::make_unique<VehicleMetrics>(ctx.Metrics());
    mqtt_ = std::make_unique<VehicleMqtt>(ctx, *cars_, *commands_, settings.imperial);
    poller_ = std::make_unique<VehiclePoller>(ctx, settings.polling, settings.places, *store_, *cars_, *mqtt_);
    routes_ = std::make_unique<VehicleRoutes>(ctx, *store_, *cars_, *commands_, settings.polling.adaptive,
                                              settings.time_zone);
    ctx.Db().Migrate(VehicleStore::Migrations());
    routes_->Add(ctx.Http());
  }

  void Start(Context& ctx) override {
    mqtt_->Start(Info().version);
    ctx.Events().Subscribe<events::VehicleState>([this](const events::VehicleState& e) { metrics_->Record(e); });
    poller_->TrackKnown();
    ctx.Jobs().Every({.name = "discover",
                      .interval = discovery_interval_,
                      .jitter = std::chrono::milliseconds(30'000),
                      .is_sync = true},
                     [this](JobRun&) { poller_->Discover(); });
    if (ctx.Mqtt().Enabled()) {
      ctx.Mqtt().OnRepublish([this] { mqtt_->PublishAllDiscovery(cars_->Identities()); });
    }
  }

  void Stop() override {}

 private:
  std::chrono::milliseconds discovery_interval_{std::chrono::hours(1)};
  std::unique_ptr<VehicleStore> store_;
  std::unique_ptr<TrackedCars> cars_;
  std::unique_ptr<VehicleCommands> commands_;
  std::unique_ptr<VehicleMetrics> metrics_;
  std::unique_ptr<VehicleMqtt> mqtt_;
  std::unique_ptr<VehiclePoller> poller_;
  std::unique_ptr<VehicleRoutes> routes_;
};

}  // namespace
}  // namespace tessie::vehicle

TESSIE_PLUGIN(tessie::vehicle::VehiclePlugin)
