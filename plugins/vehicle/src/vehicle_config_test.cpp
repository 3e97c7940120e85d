#include "vehicle_config.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

namespace tessie::vehicle {
namespace {

using std::chrono::milliseconds;

// A section as the host hands it over: the given keys, defaults for the rest.
sdk::ConfigSection Section(const std::string& json) {
  auto values = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  for (const auto& field : Schema()) {
    if (field.key.find('[') == std::string::npos && !values->has(field.key) && !field.default_value.isEmpty()) {
      values->set(field.key, field.default_value);
    }
  }
  return sdk::ConfigSection(values);
}

std::string Check(const std::string& key, const Poco::Dynamic::Var& value) {
  for (const auto& field : Schema()) {
    if (field.key == key) return field.validate ? field.validate(value) : "";
  }
  return "no such key";
}

TEST(VehicleConfig, DefaultsAreSleepFriendly) {
  const auto s = ReadSettings(Section("{}"));
  EXPECT_TRUE(s.polling.adaptive);
  EXPECT_EQ(s.polling.state_check, milliseconds(60'000));
  EXPECT_EQ(s.polling.driving, milliseconds(5 * 60'000));
  EXPECT_EQ(s.polling.charging, milliseconds(15 * 60'000));
  EXPECT_EQ(s.polling.fast_charging, milliseconds(2 * 60'000));
  EXPECT_EQ(s.polling.after_drive, milliseconds(2 * 60'000));
  EXPECT_EQ(s.polling.after_drive_window, milliseconds(6 * 60'000));
  EXPECT_EQ(s.polling.user_present, milliseconds(5 * 60'000));
  EXPECT_EQ(s.polling.sleep_after, milliseconds(15 * 60'000));
  EXPECT_EQ(s.discovery_interval, milliseconds(3600'000));
  EXPECT_FALSE(s.imperial);
  EXPECT_TRUE(s.places.empty());
}

TEST(VehicleConfig, ReadsFixedPollingUnitsAndPlaces) {
  const auto s = ReadSettings(Section(R"({"polling": "fixed", "interval": 600000, "units": "imperial",
    "places": [{"name": "Home", "latitude": 47.5, "longitude": 8.5},
               {"name": "Work", "latitude": -33.9, "longitude": 151.2, "radius_m": 250}]})"));
  EXPECT_FALSE(s.polling.adaptive);
  EXPECT_EQ(s.polling.fixed_interval, milliseconds(600'000));
  EXPECT_TRUE(s.imperial);
  ASSERT_EQ(s.places.size(), 2u);
  EXPECT_EQ(s.places[0].name, "Home");
  EXPECT_EQ(s.places[0].radius_m, 100);  // the default radius
  EXPECT_EQ(s.places[1].latitude, -33.9);
  EXPECT_EQ(s.places[1].radius_m, 250);
}

TEST(VehicleConfig, ValidatorsSayWhatToUse) {
  EXPECT_EQ(Check("polling", std::string("sometimes")), "use adaptive or fixed");
  EXPECT_EQ(Check("units", std::string("furlongs")), "use metric or imperial");
  EXPECT_EQ(Check("state_check_interval", Poco::Int64(99)), "must be at least 100ms");
  EXPECT_EQ(Check("state_check_interval", Poco::Int64(100)), "");
  EXPECT_EQ(Check("places[].name", std::string("")), "must not be empty");
  EXPECT_EQ(Check("places[].latitude", 91.0), "must be between -90 and 90");
  EXPECT_EQ(Check("places[].longitude", -180.5), "must be between -180 and 180");
  EXPECT_EQ(Check("places[].radius_m", 0.0), "must be between 0 and 100000 (metres)");
  EXPECT_EQ(Check("places[].radius_m", 100'000.0), "");
}

TEST(VehicleConfig, TimeZoneIsUtcUnlessSetAndMustBeKnown) {
  EXPECT_EQ(ReadSettings(Section("{}")).time_zone, "UTC");
  EXPECT_EQ(ReadSettings(Section(R"({"time_zone": "Europe/Berlin"})")).time_zone, "Europe/Berlin");
  EXPECT_EQ(Check("time_zone", std::string("Europe/Berlin")), "");
  EXPECT_EQ(Check("time_zone", std::string("Mars/Olympus")), "unknown time zone (use an IANA name like Europe/Berlin)");
}

}  // namespace
}  // namespace tessie::vehicle
