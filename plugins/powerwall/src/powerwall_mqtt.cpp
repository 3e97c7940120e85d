#include "powerwall_mqtt.hpp"

namespace tessie::powerwall {

void PowerwallMqtt::Start(const std::string& plugin_version) {
  options_.topic = [this](const std::string& relative) { return bridge_.Topic(relative); };
  options_.availability_topic = bridge_.AvailabilityTopic();
  options_.origin_version = plugin_version;
}

void PowerwallMqtt::Publish(const std::vector<Message>& messages) {
  if (!bridge_.Enabled()) return;
  for (const auto& [topic, payload] : messages) bridge_.Publish(topic, payload);
}

void PowerwallMqtt::PublishDiscovery(Site& site) {
  if (!bridge_.Enabled()) return;
  SiteIdentity identity;
  {
    std::lock_guard lock(site.m);
    identity = site.identity;
  }
  bridge_.PublishDiscovery(DeviceId(identity.id), *BuildDiscovery(identity, options_));
}

void PowerwallMqtt::PublishSite(Site& site) {
  PublishDiscovery(site);
  std::int64_t id = 0;
  std::optional<int> reserve;
  {
    std::lock_guard lock(site.m);
    id = site.identity.id;
    reserve = site.backup_reserve_percent;
  }
  Publish(SiteInfoMessages(id, reserve));
}

void PowerwallMqtt::RemoveSite(std::int64_t id) { bridge_.RemoveDiscovery(DeviceId(id)); }

void PowerwallMqtt::RepublishDiscovery(const std::vector<std::shared_ptr<Site>>& sites) {
  for (const auto& site : sites) PublishDiscovery(*site);
}

void PowerwallMqtt::PublishLive(Site& site, const local_time::Zone& zone, std::int64_t ts_ms, const sdk::LiveStatus& live,
                                const std::function<double(const CivilDate&)>& energy_wh) {
  if (!bridge_.Enabled()) return;
  std::int64_t id = 0;
  int wall_connectors = 0;
  {
    std::lock_guard lock(site.m);
    id = site.identity.id;
    wall_connectors = site.identity.wall_connector_count;
  }
  const std::optional<double> wall_w = live.wall_connector_power_w;
  auto messages = LiveStateMessages(id, live, wall_connectors > 0 ? wall_w : std::nullopt);
  if (wall_connectors > 0 && wall_w) {
    const CivilDate today = zone.LocalDate(ts_ms);
    std::optional<CivilDate> last;
    {
      std::lock_guard lock(site.m);
      last = site.counters.LastDate("car_charging_energy");
    }
    // After local midnight, the previous day's final value first, so Home Assistant counts its last minutes.
    if (last && *last < today) {
      const double wh = energy_wh(*last);
      std::lock_guard lock(site.m);
      messages.push_back(CarChargingEnergyMessage(id, *last, wh, site.counters));
    }
    const double wh = energy_wh(today);
    std::lock_guard lock(site.m);
    messages.push_back(CarChargingEnergyMessage(id, today, wh, site.counters));
  }
  Publish(messages);
}

void PowerwallMqtt::PublishDailyCounters(Site& site, const CivilDate& date, const EnergyTotals& totals,
                                         bool only_if_current) {
  if (!bridge_.Enabled()) return;
  std::vector<Message> messages;
  {
    std::lock_guard lock(site.m);
    if (only_if_current && site.counters.LastDate("home_energy") != date) return;
    messages = DailyEnergyMessages(site.identity.id, date, totals, site.counters);
  }
  Publish(messages);
}

}  // namespace tessie::powerwall
