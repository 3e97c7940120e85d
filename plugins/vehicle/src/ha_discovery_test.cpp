#include "ha_discovery.hpp"

#include <gtest/gtest.h>

#include <map>

namespace tessie::vehicle {
namespace {

DiscoveryOptions Options(bool imperial = false) {
  return {[](const std::string& relative) { return "tessie/" + relative; }, "tessie/status", "0.1.0", imperial};
}

std::map<std::string, std::string> Messages(const sdk::VehicleData& d, bool imperial = false) {
  std::map<std::string, std::string> m;
  // Messages carry topics relative to the base topic; the bridge adds "tessie/".
  for (const auto& [topic, payload] : StateMessages(Options(imperial), "VIN1", d)) m["tessie/" + topic] = payload;
  return m;
}

TEST(HaDiscovery, OneDeviceWithEveryEntityTheIssueNames) {
  const auto config = BuildDiscovery({1, "5YJ3E1EA7PF000101", "Midnight", "model3", "2026.2.1"}, Options());
  EXPECT_EQ(config->getObject("device")->getValue<std::string>("name"), "Midnight");
  EXPECT_EQ(config->getValue<std::string>("availability_topic"), "tessie/status");
  const auto c = config->getObject("components");
  for (const char* key : {"battery_level",
                          "usable_battery_level",
                          "range",
                          "charging_state",
                          "charger_power",
                          "charge_energy_added",
                          "charge_limit",
                          "time_to_full",
                          "plugged_in",
                          "charging",
                          "online",
                          "locked",
                          "sentry_mode",
                          "inside_temp",
                          "outside_temp",
                          "odometer",
                          "speed",
                          "heading",
                          "shift_state",
                          "software_version",
                          "update_available",
                          "location",
                          "wake",
                          "sync"}) {
    ASSERT_TRUE(c->has(key)) << key;
    const auto e = c->getObject(key);
    EXPECT_EQ(e->getValue<std::string>("unique_id"), std::string("tessie_5yj3e1ea7pf000101_") + key);
    EXPECT_EQ(e->getValue<std::string>("default_entity_id"),
              e->getValue<std::string>("platform") + ".tesla_midnight_" + key);
    EXPECT_EQ(e->getValue<std::string>("name").find("Midnight"), std::string::npos) << "name repeats the device";
  }
  EXPECT_EQ(c->getObject("location")->getValue<std::string>("json_attributes_topic"),
            "tessie/vehicles/5YJ3E1EA7PF000101/location");
  EXPECT_EQ(c->getObject("wake")->getValue<std::string>("command_topic"), "tessie/vehicles/5YJ3E1EA7PF000101/wake");
  EXPECT_EQ(c->getObject("range")->getValue<std::string>("unit_of_measurement"), "km");
  EXPECT_EQ(BuildDiscovery({1, "V", "", "", ""}, Options(true))
                ->getObject("components")
                ->getObject("odometer")
                ->getValue<std::string>("unit_of_measurement"),
            "mi");
}

TEST(HaDiscovery, StatesAreConvertedAndSignedTheWayHomeAssistantReadsThem) {
  sdk::VehicleData d;
  d.battery_level = 80;
  d.battery_range_km = 321.87;
  d.charging_state = "Charging";
  d.charger_power_kw = 7.36;
  d.charge_energy_added_kwh = 12.346;
  d.locked = true;
  d.odometer_km = 16093.44;
  d.shift_state = std::nullopt;
  d.speed_kmh = std::nullopt;
  d.latitude = 51.5;
  d.longitude = -0.12;
  d.software_update_status = "available";
  auto m = Messages(d);
  EXPECT_EQ(m["tessie/vehicles/VIN1/battery_level"], "80");
  EXPECT_EQ(m["tessie/vehicles/VIN1/range"], "321.9");
  EXPECT_EQ(m["tessie/vehicles/VIN1/charging_state"], "Charging");
  EXPECT_EQ(m["tessie/vehicles/VIN1/charging"], "ON");
  EXPECT_EQ(m["tessie/vehicles/VIN1/charger_power"], "7.36");          // 0.01 kW, as REST
  EXPECT_EQ(m["tessie/vehicles/VIN1/charge_energy_added"], "12.346");  // 0.001 kWh, as REST
  EXPECT_EQ(m["tessie/vehicles/VIN1/plugged_in"], "ON");
  EXPECT_EQ(m["tessie/vehicles/VIN1/locked"], "OFF");  // lock class: OFF = locked
  EXPECT_EQ(m["tessie/vehicles/VIN1/speed"], "0");
  EXPECT_EQ(m["tessie/vehicles/VIN1/shift_state"], "P");
  EXPECT_EQ(m["tessie/vehicles/VIN1/update_available"], "ON");
  EXPECT_EQ(m["tessie/vehicles/VIN1/location"], R"({"latitude":51.5,"longitude":-0.12,"gps_accuracy":10})");
  EXPECT_FALSE(m.count("tessie/vehicles/VIN1/inside_temp"));  // not reported: left alone
  EXPECT_EQ(Messages(d, true)["tessie/vehicles/VIN1/odometer"], "10000.0");
  d.charging_state = "SomethingNew";
  EXPECT_FALSE(Messages(d).count("tessie/vehicles/VIN1/charging_state"));  // never a state outside the options
}

}  // namespace
}  // namespace tessie::vehicle
