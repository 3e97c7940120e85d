#include "driver_stats.hpp"

#include <gtest/gtest.h>

namespace tessie::drivers {
namespace {

constexpr std::int64_t kAlex = 1;
constexpr std::int64_t kSam = 2;
constexpr std::int64_t kModel3 = 100;
constexpr std::int64_t kModelY = 200;

TEST(DriverStats, TotalsCountOnlyTheDriversOwnDrives) {
  const std::vector<DriveRecord> drives = {
      {kModel3, kAlex, 20.0, 1200, 3.0},
      {kModel3, kAlex, 10.0, 600, 1.5},
      {kModel3, kSam, 50.0, 2400, 8.0},
      {kModel3, std::nullopt, 5.0, 300, 1.0},
  };
  const auto s = ComputeDriverStats(kAlex, drives, {});
  EXPECT_EQ(s.drives, 2);
  EXPECT_DOUBLE_EQ(s.distance_km, 30.0);
  EXPECT_EQ(s.duration_s, 1800);
  EXPECT_DOUBLE_EQ(s.energy_kwh, 4.5);
  EXPECT_DOUBLE_EQ(*s.efficiency_wh_per_km, 150.0);
  EXPECT_TRUE(s.cost_share.empty());
}

TEST(DriverStats, EfficiencyIgnoresTheDistanceOfDrivesWithoutEnergy) {
  const std::vector<DriveRecord> drives = {{kModel3, kAlex, 20.0, 1200, 3.0},
                                           {kModel3, kAlex, 80.0, 3600, std::nullopt}};
  const auto s = ComputeDriverStats(kAlex, drives, {});
  EXPECT_DOUBLE_EQ(s.distance_km, 100.0);
  EXPECT_DOUBLE_EQ(*s.efficiency_wh_per_km, 150.0);
}

TEST(DriverStats, ADriverWithoutDrivesHasZeroesAndNoEfficiency) {
  const auto s = ComputeDriverStats(kSam, {{kModel3, kAlex, 20.0, 1200, 3.0}}, {{kModel3, 12.0, "EUR"}});
  EXPECT_EQ(s.drives, 0);
  EXPECT_FALSE(s.efficiency_wh_per_km);
  EXPECT_TRUE(s.cost_share.empty()) << "no share of a car Sam did not drive";
}

TEST(DriverStats, CostShareIsProportionalToEnergyUsedPerVehicle) {
  const std::vector<DriveRecord> drives = {
      {kModel3, kAlex, 30.0, 1800, 6.0},         // Alex used 6 of the Model 3's 8 kWh
      {kModel3, kSam, 10.0, 600, 2.0},           //
      {kModelY, kAlex, 10.0, 600, 1.0},          // and 1 of the Model Y's 5 kWh (the rest unattributed)
      {kModelY, std::nullopt, 20.0, 1200, 4.0},  //
  };
  const std::vector<ChargingCost> sessions = {
      {kModel3, 10.0, "EUR"},
      {kModel3, 6.0, "EUR"},           // 16 EUR for the Model 3
      {kModelY, 20.0, "EUR"},          // 20 EUR for the Model Y
      {kModelY, std::nullopt, "EUR"},  // no tariff: nothing to share
  };
  const auto alex = ComputeDriverStats(kAlex, drives, sessions);
  ASSERT_EQ(alex.cost_share.size(), 1u);
  EXPECT_NEAR(alex.cost_share.at("EUR"), 16.0 * 6 / 8 + 20.0 * 1 / 5, 1e-9);  // 12 + 4
  const auto sam = ComputeDriverStats(kSam, drives, sessions);
  EXPECT_NEAR(sam.cost_share.at("EUR"), 4.0, 1e-9);
}

TEST(DriverStats, RegenerationDoesNotGiveANegativeShare) {
  const std::vector<DriveRecord> drives = {{kModel3, kAlex, 10.0, 600, -0.5}, {kModel3, kSam, 10.0, 600, 2.0}};
  const auto alex = ComputeDriverStats(kAlex, drives, {{kModel3, 10.0, "EUR"}});
  EXPECT_NEAR(alex.cost_share.at("EUR"), 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(alex.energy_kwh, -0.5) << "the driver's own energy stays as measured";
  const auto sam = ComputeDriverStats(kSam, drives, {{kModel3, 10.0, "EUR"}});
  EXPECT_NEAR(sam.cost_share.at("EUR"), 10.0, 1e-9);
}

TEST(DriverStats, WithoutEnergyDataTheShareFollowsDistance) {
  const std::vector<DriveRecord> drives = {{kModel3, kAlex, 30.0, 600, std::nullopt},
                                           {kModel3, kSam, 10.0, 600, std::nullopt}};
  const auto alex = ComputeDriverStats(kAlex, drives, {{kModel3, 8.0, "EUR"}});
  EXPECT_NEAR(alex.cost_share.at("EUR"), 6.0, 1e-9);
}

TEST(DriverStats, CurrenciesAreKeptApart) {
  const std::vector<DriveRecord> drives = {{kModel3, kAlex, 10.0, 600, 2.0}};
  const auto alex = ComputeDriverStats(kAlex, drives, {{kModel3, 10.0, "EUR"}, {kModel3, 7.0, "CHF"}});
  ASSERT_EQ(alex.cost_share.size(), 2u);
  EXPECT_DOUBLE_EQ(alex.cost_share.at("EUR"), 10.0);
  EXPECT_DOUBLE_EQ(alex.cost_share.at("CHF"), 7.0);
}

}  // namespace
}  // namespace tessie::drivers
