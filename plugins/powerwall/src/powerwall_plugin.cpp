// The powerwall plugin: discovers the account's energy sites, records live_status every minute, backfills
// and keeps current the 5-minute energy history (calendar_history) and grid outages, serves
// /api/energy/sites, publishes events for other plugins (solar share) and puts each site into Home
// Assistant. This class only wires the parts next to it to the context:
//   settings (config schema), powerwall_store (tables, SQL), powerwall_routes (REST), powerwall_mqtt (Home
//   Assistant), site_discovery / live_recorder / history_sync (the jobs), site_registry (shared site state).
//
// Threads: the discover job, one live job and one history job per site run on scheduler threads (each
// never overlaps itself, different jobs may run in parallel); REST handlers run on HTTP workers; the
// republish hook runs on the MQTT thread. The parts are created in Configure and live until the plugin is
// destroyed, after the host revoked every job, route and hook.
#include <memory>

#include "history_sync.hpp"
#include "live_recorder.hpp"
#include "openapi_part.hpp"
#include "powerwall_mqtt.hpp"
#include "powerwall_routes.hpp"
#include "powerwall_store.hpp"
#include "settings.hpp"
#include "site_discovery.hpp"
#include "site_registry.hpp"
#include "tessie/sdk/events/openapi.hpp"
#include "tessie/sdk/plugin.hpp"

namespace tessie::powerwall {
namespace {

using namespace tessie::sdk;
using std::chrono::milliseconds;

constexpr const char* kVersion = "0.1.0";

class PowerwallPlugin final : public Plugin {
 public:
  PluginInfo Info() const override {
    return {"powerwall",
            kVersion,
            "energy sites: live power, 5-minute energy history with backfill, grid outages, Home Assistant entities",
            {},
            Schema()};
  }

  void Configure(Context& ctx) override {
    // This plugin's routes in GET /api/openapi.json (openapi.yaml, embedded at build time).
    ctx.Events().Publish(::tessie::sdk::events::OpenApiPart{kOpenApiYaml});
    ctx_ = &ctx;
    settings_ = ReadSettings(ctx.Config());
    // The fallback zone was validated already; this fails early when the ICU data is missing.
    zones_ = std::make_unique<SiteZones>(settings_.time_zone, [&ctx](const std::string& m) { ctx.Log().Warn(m); });
    store_ = std::make_unique<PowerwallStore>(ctx.Db(), ctx.Log());
    store_->Migrate();
    mqtt_ = std::make_unique<PowerwallMqtt>(ctx.Mqtt());
    routes_ = std::make_unique<PowerwallRoutes>(*store_, *zones_, ctx.Time());
    routes_->Register(ctx.Http());
    live_ = std::make_unique<LiveRecorder>(ctx, *store_, sites_, *mqtt_, settings_.live_interval);
    history_ = std::make_unique<HistorySync>(ctx, *store_, sites_, *mqtt_, settings_);
    discovery_ = std::make_unique<SiteDiscovery>(ctx, *store_, sites_, *zones_, *mqtt_,
                                                 [this](std::int64_t id) { StartSiteJobs(id); });
  }

  void Start(Context& ctx) override {
    mqtt_->Start(kVersion);
    // Known sites first: recording resumes at once after a restart even when the API is unreachable.
    for (const std::int64_t id : store_->PresentSiteIds()) discovery_->Track(id);
    ctx.Jobs().Every(
        {.name = "discover", .interval = settings_.discovery_interval, .jitter = milliseconds(30'000), .is_sync = true},
        [this](JobRun&) { discovery_->Run(); });
    // Drains a backlog in batches 100 ms apart: below the scheduler's one-second floor, so opted in.
    ctx.Jobs().Every({.name = "pack-hours", .interval = std::chrono::hours(6), .min_delay = milliseconds(100)},
                     [this](JobRun& run) { PackHours(run); });
    if (ctx.Mqtt().Enabled()) ctx.Mqtt().OnRepublish([this] { mqtt_->RepublishDiscovery(sites_.Present()); });
  }

  void Stop() override {}

 private:
  void StartSiteJobs(std::int64_t id) {
    try {
      ctx_->Jobs().Every({.name = "live-" + std::to_string(id),
                          .interval = settings_.live_interval,
                          .max_backoff = std::chrono::minutes(15),
                          .is_sync = true},
                         [this, id](JobRun& run) { live_->Run(id, run); });
      ctx_->Jobs().Every({.name = "history-" + std::to_string(id),
                          .interval = settings_.history_interval,
                          .first_delay = milliseconds(1'000),
                          .max_backoff = std::chrono::minutes(30),
                          .is_sync = true},
                         [this, id](JobRun& run) { history_->Run(id, run); });
    } catch (const std::invalid_argument&) {
      // Already registered (a site removed and added again): the jobs pick it up again.
    }
  }

  // Fills powerwall_daily.hours of days stored before schema v2, a batch per run; idle once none is left.
  void PackHours(JobRun& run) {
    constexpr int kBatch = 62;
    const int packed = store_->PackMissingHours(kBatch, *zones_);
    if (packed > 0) ctx_->Log().Info("packed the hours of " + std::to_string(packed) + " stored day(s)");
    if (packed == kBatch) run.SetNextDelay(milliseconds(100));
  }

  Context* ctx_ = nullptr;
  Settings settings_;
  SiteRegistry sites_;
  std::unique_ptr<SiteZones> zones_;
  std::unique_ptr<PowerwallStore> store_;
  std::unique_ptr<PowerwallMqtt> mqtt_;
  std::unique_ptr<PowerwallRoutes> routes_;
  std::unique_ptr<LiveRecorder> live_;
  std::unique_ptr<HistorySync> history_;
  std::unique_ptr<SiteDiscovery> discovery_;
};

}  // namespace
}  // namespace tessie::powerwall

TESSIE_PLUGIN(tessie::powerwall::PowerwallPlugin)
