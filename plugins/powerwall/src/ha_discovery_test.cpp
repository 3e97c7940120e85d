#include "ha_discovery.hpp"

#include <gtest/gtest.h>

#include <map>

namespace tessie::powerwall {
namespace {

DiscoveryOptions Options() {
  return {[](const std::string& relative) { return "tessie/" + relative; }, "tessie/status", "0.1.0"};
}

SiteIdentity Site() {
  SiteIdentity s;
  s.id = 123456;
  s.name = "Test Home";
  s.has_solar = s.has_battery = s.has_grid = true;
  s.battery_count = 2;
  s.wall_connector_count = 1;
  return s;
}

std::map<std::string, std::string> ToMap(const std::vector<Message>& messages) {
  std::map<std::string, std::string> m;
  // Messages carry topics relative to the base topic; the bridge adds "tessie/".
  for (const auto& [topic, payload] : messages) m["tessie/" + topic] = payload;
  return m;
}

TEST(PowerwallDiscovery, OneDeviceWithEveryEntityAndValidClasses) {
  const auto config = BuildDiscovery(Site(), Options());
  EXPECT_EQ(DeviceId(123456), "tessie_site_123456");
  const auto device = config->getObject("device");
  EXPECT_EQ(device->getArray("identifiers")->getElement<std::string>(0), "tessie_site_123456");
  EXPECT_EQ(device->getValue<std::string>("name"), "Test Home");
  EXPECT_EQ(device->getValue<std::string>("manufacturer"), "Tesla");
  EXPECT_EQ(config->getObject("origin")->getValue<std::string>("name"), "Tessie Stats");
  EXPECT_EQ(config->getValue<std::string>("availability_topic"), "tessie/status");
  const auto c = config->getObject("components");
  const std::vector<std::string> power = {
      "solar_power", "home_power",        "battery_power",     "battery_charge_power", "battery_discharge_power",
      "grid_power",  "grid_import_power", "grid_export_power", "car_charging_power"};
  const std::vector<std::string> energy = {"solar_energy",          "grid_import_energy",       "grid_export_energy",
                                           "battery_charge_energy", "battery_discharge_energy", "home_energy",
                                           "car_charging_energy"};
  for (const auto& key : power) {
    ASSERT_TRUE(c->has(key)) << key;
    const auto e = c->getObject(key);
    EXPECT_EQ(e->getValue<std::string>("device_class"), "power") << key;
    EXPECT_EQ(e->getValue<std::string>("unit_of_measurement"), "W") << key;
    EXPECT_EQ(e->getValue<std::string>("state_class"), "measurement") << key;
  }
  for (const auto& key : energy) {
    ASSERT_TRUE(c->has(key)) << key;
    const auto e = c->getObject(key);
    EXPECT_EQ(e->getValue<std::string>("device_class"), "energy") << key;
    EXPECT_EQ(e->getValue<std::string>("unit_of_measurement"), "kWh") << key;
    EXPECT_EQ(e->getValue<std::string>("state_class"), "total_increasing") << key;
  }
  EXPECT_EQ(c->getObject("battery_level")->getValue<std::string>("device_class"), "battery");
  EXPECT_EQ(c->getObject("battery_level")->getValue<std::string>("unit_of_measurement"), "%");
  EXPECT_EQ(c->getObject("backup_reserve")->getValue<std::string>("unit_of_measurement"), "%");
  EXPECT_EQ(c->getObject("grid_status")->getValue<std::string>("platform"), "binary_sensor");
  EXPECT_EQ(c->getObject("grid_status")->getValue<std::string>("device_class"), "power");
  EXPECT_EQ(c->getObject("storm_mode")->getValue<std::string>("platform"), "binary_sensor");
  const auto island = c->getObject("island_status");
  EXPECT_EQ(island->getValue<std::string>("device_class"), "enum");
  EXPECT_FALSE(island->has("unit_of_measurement"));
  EXPECT_FALSE(island->has("state_class"));
  EXPECT_GT(island->getArray("options")->size(), 0u);

  for (const auto& key : c->getNames()) {
    const auto e = c->getObject(key);
    EXPECT_EQ(e->getValue<std::string>("unique_id"), "tessie_site_123456_" + key);
    EXPECT_EQ(e->getValue<std::string>("default_entity_id"),
              e->getValue<std::string>("platform") + ".tesla_test_home_" + key);
    EXPECT_EQ(e->getValue<std::string>("state_topic"), "tessie/sites/123456/" + key);
    EXPECT_EQ(e->getValue<std::string>("name").find("Test Home"), std::string::npos) << "name repeats the device";
    if (e->has("icon")) {
      EXPECT_NE(e->getValue<std::string>("icon").find(':'), std::string::npos);
    }
  }
}

TEST(PowerwallDiscovery, EntitiesFollowWhatTheSiteHas) {
  SiteIdentity solar_only = Site();
  solar_only.has_battery = false;
  solar_only.wall_connector_count = 0;
  solar_only.name = "";
  const auto config = BuildDiscovery(solar_only, Options());
  const auto c = config->getObject("components");
  EXPECT_TRUE(c->has("solar_power"));
  EXPECT_FALSE(c->has("battery_power"));
  EXPECT_FALSE(c->has("battery_level"));
  EXPECT_FALSE(c->has("car_charging_energy"));  // no wall connector: omitted
  EXPECT_EQ(config->getObject("device")->getValue<std::string>("name"), "Energy site 123456");
  EXPECT_EQ(c->getObject("solar_power")->getValue<std::string>("default_entity_id"),
            "sensor.tesla_site_123456_solar_power");
}

TEST(PowerwallDiscovery, LiveStatesAreSignedTheWayTheEnergyDashboardReadsThem) {
  sdk::LiveStatus live;
  live.solar_power_w = 16176;
  live.battery_power_w = -13950;  // charging
  live.grid_power_w = -1200;      // exporting
  live.load_power_w = 1026;
  live.percentage_charged = 95.50537403739663;
  live.grid_status = "Active";
  live.island_status = "on_grid";
  live.storm_mode_active = false;
  auto m = ToMap(LiveStateMessages(7, live, 7200.4));
  EXPECT_EQ(m["tessie/sites/7/battery_power"], "-13950");
  EXPECT_EQ(m["tessie/sites/7/battery_charge_power"], "13950");
  EXPECT_EQ(m["tessie/sites/7/battery_discharge_power"], "0");
  EXPECT_EQ(m["tessie/sites/7/grid_power"], "-1200");
  EXPECT_EQ(m["tessie/sites/7/grid_import_power"], "0");
  EXPECT_EQ(m["tessie/sites/7/grid_export_power"], "1200");
  EXPECT_EQ(m["tessie/sites/7/solar_power"], "16176");
  EXPECT_EQ(m["tessie/sites/7/home_power"], "1026");
  EXPECT_EQ(m["tessie/sites/7/car_charging_power"], "7200");
  EXPECT_EQ(m["tessie/sites/7/battery_level"], "95.5");
  EXPECT_EQ(m["tessie/sites/7/grid_status"], "ON");
  EXPECT_EQ(m["tessie/sites/7/island_status"], "on_grid");
  EXPECT_EQ(m["tessie/sites/7/storm_mode"], "OFF");

  live.battery_power_w = 5060;  // discharging
  live.grid_power_w = 300;      // importing
  live.grid_status = "Inactive";
  live.island_status = "something_new";
  live.solar_power_w = std::nullopt;
  m = ToMap(LiveStateMessages(7, live, std::nullopt));
  EXPECT_EQ(m["tessie/sites/7/battery_discharge_power"], "5060");
  EXPECT_EQ(m["tessie/sites/7/battery_charge_power"], "0");
  EXPECT_EQ(m["tessie/sites/7/grid_import_power"], "300");
  EXPECT_EQ(m["tessie/sites/7/grid_export_power"], "0");
  EXPECT_EQ(m["tessie/sites/7/grid_status"], "OFF");
  EXPECT_EQ(m["tessie/sites/7/island_status"], "island_status_unknown");  // never outside the options
  EXPECT_FALSE(m.count("tessie/sites/7/solar_power"));                    // not reported: left alone
  EXPECT_FALSE(m.count("tessie/sites/7/car_charging_power"));
  live.grid_status = "Unknown";
  EXPECT_EQ(ToMap(LiveStateMessages(7, live, std::nullopt))["tessie/sites/7/grid_status"], "None");
  live.battery_power_w = -0.2;
  EXPECT_EQ(ToMap(LiveStateMessages(7, live, std::nullopt))["tessie/sites/7/battery_power"], "0");
}

TEST(PowerwallDiscovery, DailyCountersAreNeverNegativeMonotonicWithinADayAndResetAtMidnight) {
  DailyCounters counters;
  const CivilDate d1{2026, 6, 1};
  const CivilDate d2{2026, 6, 2};
  EnergyTotals t;
  t.solar_produced_wh = 1500;
  t.grid_imported_wh = -3;  // garbage in: never negative out
  t.home_consumed_wh = 2000;
  auto m = ToMap(DailyEnergyMessages(7, d1, t, counters));
  EXPECT_EQ(m["tessie/sites/7/solar_energy"], "1.500");
  EXPECT_EQ(m["tessie/sites/7/grid_import_energy"], "0.000");
  EXPECT_EQ(m["tessie/sites/7/home_energy"], "2.000");
  EXPECT_EQ(m.size(), 6u);
  // A revision downwards within the day keeps the published value.
  t.solar_produced_wh = 1400;
  t.home_consumed_wh = 2500;
  m = ToMap(DailyEnergyMessages(7, d1, t, counters));
  EXPECT_EQ(m["tessie/sites/7/solar_energy"], "1.500");
  EXPECT_EQ(m["tessie/sites/7/home_energy"], "2.500");
  // The next local day starts over.
  t.solar_produced_wh = 0;
  m = ToMap(DailyEnergyMessages(7, d2, t, counters));
  EXPECT_EQ(m["tessie/sites/7/solar_energy"], "0.000");
  // A late answer for the previous day does not go back.
  t.solar_produced_wh = 9000;
  m = ToMap(DailyEnergyMessages(7, d1, t, counters));
  EXPECT_EQ(m["tessie/sites/7/solar_energy"], "0.000");

  EXPECT_EQ(counters.LastDate("solar_energy"), d2);
  EXPECT_FALSE(counters.LastDate("car_charging_energy"));
  const auto car = CarChargingEnergyMessage(7, d2, 11000, counters);
  EXPECT_EQ("tessie/" + car.first, "tessie/sites/7/car_charging_energy");  // relative, as the bridge takes it
  EXPECT_EQ(car.second, "11.000");
  EXPECT_EQ(CarChargingEnergyMessage(7, d2, 10990, counters).second, "11.000");
}

TEST(PowerwallDiscovery, BackupReserveState) {
  const auto m = ToMap(SiteInfoMessages(7, 20));
  EXPECT_EQ(m.at("tessie/sites/7/backup_reserve"), "20");
  EXPECT_TRUE(SiteInfoMessages(7, std::nullopt).empty());
}

}  // namespace
}  // namespace tessie::powerwall
