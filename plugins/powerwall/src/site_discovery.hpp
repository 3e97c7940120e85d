#pragma once
// Finds the account's energy sites (products, then site_info per site), stores them and keeps the registry,
// Home Assistant and the per-site jobs in step with them.
//
// Threads: Run on the discover job's thread; Track also from Start. Shares only the registry (thread-safe).
#include <cstdint>
#include <functional>

#include "powerwall_mqtt.hpp"
#include "powerwall_store.hpp"
#include "site_registry.hpp"
#include "tessie/sdk/context.hpp"

namespace tessie::powerwall {

class SiteDiscovery {
 public:
  // `start_jobs(id)` registers the live and history jobs of a site seen for the first time since start.
  SiteDiscovery(sdk::Context& ctx, PowerwallStore& store, SiteRegistry& sites, SiteZones& zones, PowerwallMqtt& mqtt,
                std::function<void(std::int64_t)> start_jobs)
      : ctx_(ctx), store_(store), sites_(sites), zones_(zones), mqtt_(mqtt), start_jobs_(std::move(start_jobs)) {}

  // One discovery: every site of the account stored and tracked; sites that left it marked removed.
  void Run();
  // (Re)loads a stored site into the registry, announces it to Home Assistant and makes sure its jobs run.
  void Track(std::int64_t id);

 private:
  sdk::Context& ctx_;
  PowerwallStore& store_;
  SiteRegistry& sites_;
  SiteZones& zones_;
  PowerwallMqtt& mqtt_;
  std::function<void(std::int64_t)> start_jobs_;
};

}  // namespace tessie::powerwall
