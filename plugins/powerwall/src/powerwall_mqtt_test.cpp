#include "powerwall_mqtt.hpp"

#include <gtest/gtest.h>

#include <map>
#include <vector>

namespace tessie::powerwall {
namespace {

// Records what the plugin hands the host's bridge.
class FakeBridge final : public sdk::MqttBridge {
 public:
  bool enabled = true;
  std::vector<std::pair<std::string, std::string>> published;
  std::vector<std::string> discovered, removed;

  bool Enabled() const override { return enabled; }
  std::string BaseTopic() const override { return "tessie"; }
  std::string AvailabilityTopic() const override { return "tessie/status"; }
  std::string Topic(const std::string& relative) const override { return "tessie/" + relative; }
  void Publish(const std::string& topic, const std::string& payload, bool) override {
    published.emplace_back(topic, payload);
  }
  void PublishDiscovery(const std::string& device_id, const Poco::JSON::Object&) override {
    discovered.push_back(device_id);
  }
  void RemoveDiscovery(const std::string& device_id) override { removed.push_back(device_id); }
  void OnCommand(const std::string&, std::function<void(const std::string&)>) override {}
  void OnRepublish(std::function<void()>) override {}

  std::vector<std::string> Values(const std::string& topic) const {
    std::vector<std::string> out;
    for (const auto& [t, p] : published) {
      if (t == topic) out.push_back(p);
    }
    return out;
  }
};

std::shared_ptr<Site> MakeSite(int wall_connectors) {
  auto site = std::make_shared<Site>();
  site->identity.id = 42;
  site->identity.name = "Home";
  site->identity.has_solar = site->identity.has_battery = site->identity.has_grid = true;
  site->identity.wall_connector_count = wall_connectors;
  site->backup_reserve_percent = 20;
  return site;
}

TEST(PowerwallMqtt, TopicsAreRelativeToTheBaseTopic) {
  FakeBridge bridge;
  PowerwallMqtt mqtt(bridge);
  mqtt.Start("0.1.0");
  auto site = MakeSite(0);
  mqtt.PublishSite(*site);
  EXPECT_EQ(bridge.discovered, std::vector<std::string>{"tessie_site_42"});
  EXPECT_EQ(bridge.Values("sites/42/backup_reserve"), std::vector<std::string>{"20"});
  for (const auto& [topic, payload] : bridge.published) EXPECT_NE(topic.rfind("tessie/", 0), 0u) << topic;
  mqtt.RemoveSite(42);
  EXPECT_EQ(bridge.removed, std::vector<std::string>{"tessie_site_42"});
}

TEST(PowerwallMqtt, NothingIsPublishedWhileMqttIsOff) {
  FakeBridge bridge;
  bridge.enabled = false;
  PowerwallMqtt mqtt(bridge);
  mqtt.Start("0.1.0");
  auto site = MakeSite(1);
  mqtt.PublishSite(*site);
  mqtt.RepublishDiscovery({site});
  sdk::LiveStatus live;
  live.solar_power_w = 1000;
  live.wall_connector_power_w = 7000;
  const local_time::Zone utc("UTC");
  mqtt.PublishLive(*site, utc, 0, live, [](const CivilDate&) { return 1.0; });
  mqtt.PublishDailyCounters(*site, {2026, 6, 1}, EnergyTotals{});
  EXPECT_TRUE(bridge.published.empty());
  EXPECT_TRUE(bridge.discovered.empty());
}

TEST(PowerwallMqtt, CarChargingOnlyForSitesWithWallConnectorsAndYesterdayFinalFirst) {
  const local_time::Zone utc("UTC");
  const std::int64_t day1_noon = 1780315200000;  // 2026-06-01T12:00:00Z
  sdk::LiveStatus live;
  live.solar_power_w = 1000;
  live.wall_connector_power_w = 7000;
  std::map<std::string, double> energy_wh = {{"2026-06-01", 3500}, {"2026-06-02", 250}};
  const auto energy = [&](const CivilDate& d) { return energy_wh.at(ToString(d)); };

  FakeBridge without;
  PowerwallMqtt plain(without);
  plain.Start("0.1.0");
  auto bare = MakeSite(0);
  plain.PublishLive(*bare, utc, day1_noon, live, energy);
  EXPECT_EQ(without.Values("sites/42/solar_power"), std::vector<std::string>{"1000"});
  EXPECT_TRUE(without.Values("sites/42/car_charging_power").empty());
  EXPECT_TRUE(without.Values("sites/42/car_charging_energy").empty());

  FakeBridge bridge;
  PowerwallMqtt mqtt(bridge);
  mqtt.Start("0.1.0");
  auto site = MakeSite(1);
  mqtt.PublishLive(*site, utc, day1_noon, live, energy);
  EXPECT_EQ(bridge.Values("sites/42/car_charging_power"), std::vector<std::string>{"7000"});
  EXPECT_EQ(bridge.Values("sites/42/car_charging_energy"), std::vector<std::string>{"3.500"});
  // The next local day: the previous day's final value first, then the new day's counter from zero.
  mqtt.PublishLive(*site, utc, day1_noon + 86'400'000, live, energy);
  EXPECT_EQ(bridge.Values("sites/42/car_charging_energy"), (std::vector<std::string>{"3.500", "3.500", "0.250"}));
}

TEST(PowerwallMqtt, AFinalDailyValueIsOnlyPublishedWhileThatDayIsCurrent) {
  FakeBridge bridge;
  PowerwallMqtt mqtt(bridge);
  mqtt.Start("0.1.0");
  auto site = MakeSite(0);
  EnergyTotals totals;
  totals.home_consumed_wh = 1500;
  mqtt.PublishDailyCounters(*site, {2026, 5, 31}, totals, /*only_if_current=*/true);
  EXPECT_TRUE(bridge.Values("sites/42/home_energy").empty()) << "nothing published for that day yet";
  mqtt.PublishDailyCounters(*site, {2026, 6, 1}, totals);
  totals.home_consumed_wh = 2000;
  mqtt.PublishDailyCounters(*site, {2026, 6, 1}, totals, /*only_if_current=*/true);
  EXPECT_EQ(bridge.Values("sites/42/home_energy"), (std::vector<std::string>{"1.500", "2.000"}));
}

}  // namespace
}  // namespace tessie::powerwall
