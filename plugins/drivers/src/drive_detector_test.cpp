// DriveDetector: when drives start and end, per vehicle, across gaps, sleep and restarts.
#include "drive_detector.hpp"

#include <gtest/gtest.h>

#include "drive_test_samples.hpp"

namespace tessie::drivers {
namespace {

using namespace test_samples;

TEST(DriveDetector, DriveStartsOnDriveAndEndsOnParkWithTheParkSampleAsItsEnd) {
  DriveDetector d;
  EXPECT_TRUE(d.OnSample(kVehicle, At(0, "P", 0, "Home")).empty());
  auto started = d.OnSample(kVehicle, At(1, "D", 0, "Home"));
  // The drive begins at the parked sample's position (here it has not moved yet), then this sample.
  ASSERT_EQ(Kinds(started), (std::vector<K>{K::kStarted, K::kExtended}));
  EXPECT_EQ(started[0].sample.time_ms, kT0 + kMinute);
  d.SetDriveKey(kVehicle, 42);
  EXPECT_EQ(Kinds(d.OnSample(kVehicle, At(6, "D", 4))), std::vector<K>{K::kExtended});
  auto ended = d.OnSample(kVehicle, At(11, "P", 8, "Work"));
  ASSERT_EQ(Kinds(ended), (std::vector<K>{K::kExtended, K::kFinished}));
  EXPECT_EQ(ended[1].drive_key, 42);
  const auto& s = *ended[1].summary;
  EXPECT_EQ(s.start_ms, kT0 + kMinute);
  EXPECT_EQ(s.end_ms, kT0 + 11 * kMinute);
  EXPECT_EQ(s.duration_s, 600);
  EXPECT_EQ(s.start_place, "Home");
  EXPECT_EQ(s.end_place, "Work");
  EXPECT_NEAR(s.distance_km, 8.0, 1e-9);
  EXPECT_EQ(s.distance_source, DistanceSource::kOdometer);
  EXPECT_EQ(s.positions, 4);
  EXPECT_FALSE(d.HasOpenDrive(kVehicle));
}

TEST(DriveDetector, ADriveSeenLateStartsWhereTheCarWasParked) {
  DriveDetector d;
  auto parked = At(0, "P", 100, "Home");
  parked.battery_level = 90;
  d.OnSample(kVehicle, parked);
  // Polling sees the drive 10 minutes in, 6 km from home at 48 km/h.
  auto seen = At(30, "D", 106);
  seen.speed_kmh = 48;
  const auto started = d.OnSample(kVehicle, seen);
  ASSERT_EQ(Kinds(started), (std::vector<K>{K::kStarted, K::kExtended}));
  const auto& origin = started[0].sample;
  EXPECT_DOUBLE_EQ(*origin.odometer_km, 10'100);
  EXPECT_EQ(origin.place, "Home");
  EXPECT_EQ(origin.battery_level, 90);
  // 6 km at 80 % of 48 km/h = 9.4 minutes before the first driving sample.
  EXPECT_NEAR(static_cast<double>(origin.time_ms - (kT0 + 30 * kMinute)), -6 / 38.4 * 3.6e6, 1);
  d.SetDriveKey(kVehicle, 7);
  auto last = At(40, "D", 114);
  last.speed_kmh = 50;
  d.OnSample(kVehicle, last);
  const auto ended = d.OnSample(kVehicle, At(45, "P", 116, "Work"));
  ASSERT_EQ(Kinds(ended), (std::vector<K>{K::kExtended, K::kFinished}));
  const auto& s = *ended[1].summary;
  EXPECT_NEAR(s.distance_km, 16, 1e-9);  // the whole drive, not just what polling saw
  EXPECT_EQ(s.start_place, "Home");
  // The stop is estimated from the 2 km left after the last driving sample at 40 km/h: 3 minutes.
  EXPECT_EQ(s.end_ms, kT0 + 43 * kMinute);
}

TEST(DriveDetector, AfterARestartTheStoredParkedSampleIsTheOriginOfADriveSeenLate) {
  DriveDetector before;
  before.OnSample(kVehicle, At(0, "P", 100, "Home"));
  // The host restarts (a new detector); the drivers plugin gives it the parked sample it stored.
  DriveDetector after;
  after.RestoreParked(kVehicle, At(0, "P", 100, "Home"));
  after.RestoreParked(kVehicle, At(-5, "P", 90, "Old"));  // older: ignored
  auto seen = At(30, "D", 106);
  const auto started = after.OnSample(kVehicle, seen);
  ASSERT_EQ(Kinds(started), (std::vector<K>{K::kStarted, K::kExtended}));
  EXPECT_DOUBLE_EQ(*started[0].sample.odometer_km, 10'100);
  EXPECT_EQ(started[0].sample.place, "Home");
  DriveDetector fresh;  // without it, the drive would start only where polling first saw it
  EXPECT_EQ(Kinds(fresh.OnSample(kVehicle, seen)), std::vector<K>{K::kStarted});
}

TEST(DriveDetector, AParkedSampleThatDoesNotFitIsNotUsedAsTheOrigin) {
  EXPECT_FALSE(DriveOrigin(At(0, "P", 100), At(1, "D", 99)));   // odometer went back
  EXPECT_FALSE(DriveOrigin(At(0, "P", 100), At(1, "D", 200)));  // 100 km in a minute
  auto no_odometer = At(0, "P", 100);
  no_odometer.odometer_km.reset();
  EXPECT_FALSE(DriveOrigin(no_odometer, At(1, "D", 101)));
}

TEST(DriveDetector, ReverseAndNeutralAreDrivingAndNoGearEndsTheDrive) {
  DriveDetector d;
  EXPECT_EQ(Kinds(d.OnSample(kVehicle, At(0, "R", 0))), std::vector<K>{K::kStarted});
  EXPECT_EQ(Kinds(d.OnSample(kVehicle, At(1, "N", 0.05))), std::vector<K>{K::kExtended});
  EXPECT_EQ(Kinds(d.OnSample(kVehicle, At(2, "D", 1))), std::vector<K>{K::kExtended});
  EXPECT_EQ(Kinds(d.OnSample(kVehicle, At(3, nullptr, 2))), (std::vector<K>{K::kExtended, K::kFinished}));
  EXPECT_TRUE(d.OnSample(kVehicle, At(4, nullptr, 2)).empty()) << "no gear while parked starts nothing";
}

TEST(DriveDetector, GapLongerThanTheLimitEndsTheDriveAtTheLastSampleAndANewOneStarts) {
  DriveDetector d;
  d.OnSample(kVehicle, At(0, "D", 0));
  d.SetDriveKey(kVehicle, 1);
  d.OnSample(kVehicle, At(5, "D", 5));
  auto events = d.OnSample(kVehicle, At(5 + 16, "D", 30));
  ASSERT_EQ(Kinds(events), (std::vector<K>{K::kFinished, K::kStarted}));
  EXPECT_EQ(events[0].drive_key, 1);
  EXPECT_EQ(events[0].summary->end_ms, kT0 + 5 * kMinute) << "closed at the last sample before the gap";
  EXPECT_NEAR(events[0].summary->distance_km, 5.0, 1e-9);
  EXPECT_EQ(events[1].sample.time_ms, kT0 + 21 * kMinute);
}

TEST(DriveDetector, ParkAfterAGapIsNotPartOfTheDrive) {
  DriveDetector d;
  d.OnSample(kVehicle, At(0, "D", 0, "Home"));
  d.OnSample(kVehicle, At(5, "D", 5, "Shop"));
  auto events = d.OnSample(kVehicle, At(40, "P", 9, "Work"));
  ASSERT_EQ(Kinds(events), std::vector<K>{K::kFinished});
  EXPECT_EQ(events[0].summary->end_place, "Shop");
  EXPECT_NEAR(events[0].summary->distance_km, 5.0, 1e-9);
}

TEST(DriveDetector, AGapOfExactlyTheLimitKeepsTheDriveOpen) {
  DriveDetector d;
  d.OnSample(kVehicle, At(0, "D", 0));
  EXPECT_EQ(Kinds(d.OnSample(kVehicle, At(15, "D", 5))), std::vector<K>{K::kExtended});
}

TEST(DriveDetector, GapLimitIsConfigurable) {
  DriveOptions options;
  options.max_gap_ms = 5 * kMinute;
  DriveDetector d(options);
  d.OnSample(kVehicle, At(0, "D", 0));
  d.OnSample(kVehicle, At(1, "D", 1));
  EXPECT_EQ(Kinds(d.OnSample(kVehicle, At(7, "D", 5))), (std::vector<K>{K::kFinished, K::kStarted}));
}

TEST(DriveDetector, DrivesUnderTenMetresOrWithOnePositionAreDropped) {
  DriveDetector d;
  d.OnSample(kVehicle, At(0, "D", 0));
  d.SetDriveKey(kVehicle, 7);
  auto shunt = d.OnSample(kVehicle, At(1, "P", 0.008));
  ASSERT_EQ(Kinds(shunt), (std::vector<K>{K::kExtended, K::kDiscarded}));
  EXPECT_EQ(shunt[1].drive_key, 7);

  DriveSample no_position = At(3, "P", 5);
  no_position.latitude.reset();
  d.OnSample(kVehicle, At(2, "D", 0));
  EXPECT_EQ(Kinds(d.OnSample(kVehicle, no_position)), (std::vector<K>{K::kExtended, K::kDiscarded}))
      << "one position is not a path, even with 5 km on the odometer";

  d.OnSample(kVehicle, At(4, "D", 0));
  EXPECT_EQ(Kinds(d.OnSample(kVehicle, At(5, "P", 0.012))), (std::vector<K>{K::kExtended, K::kFinished}))
      << "12 m is kept";
}

TEST(DriveDetector, MinimumDistanceIsConfigurable) {
  DriveOptions options;
  options.min_distance_km = 1.0;
  DriveDetector d(options);
  d.OnSample(kVehicle, At(0, "D", 0));
  EXPECT_EQ(d.OnSample(kVehicle, At(1, "P", 0.5)).back().kind, K::kDiscarded);
}

TEST(DriveDetector, SleepEndsTheDriveButOfflineDoesNot) {
  DriveDetector d;
  d.OnSample(kVehicle, At(0, "D", 0));
  d.OnSample(kVehicle, At(2, "D", 2));
  EXPECT_TRUE(d.OnState(kVehicle, kT0 + 3 * kMinute, "offline").empty());
  EXPECT_TRUE(d.OnState(kVehicle, kT0 + 3 * kMinute, "online").empty());
  auto events = d.OnState(kVehicle, kT0 + 10 * kMinute, "asleep");
  ASSERT_EQ(Kinds(events), std::vector<K>{K::kFinished});
  EXPECT_EQ(events[0].summary->end_ms, kT0 + 2 * kMinute);
}

TEST(DriveDetector, SweepEndsDrivesWhoseCarStoppedReportingByArrivalTime) {
  DriveDetector d;
  const std::int64_t arrival = 5'000'000;  // the host's clock, unrelated to the car's timestamps
  d.OnSample(kVehicle, At(0, "D", 0), arrival);
  d.OnSample(kVehicle, At(1, "D", 1), arrival + kMinute);
  d.OnSample(2, At(0, "D", 0), arrival + 10 * kMinute);
  EXPECT_TRUE(d.Sweep(arrival + 16 * kMinute).empty()) << "15 minutes after the last arrival is not yet a gap";
  auto events = d.Sweep(arrival + 16 * kMinute + 1);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].vehicle_id, kVehicle);
  EXPECT_EQ(events[0].kind, K::kFinished);
  EXPECT_TRUE(d.HasOpenDrive(2));
}

TEST(DriveDetector, StaleAndRepeatedSamplesAreIgnored) {
  DriveDetector d;
  d.OnSample(kVehicle, At(0, "D", 0));
  d.OnSample(kVehicle, At(2, "D", 2));
  EXPECT_TRUE(d.OnSample(kVehicle, At(2, "D", 2)).empty());
  EXPECT_TRUE(d.OnSample(kVehicle, At(1, "P", 1)).empty()) << "an older P must not end the drive";
  EXPECT_TRUE(d.HasOpenDrive(kVehicle));
}

TEST(DriveDetector, VehiclesAreTrackedSeparately) {
  DriveDetector d;
  d.OnSample(1, At(0, "D", 0));
  d.OnSample(2, At(0, "D", 0));
  EXPECT_EQ(Kinds(d.OnSample(1, At(1, "P", 1))), (std::vector<K>{K::kExtended, K::kFinished}));
  EXPECT_TRUE(d.HasOpenDrive(2));
}

TEST(DriveDetector, ADriveRestoredAfterARestartContinuesAsIfNothingHappened) {
  std::vector<DriveSample> before = {At(0, "D", 0, "Home"), At(4, "D", 3), At(8, "D", 6)};
  std::vector<DriveSample> after = {At(12, "D", 9), At(14, "P", 10, "Work")};

  DriveDetector uninterrupted;
  std::optional<DriveSummary> expected;
  for (const auto& s : before) uninterrupted.OnSample(kVehicle, s);
  for (const auto& s : after)
    for (const auto& e : uninterrupted.OnSample(kVehicle, s))
      if (e.kind == K::kFinished) expected = e.summary;
  ASSERT_TRUE(expected);

  DriveDetector restarted;
  restarted.Restore(kVehicle, 99, before, 0);
  EXPECT_TRUE(restarted.HasOpenDrive(kVehicle));
  EXPECT_TRUE(restarted.OnSample(kVehicle, At(8, "D", 6)).empty()) << "the last stored sample again is a repeat";
  std::optional<DriveEvent> finished;
  for (const auto& s : after)
    for (const auto& e : restarted.OnSample(kVehicle, s))
      if (e.kind == K::kFinished) finished = e;
  ASSERT_TRUE(finished);
  EXPECT_EQ(finished->drive_key, 99);
  EXPECT_EQ(finished->summary->start_ms, expected->start_ms);
  EXPECT_EQ(finished->summary->start_place, "Home");
  EXPECT_EQ(finished->summary->end_place, "Work");
  EXPECT_DOUBLE_EQ(finished->summary->distance_km, expected->distance_km);
  EXPECT_NEAR(finished->summary->distance_km, 10.0, 1e-9);
  // The stop is estimated 1 km after the last driving sample (at 40 km/h): 13.5 minutes in.
  EXPECT_EQ(finished->summary->duration_s, 810);
}

TEST(DriveDetector, ARestoredDriveAfterALongOutageIsClosedAtItsLastStoredSample) {
  DriveDetector d;
  d.Restore(kVehicle, 5, {At(0, "D", 0), At(3, "D", 2)}, 0);
  auto events = d.OnSample(kVehicle, At(120, "P", 2));
  ASSERT_EQ(Kinds(events), std::vector<K>{K::kFinished});
  EXPECT_EQ(events[0].drive_key, 5);
  EXPECT_EQ(events[0].summary->end_ms, kT0 + 3 * kMinute);
}

}  // namespace
}  // namespace tessie::drivers
