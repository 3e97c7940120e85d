// The JSON of drives and driver statistics: rounding, nulls, and the cost share's currencies.
#include "drive_json.hpp"

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

namespace tessie::drivers {
namespace {

constexpr std::int64_t kStart = 1'709'280'000'000;  // 2024-03-01T08:00:00Z

DriveRow Finished() {
  DriveRow d;
  d.id = 7;
  d.vehicle_id = 42;
  d.vin = "5YJ3E7EB0KF000001";
  d.display_name = "Blue";
  d.start_ms = kStart;
  d.end_ms = kStart + 600'000;
  d.start_place = "Home";
  d.start_latitude = 52.12345678;
  d.distance_km = 6.00049;
  d.distance_source = "odometer";
  d.duration_s = 600;
  d.energy_kwh = 0.9876;
  d.energy_source = "energy_remaining";
  d.efficiency_wh_per_km = 164.56;
  d.start_battery_level = 80;
  d.driver_id = 1;
  d.driver_name = "Alex";
  d.attribution = "vehicle_default";
  return d;
}

TEST(DriveJson, RoundsAndFormatsTimesAndLeavesUnknownsNull) {
  const auto o = DriveToJson(Finished());
  EXPECT_EQ(o->getValue<std::int64_t>("id"), 7);
  EXPECT_EQ(o->getValue<std::string>("start_time"), "2024-03-01T08:00:00.000Z");
  EXPECT_EQ(o->getValue<std::string>("end_time"), "2024-03-01T08:10:00.000Z");
  EXPECT_DOUBLE_EQ(o->getValue<double>("start_latitude"), 52.123457);
  EXPECT_DOUBLE_EQ(o->getValue<double>("distance_km"), 6.0);
  EXPECT_DOUBLE_EQ(o->getValue<double>("energy_used_kwh"), 0.988);
  EXPECT_DOUBLE_EQ(o->getValue<double>("efficiency_wh_per_km"), 164.6);
  EXPECT_EQ(o->getValue<std::int64_t>("start_battery_level"), 80);
  EXPECT_EQ(o->getValue<std::string>("driver_name"), "Alex");
  EXPECT_EQ(o->getValue<std::string>("attribution"), "vehicle_default");
  for (const char* key : {"end_place", "end_latitude", "max_speed_kmh", "end_battery_level"}) {
    EXPECT_TRUE(o->has(key)) << key;
    EXPECT_TRUE(o->isNull(key)) << key;
  }
}

TEST(DriveJson, ANobodyDriveHasNullDriver) {
  auto d = Finished();
  d.driver_id.reset();
  d.driver_name.reset();
  d.attribution = "none";
  const auto o = DriveToJson(d);
  EXPECT_TRUE(o->isNull("driver_id"));
  EXPECT_TRUE(o->isNull("driver_name"));
}

TEST(DriveJson, ThePathListsPointsInOrder) {
  const std::vector<PathPoint> path = {{kStart, 52.0, 13.0, 48.25, std::nullopt, 80},
                                       {kStart + 60'000, 52.01, 13.0, std::nullopt, -3.04, std::nullopt}};
  const auto o = DriveWithPathToJson(Finished(), path);
  const auto points = o->getArray("path");
  ASSERT_EQ(points->size(), 2u);
  const auto first = points->getObject(0);
  EXPECT_EQ(first->getValue<std::string>("time"), "2024-03-01T08:00:00.000Z");
  EXPECT_DOUBLE_EQ(first->getValue<double>("speed_kmh"), 48.3);
  EXPECT_TRUE(first->isNull("power_kw"));
  EXPECT_EQ(first->getValue<std::int64_t>("battery_level"), 80);
  const auto second = points->getObject(1);
  EXPECT_DOUBLE_EQ(second->getValue<double>("power_kw"), -3.0);
  EXPECT_TRUE(second->isNull("battery_level"));
}

TEST(DriverStatsJson, OneCurrencyGivesTheShareAsANumber) {
  DriverStats s;
  s.drives = 2;
  s.distance_km = 30.0004;
  s.duration_s = 1800;
  s.energy_kwh = 4.5;
  s.efficiency_wh_per_km = 149.99;
  s.cost_share["EUR"] = 3.456;
  const auto o = DriverStatsToJson(1, "Alex", kStart, std::nullopt, s);
  EXPECT_EQ(o->getValue<std::string>("name"), "Alex");
  EXPECT_EQ(o->getValue<std::string>("from"), "2024-03-01T08:00:00.000Z");
  EXPECT_TRUE(o->isNull("to"));
  EXPECT_DOUBLE_EQ(o->getValue<double>("distance_km"), 30.0);
  EXPECT_DOUBLE_EQ(o->getValue<double>("efficiency_wh_per_km"), 150.0);
  EXPECT_DOUBLE_EQ(o->getValue<double>("charging_cost_share"), 3.46);
  EXPECT_EQ(o->getValue<std::string>("currency"), "EUR");
  EXPECT_DOUBLE_EQ(o->getObject("charging_cost_shares")->getValue<double>("EUR"), 3.46);
}

TEST(DriverStatsJson, SeveralCurrenciesAreOnlyListedAndNoneIsZero) {
  DriverStats s;
  s.cost_share["EUR"] = 1.0;
  s.cost_share["USD"] = 2.0;
  auto o = DriverStatsToJson(1, "Alex", std::nullopt, std::nullopt, s);
  EXPECT_TRUE(o->isNull("charging_cost_share"));
  EXPECT_TRUE(o->isNull("currency"));
  EXPECT_EQ(o->getObject("charging_cost_shares")->size(), 2u);

  o = DriverStatsToJson(1, "Alex", std::nullopt, std::nullopt, {});
  EXPECT_DOUBLE_EQ(o->getValue<double>("charging_cost_share"), 0.0);
  EXPECT_TRUE(o->isNull("currency"));
  EXPECT_TRUE(o->isNull("efficiency_wh_per_km"));
}

}  // namespace
}  // namespace tessie::drivers
