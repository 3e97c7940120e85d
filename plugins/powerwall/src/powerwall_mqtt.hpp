#pragma once
// Home Assistant for the energy sites: discovery configs and retained states through the host's MQTT bridge,
// built by ha_discovery.hpp. Every call does nothing while MQTT is off.
//
// Thread-safe: options are set once in Start; the daily counters are guarded by each Site's mutex.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ha_discovery.hpp"
#include "site_registry.hpp"
#include "tessie/sdk/mqtt.hpp"

namespace tessie::powerwall {

class PowerwallMqtt {
 public:
  explicit PowerwallMqtt(sdk::MqttBridge& bridge) : bridge_(bridge) {}

  // Reads the bridge's topics; call before anything is published.
  void Start(const std::string& plugin_version);
  bool Enabled() const { return bridge_.Enabled(); }

  // The device config and the site_info states of a site (its current identity).
  void PublishSite(Site& site);
  void RemoveSite(std::int64_t id);
  // The bridge re-sends every retained state itself after a reconnect or Home Assistant's birth; the
  // discovery configs are sent again here (as every plugin does), built from the current identity.
  void RepublishDiscovery(const std::vector<std::shared_ptr<Site>>& sites);

  // The states of one new live_status sample at `ts_ms`. A site with wall connectors also gets its car
  // charging counter: `energy_wh(date)` integrates the stored samples of a local date.
  void PublishLive(Site& site, const local_time::Zone& zone, std::int64_t ts_ms, const sdk::LiveStatus& live,
                   const std::function<double(const CivilDate&)>& energy_wh);
  // The daily energy counters of `date`. `only_if_current`: publish only when the counters were last
  // published for `date` (a final value of the day), never to go back to an earlier day after a restart.
  void PublishDailyCounters(Site& site, const CivilDate& date, const EnergyTotals& totals,
                            bool only_if_current = false);

 private:
  void PublishDiscovery(Site& site);
  void Publish(const std::vector<Message>& messages);

  sdk::MqttBridge& bridge_;
  DiscoveryOptions options_;  // set in Start, read-only afterwards
};

}  // namespace tessie::powerwall
