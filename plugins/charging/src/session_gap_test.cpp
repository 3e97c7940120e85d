// The session detector across gaps: charges missed while the car slept, offline gaps, blips, duplicate
// samples and several vehicles.
#include "session_detector_test_support.hpp"

namespace tessie::charging {
namespace {

using namespace detector_test;

TEST(Detector, GapThenDrivenClosesWithTheLastKnownEnergy) {
  SessionDetector d;
  FeedAll(d, {Sample(kT0, "Charging", 50, 0.0, 11), Sample(kT0 + 30 * kMin, "Charging", 57, 5.5, 11)});
  auto later = Sample(kT0 + 4 * kHour, "Disconnected", 70, 16.0);
  later.data.odometer_km = 12'345.0 + 25;
  auto actions = d.Feed(later);
  ASSERT_EQ(Kinds(actions), std::vector<ActionKind>{ActionKind::kClose});
  EXPECT_NEAR(actions[0].record.energy_added_kwh, 5.5, 1e-9);
  EXPECT_EQ(actions[0].record.end_battery_level, 57);
}

TEST(Detector, ChargingAgainAfterAnOfflineGapIsTheSameSession) {
  SessionDetector d;
  FeedAll(d, {Sample(kT0, "Charging", 50, 0.0, 11), Sample(kT0 + 10 * kMin, "Charging", 52, 1.8, 11)});
  auto actions = d.Feed(Sample(kT0 + 50 * kMin, "Charging", 58, 9.1, 11));
  ASSERT_EQ(Kinds(actions), std::vector<ActionKind>{ActionKind::kUpdate});
  EXPECT_NEAR(actions[0].record.energy_added_kwh, 9.1, 1e-9);
}

TEST(Detector, ChargingAfterAGapOnANewPlugInIsANewSession) {
  SessionDetector d;
  FeedAll(d, {Sample(kT0, "Charging", 50, 0.0, 11), Sample(kT0 + 10 * kMin, "Charging", 52, 8.0, 11)});
  auto actions = d.Feed(Sample(kT0 + 50 * kMin, "Charging", 58, 1.0, 11));
  ASSERT_EQ(Kinds(actions), (std::vector<ActionKind>{ActionKind::kClose, ActionKind::kOpen}));
  EXPECT_NEAR(actions[0].record.energy_added_kwh, 8.0, 1e-9);
  EXPECT_NEAR(actions[1].record.energy_added_kwh, 1.0, 1e-9);
}

TEST(Detector, MissedChargeIsEstimatedFromUsableCapacity) {
  SessionDetector d;
  auto before = Sample(kT0, "Disconnected", 40, 12.0);
  before.data.energy_remaining_kwh = 30.0;  // 30 kWh at 40 % → 75 kWh usable
  auto after = Sample(kT0 + 8 * kHour, "Disconnected", 80, 12.0);
  after.data.energy_remaining_kwh = 60.0;
  after.data.odometer_km = 12'345.3;  // within 0.5 km: not driven
  EXPECT_TRUE(d.Feed(before).empty());
  auto actions = d.Feed(after);
  ASSERT_EQ(Kinds(actions), std::vector<ActionKind>{ActionKind::kEstimated});
  const auto& r = actions[0].record;
  EXPECT_TRUE(r.estimated);
  EXPECT_EQ(r.started_ms, kT0);
  EXPECT_EQ(r.ended_ms, kT0 + 8 * kHour);
  EXPECT_EQ(r.start_battery_level, 40);
  EXPECT_EQ(r.end_battery_level, 80);
  EXPECT_NEAR(r.energy_added_kwh, 30.0, 1e-9);
  EXPECT_EQ(r.place, "Home");
  EXPECT_FALSE(r.avg_power_kw);
}

TEST(Detector, MissedChargeUsesConfiguredCapacityThenRange) {
  DetectorConfig config;
  config.capacity_kwh_by_vin[kVin] = 60.0;
  SessionDetector with_capacity(config);
  with_capacity.Feed(Sample(kT0, "Disconnected", 40, 0.0));
  auto a = with_capacity.Feed(Sample(kT0 + 6 * kHour, "Disconnected", 70, 0.0));
  ASSERT_EQ(a.size(), 1u);
  EXPECT_NEAR(a[0].record.energy_added_kwh, 18.0, 1e-9);  // 30 % of 60 kWh

  SessionDetector by_range;  // 150 Wh/km by default; range is 5 km per level point here
  by_range.Feed(Sample(kT0, "Disconnected", 40, 0.0));
  auto b = by_range.Feed(Sample(kT0 + 6 * kHour, "Disconnected", 70, 0.0));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_NEAR(b[0].record.energy_added_kwh, 150 * 0.150, 1e-9);
}

TEST(Detector, MissedChargeStillPluggedInUsesTheCarsCounter) {
  SessionDetector d;
  d.Feed(Sample(kT0, "Disconnected", 40, 30.0));  // the previous charge's value
  auto after = Dc(Sample(kT0 + 2 * kHour, "Complete", 75, 27.5));
  auto actions = d.Feed(after);
  ASSERT_EQ(Kinds(actions), std::vector<ActionKind>{ActionKind::kEstimated});
  EXPECT_NEAR(actions[0].record.energy_added_kwh, 27.5, 1e-9);
  EXPECT_EQ(actions[0].record.charger_kind, "DC");
  EXPECT_EQ(actions[0].record.charger_type, "Supercharger");
}

TEST(Detector, NoEstimateWhenTheCarDroveDuringTheGap) {
  SessionDetector d;
  d.Feed(Sample(kT0, "Disconnected", 40, 0.0));
  auto after = Sample(kT0 + 8 * kHour, "Disconnected", 80, 0.0);
  after.data.odometer_km = 12'345.0 + 35;
  EXPECT_TRUE(d.Feed(after).empty());
}

TEST(Detector, NoEstimateForASmallLevelCreepOrAnUnknownOdometer) {
  SessionDetector creep;
  creep.Feed(Sample(kT0, "Disconnected", 40, 0.0));
  EXPECT_TRUE(creep.Feed(Sample(kT0 + 8 * kHour, "Disconnected", 41, 0.0)).empty());

  SessionDetector no_odometer;
  no_odometer.Feed(Sample(kT0, "Disconnected", 40, 0.0));
  auto after = Sample(kT0 + 8 * kHour, "Disconnected", 80, 0.0);
  after.data.odometer_km.reset();
  EXPECT_TRUE(no_odometer.Feed(after).empty());
}

TEST(Detector, NoEstimateWithoutAGap) {
  SessionDetector d;
  d.Feed(Sample(kT0, "Disconnected", 40, 0.0));
  EXPECT_TRUE(d.Feed(Sample(kT0 + 10 * kMin, "Disconnected", 45, 0.0)).empty());
}

TEST(Detector, ConfiguredGapDecidesWhatIsAGap) {
  DetectorConfig config;
  config.gap_ms = 60 * kMin;
  SessionDetector d(config);
  d.Feed(Sample(kT0, "Disconnected", 40, 0.0));
  EXPECT_TRUE(d.Feed(Sample(kT0 + 50 * kMin, "Disconnected", 50, 0.0)).empty());
  EXPECT_EQ(d.Feed(Sample(kT0 + 200 * kMin, "Disconnected", 60, 0.0)).size(), 1u);
}

TEST(Detector, StartingBlipWithoutEnergyIsDiscarded) {
  SessionDetector d;
  auto actions = FeedAll(d, {Sample(kT0, "Starting", 40, 0.0), Sample(kT0 + kMin, "Stopped", 40, 0.0)});
  ASSERT_EQ(Kinds(actions), (std::vector<ActionKind>{ActionKind::kOpen, ActionKind::kDiscard}));
  EXPECT_EQ(actions[1].record.id, 100);
}

TEST(Detector, DuplicateOrOlderSamplesAndStateOnlySamplesChangeNothing) {
  SessionDetector d;
  d.Feed(Sample(kT0, "Charging", 40, 0.0, 11));
  d.Feed(Sample(kT0 + kMin, "Charging", 40, 0.2, 11));
  EXPECT_TRUE(d.Feed(Sample(kT0 + kMin, "Charging", 40, 0.2, 11)).empty());
  EXPECT_TRUE(d.Feed(Sample(kT0, "Complete", 40, 0.2)).empty());
  EXPECT_TRUE(d.Track(kVehicle)->open);
  EXPECT_EQ(d.Track(kVehicle)->open->curve.size(), 2u);
}

TEST(Detector, VehiclesAreIndependent) {
  SessionDetector d;
  auto other = Sample(kT0, "Charging", 40, 0.0, 11);
  other.vehicle_id = 7;
  other.vin = "5YJ3E7EB0KF000002";
  d.Feed(Sample(kT0, "Charging", 40, 0.0, 11));
  d.Feed(other);
  auto actions = d.Feed(Sample(kT0 + kMin, "Complete", 41, 1.0));
  ASSERT_EQ(Kinds(actions), std::vector<ActionKind>{ActionKind::kClose});
  EXPECT_EQ(actions[0].record.vehicle_id, kVehicle);
  EXPECT_TRUE(d.Track(7)->open);
}

TEST(SessionDetectorBetweenPolls, AChargeSeenOnlyAsCompleteIsRecorded) {
  SessionDetector d;
  EXPECT_TRUE(d.Feed(Sample(kT0, "Disconnected", 60, 37.6)).empty());  // arrived, last charge's counter
  auto fast = Sample(kT0 + 18 * kMin, "Complete", 90, 23.5);
  fast.data.fast_charger_present = true;
  fast.data.fast_charger_type = "Supercharger";
  const auto actions = d.Feed(fast);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, ActionKind::kEstimated);
  EXPECT_NEAR(actions[0].record.energy_added_kwh, 23.5, 1e-9);  // the car's own counter
  EXPECT_EQ(actions[0].record.started_ms, kT0);
  EXPECT_EQ(*actions[0].record.ended_ms, kT0 + 18 * kMin);
  EXPECT_EQ(actions[0].record.charger_kind, "DC");
  // Still plugged in and complete later: no second session.
  EXPECT_TRUE(d.Feed(Sample(kT0 + 40 * kMin, "Complete", 90, 23.5)).empty());
}
}  // namespace
}  // namespace tessie::charging
