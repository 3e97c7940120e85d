// Summarise: distance, energy, efficiency and speeds of a drive from its samples.
#include <gtest/gtest.h>

#include "drive_detector.hpp"
#include "drive_test_samples.hpp"

namespace tessie::drivers {
namespace {

using namespace test_samples;

TEST(Summarise, DistanceFallsBackToPathLengthWithoutOdometer) {
  std::vector<DriveSample> samples = {At(0, "D", 0), At(5, "D", 3), At(10, "P", 6)};
  for (auto& s : samples) s.odometer_km.reset();
  samples[1].longitude = 13.0 + 1.0 / 68.4;  // a detour ~1.0 km east at latitude ~52°
  const auto d = Summarise(samples, {});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->distance_source, DistanceSource::kPath);
  const double leg1 = HaversineKm(52.0, 13.0, *samples[1].latitude, *samples[1].longitude);
  const double leg2 = HaversineKm(*samples[1].latitude, *samples[1].longitude, *samples[2].latitude, 13.0);
  EXPECT_NEAR(d->distance_km, leg1 + leg2, 1e-9);
  EXPECT_GT(d->distance_km, 6.2) << "the detour makes the path longer than the straight 6 km";
  EXPECT_LT(d->distance_km, 6.5);
}

TEST(Summarise, HaversineMatchesAKnownDistance) {
  // Berlin Brandenburg Gate to Munich Marienplatz: about 504 km.
  EXPECT_NEAR(HaversineKm(52.5163, 13.3777, 48.1374, 11.5755), 504.2, 1.0);
}

TEST(Summarise, EnergyFromEnergyRemainingGivesEfficiency) {
  std::vector<DriveSample> samples = {At(0, "D", 0), At(15, "D", 10), At(30, "P", 20)};
  samples[0].energy_remaining_kwh = 60.0;
  samples[1].energy_remaining_kwh = 58.5;
  samples[2].energy_remaining_kwh = 57.0;
  samples[0].usable_battery_level = 80;  // ignored: energy_remaining wins
  samples[2].usable_battery_level = 70;
  const auto d = Summarise(samples, {});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->energy_source, EnergySource::kEnergyRemaining);
  EXPECT_NEAR(*d->energy_used_kwh, 3.0, 1e-9);
  EXPECT_NEAR(*d->efficiency_wh_per_km, 150.0, 1e-9);
}

// Issue 13: a drive's energy began at the last parked sample, so the drain while parked (hours of it) was
// counted as driving: Home → Monterey read 184 Wh/km against 165.
TEST(Summarise, TheDrainWhileParkedIsNotPartOfTheDrive) {
  DriveDetector d;
  auto parked = At(0, "P", 0, "Home");
  parked.energy_remaining_kwh = 60.0;
  d.OnSample(kVehicle, parked);
  // Ten hours later the car leaves; it lost 3 kWh standing. Polling sees it 1 km in, then every 5 minutes.
  auto first = At(601, "D", 1);
  first.energy_remaining_kwh = 60.0 - 3.0 - 0.15;
  auto middle = At(606, "D", 10);
  middle.energy_remaining_kwh = 60.0 - 3.0 - 1.5;
  auto end = At(612, "P", 20, "Work");
  end.energy_remaining_kwh = 60.0 - 3.0 - 3.0;
  d.OnSample(kVehicle, first);
  d.OnSample(kVehicle, middle);
  const auto events = d.OnSample(kVehicle, end);
  ASSERT_EQ(Kinds(events), (std::vector<K>{K::kExtended, K::kFinished}));
  const auto& s = *events[1].summary;
  EXPECT_NEAR(s.distance_km, 20, 1e-9);
  EXPECT_NEAR(*s.energy_used_kwh, 3.0, 1e-9);  // 2.85 kWh over the 19 km seen, for 20 km
  EXPECT_NEAR(*s.efficiency_wh_per_km, 150, 1e-9);
}

TEST(Summarise, AChargeBegunBeforeTheParkedSampleIsNotTakenOffTheDrive) {
  std::vector<DriveSample> samples = {At(0, "D", 0), At(15, "D", 10), At(30, "P", 20)};
  samples[0].energy_remaining_kwh = 60.0;
  samples[1].energy_remaining_kwh = 58.5;
  samples[2].energy_remaining_kwh = 62.0;  // plugged in at a Supercharger on arrival
  samples[2].charging = true;
  const auto d = Summarise(samples, {});
  ASSERT_TRUE(d);
  EXPECT_NEAR(*d->energy_used_kwh, 3.0, 1e-9);
  EXPECT_NEAR(*d->efficiency_wh_per_km, 150.0, 1e-9);
}

TEST(Summarise, TooLittleSeenOnTheRoadFallsBackToTheFirstAndLastSamples) {
  // Seen moving only for the last 2 of 20 km: too little to scale from.
  std::vector<DriveSample> samples = {At(0, "D", 0), At(29, "D", 18), At(30, "P", 20)};
  samples[0].speed_kmh = 0;  // an origin
  samples[0].energy_remaining_kwh = 60.0;
  samples[1].energy_remaining_kwh = 57.3;
  samples[2].energy_remaining_kwh = 57.0;
  const auto d = Summarise(samples, {});
  ASSERT_TRUE(d);
  EXPECT_NEAR(*d->energy_used_kwh, 3.0, 1e-9);
}

TEST(Summarise, EnergyFromUsableBatteryLevelUsesTheConfiguredCapacity) {
  std::vector<DriveSample> samples = {At(0, "D", 0), At(30, "P", 20)};
  samples[0].usable_battery_level = 80;
  samples[1].usable_battery_level = 76;
  DriveOptions options;
  options.battery_capacity_kwh = 50.0;
  const auto d = Summarise(samples, options);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->energy_source, EnergySource::kUsableBatteryLevel);
  EXPECT_NEAR(*d->energy_used_kwh, 2.0, 1e-9);
  EXPECT_NEAR(*d->efficiency_wh_per_km, 100.0, 1e-9);
}

TEST(Summarise, EnergyFromRatedRangeUsesTheConfiguredConsumption) {
  std::vector<DriveSample> samples = {At(0, "D", 0), At(30, "P", 20)};
  samples[0].battery_range_km = 300;
  samples[1].battery_range_km = 276;
  DriveOptions options;
  options.rated_wh_per_km = 125.0;
  const auto d = Summarise(samples, options);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->energy_source, EnergySource::kRatedRange);
  EXPECT_NEAR(*d->energy_used_kwh, 3.0, 1e-9);
  EXPECT_NEAR(*d->efficiency_wh_per_km, 150.0, 1e-9);
}

TEST(Summarise, WithoutAnyEnergyInputEnergyAndEfficiencyAreUnknown) {
  const auto d = Summarise({At(0, "D", 0), At(30, "P", 20)}, {});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->energy_source, EnergySource::kNone);
  EXPECT_FALSE(d->energy_used_kwh);
  EXPECT_FALSE(d->efficiency_wh_per_km);
}

TEST(Summarise, MaxSpeedIsTheFastestSampleAndAverageIsDistanceOverDuration) {
  std::vector<DriveSample> samples = {At(0, "D", 0), At(10, "D", 10), At(20, "D", 25), At(30, "P", 30)};
  samples[0].speed_kmh = 20;
  samples[1].speed_kmh = 118;
  samples[2].speed_kmh = 90;
  samples[3].speed_kmh = 0;
  const auto d = Summarise(samples, {});
  ASSERT_TRUE(d);
  EXPECT_DOUBLE_EQ(*d->max_speed_kmh, 118);
  // The stop is estimated 5 km after the last driving sample at 72 km/h (80 % of 90): 24 min 10 s in.
  EXPECT_EQ(d->end_ms, kT0 + 20 * kMinute + 250'000);
  EXPECT_NEAR(*d->average_speed_kmh, 30.0 / (1450.0 / 3600), 1e-9);
  EXPECT_NEAR(*d->start_latitude, 52.0, 1e-12);
  EXPECT_NEAR(*d->end_latitude, 52.0 + 30 / 111.195, 1e-12);
  EXPECT_DOUBLE_EQ(*d->start_odometer_km, 10'000);
  EXPECT_DOUBLE_EQ(*d->end_odometer_km, 10'030);
}

}  // namespace
}  // namespace tessie::drivers
