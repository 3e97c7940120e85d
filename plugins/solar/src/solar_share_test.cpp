#include "solar_share.hpp"

#include <gtest/gtest.h>

namespace tessie::solar {
namespace {

constexpr std::int64_t kNoon = 1'780'315'200'000;  // 2026-06-01T12:00:00Z
constexpr std::int64_t kMin = 60'000;

IntervalFlows Interval(std::int64_t ts_ms, double solar_wh, double home_wh, double battery_in_wh = 0,
                       double battery_out_wh = 0) {
  IntervalFlows f;
  f.ts_ms = ts_ms;
  f.solar_wh = solar_wh;
  f.home_wh = home_wh;
  f.battery_in_wh = battery_in_wh;
  f.battery_out_wh = battery_out_wh;
  return f;
}

ChargeSession Session(std::int64_t start_ms, std::int64_t end_ms, double energy_kwh, std::string place = "Home",
                      std::string kind = "AC") {
  return {42, start_ms, end_ms, energy_kwh, std::move(kind), std::move(place)};
}

// A one-hour 7 kWh session: 583.3 Wh per 5-minute interval, on top of a 50 Wh base load.
constexpr double kCarWh = 7000.0 / 12;

std::vector<IntervalFlows> Hour(double solar_wh, double battery_in_wh, double battery_out_wh) {
  std::vector<IntervalFlows> out;
  for (int i = 0; i < 12; ++i)
    out.push_back(Interval(kNoon + i * 5 * kMin, solar_wh, 50 + kCarWh, battery_in_wh, battery_out_wh));
  return out;
}

TEST(SolarShareTest, NoonSurplusCoversTheWholeCharge) {
  // 12 kW of sun, the battery still charging with 3.6 kW: the surplus exceeds the car.
  const auto r = ComputeShare(Session(kNoon, kNoon + 60 * kMin, 7), Hour(1000, 300, 0), {});
  EXPECT_TRUE(r.complete);
  EXPECT_NEAR(r.car_wh, 7000, 1e-6);
  EXPECT_NEAR(r.SharePct(), 100, 1e-9);
}

TEST(SolarShareTest, NightChargeFromTheGridIsZero) {
  const auto r = ComputeShare(Session(kNoon, kNoon + 60 * kMin, 7), Hour(0, 0, 0), {});
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.green_wh, 0);
  EXPECT_EQ(r.SharePct(), 0);
}

TEST(SolarShareTest, PartialSurplusCoversPartOfTheCharge) {
  // 300 Wh of sun per interval: 50 Wh for the house, 250 Wh for the car.
  const auto r = ComputeShare(Session(kNoon, kNoon + 60 * kMin, 7), Hour(300, 0, 0), {});
  EXPECT_NEAR(r.green_wh, 12 * 250, 1e-6);
  EXPECT_NEAR(r.SharePct(), 100 * 250 / kCarWh, 1e-9);
}

TEST(SolarShareTest, BatteryDischargeCountsAsSolarUnlessSwitchedOff) {
  // Evening: no sun, the battery gives 400 Wh per interval, the grid the rest.
  const auto session = Session(kNoon, kNoon + 60 * kMin, 7);
  const auto with_battery = ComputeShare(session, Hour(0, 0, 400), {.battery_counts_as_solar = true});
  EXPECT_NEAR(with_battery.SharePct(), 100 * 350 / kCarWh, 1e-9);
  const auto without = ComputeShare(session, Hour(0, 0, 400), {.battery_counts_as_solar = false});
  EXPECT_EQ(without.SharePct(), 0);
  // Sun going into the home battery is not surplus for the car.
  const auto charging_battery = ComputeShare(session, Hour(700, 400, 0), {});
  EXPECT_NEAR(charging_battery.green_wh, 12 * 250, 1e-6);
}

TEST(SolarShareTest, SessionEdgesTakeTheirShareOfEachInterval) {
  // 12:02-12:13, 1.1 kWh = 100 Wh a minute: 300 Wh in the 12:00 interval, 500 in 12:05, 300 in 12:10.
  const auto session = Session(kNoon + 2 * kMin, kNoon + 13 * kMin, 1.1);
  const std::vector<IntervalFlows> intervals = {
      Interval(kNoon - 5 * kMin, 5000, 0),         // before the session: ignored
      Interval(kNoon, 2000, 50 + 300),             // plenty of sun: its 300 Wh are green
      Interval(kNoon + 5 * kMin, 0, 50 + 500),     // none
      Interval(kNoon + 10 * kMin, 200, 50 + 300),  // 150 Wh of surplus for 300 Wh of car
      Interval(kNoon + 15 * kMin, 5000, 0),        // after: ignored
  };
  const auto r = ComputeShare(session, intervals, {});
  EXPECT_TRUE(r.complete);
  EXPECT_NEAR(r.car_wh, 1100, 1e-6);
  EXPECT_NEAR(r.green_wh, 300 + 0 + 150, 1e-6);
  EXPECT_NEAR(r.SharePct(), 100 * 450 / 1100.0, 1e-9);
}

TEST(SolarShareTest, MissingIntervalsLeaveTheShareIncomplete) {
  const auto session = Session(kNoon + 2 * kMin, kNoon + 13 * kMin, 1.1);
  const std::vector<IntervalFlows> intervals = {Interval(kNoon + 10 * kMin, 2000, 350), Interval(kNoon, 2000, 350)};
  const auto r = ComputeShare(session, intervals, {});
  EXPECT_FALSE(r.complete);
  EXPECT_NEAR(r.car_wh, 600, 1e-6);  // the share so far is over the covered part only
  EXPECT_NEAR(r.SharePct(), 100, 1e-9);
}

TEST(SolarShareTest, SessionWithoutDurationUsesTheIntervalOfItsStart) {
  const auto session = Session(kNoon + 7 * kMin, kNoon + 7 * kMin, 0.2);
  EXPECT_FALSE(ComputeShare(session, {Interval(kNoon, 1000, 250)}, {}).complete);
  const auto r = ComputeShare(session, {Interval(kNoon, 1000, 250), Interval(kNoon + 5 * kMin, 1000, 250)}, {});
  EXPECT_TRUE(r.complete);
  EXPECT_NEAR(r.car_wh, 200, 1e-9);
  EXPECT_NEAR(r.SharePct(), 100, 1e-9);
}

TEST(SolarShareTest, GreenNeverExceedsTheCarNorGoesNegative) {
  EXPECT_EQ(GreenWh(Interval(0, 10'000, 100), 100, {}), 100);
  EXPECT_EQ(GreenWh(Interval(0, 0, 5'000), 100, {}), 0);
  EXPECT_EQ(GreenWh(Interval(0, 10'000, 100), 0, {}), 0);
}

TEST(SolarShareTest, HomePlaceRule) {
  const HomeRule rule{{"Home", "Holiday Flat"}, false};
  EXPECT_TRUE(IsAtHome(Session(0, 1, 1, "Home"), rule, true));
  EXPECT_TRUE(IsAtHome(Session(0, 1, 1, " home "), rule, false));
  EXPECT_TRUE(IsAtHome(Session(0, 1, 1, "holiday flat", "DC"), rule, false));
  EXPECT_FALSE(IsAtHome(Session(0, 1, 1, "Work"), rule, true));
  EXPECT_FALSE(IsAtHome(Session(0, 1, 1, ""), rule, true));  // unknown_place_is_home is off

  const HomeRule unknown_home{{"Home"}, true};
  EXPECT_TRUE(IsAtHome(Session(0, 1, 1, ""), unknown_home, true));
  EXPECT_FALSE(IsAtHome(Session(0, 1, 1, ""), unknown_home, false));       // several sites: can't tell
  EXPECT_FALSE(IsAtHome(Session(0, 1, 1, "", "DC"), unknown_home, true));  // a DC charger is not the wall connector
  EXPECT_FALSE(IsAtHome(Session(0, 1, 1, "Work"), unknown_home, true));
}

TEST(SolarShareTest, CostMixesGridAndFeedInPrices) {
  Prices prices{0.30, 0.08, "EUR"};
  EXPECT_NEAR(*ChargeCost(10, 0, prices), 3.0, 1e-12);
  EXPECT_NEAR(*ChargeCost(10, 100, prices), 0.8, 1e-12);
  EXPECT_NEAR(*ChargeCost(10, 25, prices), 10 * (0.30 * 0.75 + 0.08 * 0.25), 1e-12);
  prices.grid_per_kwh.reset();
  EXPECT_FALSE(ChargeCost(10, 25, prices));
}

}  // namespace
}  // namespace tessie::solar
