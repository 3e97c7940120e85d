#pragma once
// The live job of a site: records each new live_status sample, announces it (events::EnergyLive) and
// publishes it to Home Assistant, with the car charging energy of the day integrated from stored samples.
//
// Threads: Run on the site's live job thread (never concurrent with itself for one site); shares only
// thread-safe parts.
#include <chrono>
#include <cstdint>

#include "powerwall_mqtt.hpp"
#include "powerwall_store.hpp"
#include "site_registry.hpp"
#include "tessie/sdk/context.hpp"

namespace tessie::powerwall {

class LiveRecorder {
 public:
  LiveRecorder(sdk::Context& ctx, PowerwallStore& store, SiteRegistry& sites, PowerwallMqtt& mqtt,
               std::chrono::milliseconds live_interval)
      : ctx_(ctx), store_(store), sites_(sites), mqtt_(mqtt), live_interval_(live_interval) {}

  void Run(std::int64_t id, sdk::JobRun& run);

 private:
  // Wall connector energy of one local day, integrated from the stored samples.
  double WallConnectorEnergyWh(std::int64_t id, const local_time::Zone& zone, const CivilDate& date);

  sdk::Context& ctx_;
  PowerwallStore& store_;
  SiteRegistry& sites_;
  PowerwallMqtt& mqtt_;
  const std::chrono::milliseconds live_interval_;
};

}  // namespace tessie::powerwall
