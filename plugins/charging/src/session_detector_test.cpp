// The session detector: opening, closing, energy, power, kinds of charger, restarts and estimated ends.
#include "session_detector_test_support.hpp"

namespace tessie::charging {
namespace {

using namespace detector_test;

class StartState : public ::testing::TestWithParam<std::string> {};
TEST_P(StartState, OpensASession) {
  SessionDetector d;
  auto actions = d.Feed(Sample(kT0, GetParam(), 50, 0.0, 11));
  ASSERT_EQ(Kinds(actions), std::vector<ActionKind>{ActionKind::kOpen});
  EXPECT_EQ(actions[0].record.started_ms, kT0);
  EXPECT_EQ(actions[0].record.start_battery_level, 50);
  EXPECT_FALSE(actions[0].record.ended_ms);
  ASSERT_TRUE(actions[0].point);
  EXPECT_EQ(actions[0].point->ts_ms, kT0);
}
INSTANTIATE_TEST_SUITE_P(Detector, StartState, ::testing::Values("Starting", "Charging"));

class IdleState : public ::testing::TestWithParam<std::string> {};
TEST_P(IdleState, OpensNothing) {
  SessionDetector d;
  EXPECT_TRUE(d.Feed(Sample(kT0, GetParam(), 50, 0.0)).empty());
  EXPECT_TRUE(d.Feed(Sample(kT0 + kMin, GetParam(), 50, 0.0)).empty());
}
INSTANTIATE_TEST_SUITE_P(Detector, IdleState, ::testing::Values("Complete", "Stopped", "Disconnected", "NoPower", ""));

class EndState : public ::testing::TestWithParam<std::string> {};
TEST_P(EndState, ClosesTheSessionWhenItStopped) {
  SessionDetector d;
  const std::string end = GetParam();
  // Unplugging may reset the counter to 0; the session keeps what it had.
  const double end_raw = end == "Disconnected" ? 0.0 : 5.5;
  auto actions =
      FeedAll(d, {Sample(kT0, "Charging", 50, 0.0, 11), Sample(kT0 + 15 * kMin, "Charging", 53, 2.75, 11),
                  Sample(kT0 + 30 * kMin, "Charging", 57, 5.5, 11), Sample(kT0 + 35 * kMin, end, 57, end_raw, 0)});
  ASSERT_EQ(Kinds(actions),
            (std::vector<ActionKind>{ActionKind::kOpen, ActionKind::kUpdate, ActionKind::kUpdate, ActionKind::kClose}));
  const auto& r = actions.back().record;
  EXPECT_EQ(r.id, 100);
  // Nothing was added after the last charging sample: it stopped then, not at the sample that saw it.
  EXPECT_EQ(r.ended_ms, kT0 + 30 * kMin);
  EXPECT_TRUE(r.ended_estimated);
  EXPECT_NEAR(r.energy_added_kwh, 5.5, 1e-9);
  EXPECT_EQ(r.start_battery_level, 50);
  EXPECT_EQ(r.end_battery_level, 57);
  EXPECT_FALSE(d.Track(kVehicle)->open);
}
INSTANTIATE_TEST_SUITE_P(Detector, EndState, ::testing::Values("Complete", "Stopped", "Disconnected", "NoPower"));

TEST(Detector, ClosedAcSessionHasEnergyPowerLocationAndCurve) {
  DetectorConfig hourly;  // polled about once an hour while charging
  hourly.gap_ms = 90 * kMin;
  SessionDetector d(hourly);
  auto s0 = Sample(kT0, "Starting", 40, 0.0, 0);
  auto s1 = Sample(kT0 + kMin, "Charging", 40, 0.1, 7);
  s1.data.fast_charger_type = "ACSingleWireCAN";
  auto s2 = Sample(kT0 + 61 * kMin, "Charging", 50, 7.1, 11);
  auto s3 = Sample(kT0 + 120 * kMin, "Complete", 60, 11.0, 0);
  auto actions = FeedAll(d, {s0, s1, s2, s3});
  const Action* close = Last(actions, ActionKind::kClose);
  ASSERT_NE(close, nullptr);
  const auto& r = close->record;
  EXPECT_EQ(r.charger_kind, "AC");
  EXPECT_EQ(r.charger_type, "Wall Connector");
  EXPECT_EQ(r.place, "Home");
  EXPECT_DOUBLE_EQ(*r.latitude, 52.5);
  EXPECT_DOUBLE_EQ(*r.max_power_kw, 11);
  // It stopped when the 3.9 kWh after the last charging sample were in, at 11 kW: 21.3 minutes after it.
  EXPECT_TRUE(r.ended_estimated);
  EXPECT_EQ(*r.ended_ms, kT0 + 61 * kMin + static_cast<std::int64_t>(3.9 / 11 * kHour));
  EXPECT_NEAR(*r.avg_power_kw, 11.0 / (static_cast<double>(*r.ended_ms - kT0) / kHour), 1e-9);
  EXPECT_EQ(r.start_battery_level, 40);
  EXPECT_EQ(r.end_battery_level, 60);
  ASSERT_EQ(close->curve.size(), 4u);
  EXPECT_NEAR(close->curve[2].energy_added_kwh, 7.1, 1e-9);
  EXPECT_EQ(close->curve[2].power_kw, 11);
  EXPECT_EQ(close->curve[3].ts_ms, kT0 + 120 * kMin);
  ASSERT_TRUE(close->point);  // the closing sample is stored as the curve's last point
}

TEST(Detector, PowerFromVoltageAndCurrentWhenChargerPowerIsMissing) {
  SessionDetector d;
  auto s = Sample(kT0, "Charging", 40, 0.0);
  s.data.charger_power_kw.reset();
  s.data.charger_voltage_v = 230;
  s.data.charger_actual_current_a = 16;
  s.data.charger_phases = 3;
  auto actions = d.Feed(s);
  EXPECT_NEAR(*actions.at(0).record.max_power_kw, 11.04, 1e-9);
}

TEST(Detector, EnergyCounterResetAndMissingValuesDoNotLoseEnergy) {
  SessionDetector d;
  auto actions = FeedAll(
      d, {Sample(kT0, "Charging", 40, 0.0, 11), Sample(kT0 + 10 * kMin, "Charging", 42, 5.0, 11),
          Sample(kT0 + 20 * kMin, "Charging", 44, std::nullopt, 11), Sample(kT0 + 30 * kMin, "Charging", 46, 10.0, 11),
          // replugged between two samples: the car's counter starts again at 0
          Sample(kT0 + 40 * kMin, "Charging", 48, 1.0, 11), Sample(kT0 + 50 * kMin, "Charging", 50, 3.0, 11),
          Sample(kT0 + 51 * kMin, "Complete", 50, 3.0, 0)});
  const Action* close = Last(actions, ActionKind::kClose);
  ASSERT_NE(close, nullptr);
  EXPECT_NEAR(close->record.energy_added_kwh, 13.0, 1e-9);
  EXPECT_NEAR(actions[2].record.energy_added_kwh, 5.0, 1e-9);  // missing value: keeps what it had
  for (std::size_t i = 1; i < close->curve.size(); ++i)
    EXPECT_GE(close->curve[i].energy_added_kwh, close->curve[i - 1].energy_added_kwh);
}

TEST(Detector, CounterLeftFromThePreviousChargeIsNotCounted) {
  SessionDetector d;
  // The car still shows the last charge's 30 kWh until the new charge resets its counter.
  auto actions =
      FeedAll(d, {Sample(kT0, "Disconnected", 40, 30.0), Sample(kT0 + kMin, "Starting", 40, 30.0),
                  Sample(kT0 + 2 * kMin, "Charging", 40, 0.2, 11), Sample(kT0 + 12 * kMin, "Charging", 42, 2.0, 11),
                  Sample(kT0 + 13 * kMin, "Stopped", 42, 2.0)});
  const Action* close = Last(actions, ActionKind::kClose);
  ASSERT_NE(close, nullptr);
  EXPECT_NEAR(close->record.energy_added_kwh, 2.0, 1e-9);
}

TEST(Detector, ResumingOnTheSamePlugInCountsOnlyTheNewEnergy) {
  SessionDetector d;
  auto actions =
      FeedAll(d, {Sample(kT0, "Charging", 40, 0.0, 11), Sample(kT0 + 10 * kMin, "Charging", 45, 10.0, 11),
                  Sample(kT0 + 11 * kMin, "Stopped", 45, 10.0), Sample(kT0 + 20 * kMin, "Charging", 45, 10.5, 11),
                  Sample(kT0 + 30 * kMin, "Complete", 46, 12.0)});
  ASSERT_EQ(Kinds(actions), (std::vector<ActionKind>{ActionKind::kOpen, ActionKind::kUpdate, ActionKind::kClose,
                                                     ActionKind::kOpen, ActionKind::kClose}));
  EXPECT_NEAR(actions[2].record.energy_added_kwh, 10.0, 1e-9);
  EXPECT_NEAR(actions[4].record.energy_added_kwh, 2.0, 1e-9);
  // It resumed between the samples at 11 and 20 minutes: 0.5 kWh at 11 kW before the one at 20.
  EXPECT_EQ(actions[4].record.started_ms, kT0 + 20 * kMin - static_cast<std::int64_t>(0.5 / 11 * kHour));
  EXPECT_TRUE(actions[4].record.started_estimated);
}

TEST(Detector, SuperchargerIsDcAndStaysDcWhenTheFirstSampleSaysNothing) {
  SessionDetector d;
  auto actions =
      FeedAll(d, {Sample(kT0, "Starting", 20, 0.0), Dc(Sample(kT0 + kMin, "Charging", 21, 1.0, 150)),
                  Sample(kT0 + 2 * kMin, "Charging", 23, 3.5, 140), Dc(Sample(kT0 + 25 * kMin, "Complete", 70, 40.0))});
  const auto& r = Last(actions, ActionKind::kClose)->record;
  EXPECT_EQ(r.charger_kind, "DC");
  EXPECT_EQ(r.charger_type, "Supercharger");
  EXPECT_DOUBLE_EQ(*r.max_power_kw, 150);
}

TEST(Detector, ThirdPartyDcAndPlainAc) {
  SessionDetector dc;
  auto a = dc.Feed(Dc(Sample(kT0, "Charging", 20, 0.0, 50), "Combo", "<invalid>"));
  EXPECT_EQ(a.at(0).record.charger_kind, "DC");
  EXPECT_EQ(a.at(0).record.charger_type, "CCS");
  SessionDetector ac;
  auto b = ac.Feed(Sample(kT0, "Charging", 20, 0.0, 3.7));
  EXPECT_EQ(b.at(0).record.charger_kind, "AC");
  EXPECT_EQ(b.at(0).record.charger_type, "AC");
}

TEST(Detector, RestartMidSessionContinuesTheSameSession) {
  SessionDetector before_restart;
  FeedAll(before_restart, {Sample(kT0, "Charging", 40, 0.0, 11), Sample(kT0 + 10 * kMin, "Charging", 42, 1.8, 11)});
  ASSERT_TRUE(before_restart.Track(kVehicle)->open);
  const VehicleTrack stored = *before_restart.Track(kVehicle);  // what the store persists and loads

  SessionDetector after_restart;
  after_restart.Restore(stored);
  auto update = after_restart.Feed(Sample(kT0 + 12 * kMin, "Charging", 43, 2.2, 11));
  ASSERT_EQ(Kinds(update), std::vector<ActionKind>{ActionKind::kUpdate});
  EXPECT_EQ(update[0].record.id, 100);
  EXPECT_EQ(update[0].record.started_ms, kT0);
  auto close = after_restart.Feed(Sample(kT0 + 20 * kMin, "Complete", 44, 3.0));
  ASSERT_EQ(Kinds(close), std::vector<ActionKind>{ActionKind::kClose});
  EXPECT_EQ(close[0].record.id, 100);
  EXPECT_NEAR(close[0].record.energy_added_kwh, 3.0, 1e-9);
  EXPECT_EQ(close[0].curve.size(), 4u);
}

TEST(Detector, RestartAfterTheChargeFinishedClosesAtTheLastChargingSample) {
  SessionDetector before_restart;
  FeedAll(before_restart, {Sample(kT0, "Charging", 40, 0.0, 11), Sample(kT0 + 10 * kMin, "Charging", 42, 1.8, 11)});
  SessionDetector after_restart;
  after_restart.Restore(*before_restart.Track(kVehicle));
  auto actions = after_restart.Feed(Sample(kT0 + 3 * kHour, "Complete", 80, 30.0));
  ASSERT_EQ(Kinds(actions), std::vector<ActionKind>{ActionKind::kClose});
  // It charged on after the last sample: 28.2 kWh more at 11 kW.
  EXPECT_EQ(actions[0].record.ended_ms, kT0 + 10 * kMin + static_cast<std::int64_t>(28.2 / 11 * kHour));
  EXPECT_TRUE(actions[0].record.ended_estimated);
  EXPECT_NEAR(actions[0].record.energy_added_kwh, 30.0, 1e-9);
}

TEST(Detector, AsleepWhileCompleteClosesAtTheLastChargingSampleWithTheReportedEnergy) {
  SessionDetector d;
  auto actions = FeedAll(d, {Sample(kT0, "Charging", 50, 0.0, 11), Sample(kT0 + 30 * kMin, "Charging", 57, 5.5, 11)});
  // The car finished, slept (only connectivity checks, no data) and is seen again hours later.
  VehicleState asleep;
  asleep.vehicle_id = kVehicle;
  asleep.vin = kVin;
  asleep.timestamp_ms = kT0 + 60 * kMin;
  asleep.state = "asleep";
  EXPECT_TRUE(d.Feed(asleep).empty());
  auto after = d.Feed(Sample(kT0 + 5 * kHour, "Complete", 80, 22.0));
  ASSERT_EQ(Kinds(after), std::vector<ActionKind>{ActionKind::kClose});
  const auto& r = after[0].record;
  // 16.5 kWh more at 11 kW after the last charging sample: it ended 90 minutes after it.
  EXPECT_EQ(r.ended_ms, kT0 + 120 * kMin);
  EXPECT_TRUE(r.ended_estimated);
  EXPECT_NEAR(r.energy_added_kwh, 22.0, 1e-9);
  EXPECT_EQ(r.end_battery_level, 80);
  EXPECT_NEAR(*r.avg_power_kw, 11.0, 1e-9);
  EXPECT_FALSE(r.estimated);
}

// Issue 13: an AC session closed at the poll that saw it complete, up to 15 minutes after it did.
TEST(Detector, AnAcEndIsEstimatedFromTheTimeToFull) {
  SessionDetector d;
  auto s0 = Sample(kT0, "Charging", 50, 0.0, 11);
  auto s1 = Sample(kT0 + 15 * kMin, "Charging", 53, 2.75, 11);
  s1.data.time_to_full_charge_h = 0.1;  // 6 minutes
  auto actions = FeedAll(d, {s0, s1, Sample(kT0 + 30 * kMin, "Complete", 55, 3.7, 0)});
  const Action* close = Last(actions, ActionKind::kClose);
  ASSERT_NE(close, nullptr);
  EXPECT_EQ(*close->record.ended_ms, kT0 + 21 * kMin);
  EXPECT_TRUE(close->record.ended_estimated);
  EXPECT_FALSE(close->record.started_estimated);
  ASSERT_TRUE(close->point);  // the sample that saw it complete is still on the curve
  EXPECT_EQ(close->point->ts_ms, kT0 + 30 * kMin);
}

TEST(Detector, AStoppedEndIsEstimatedFromTheEnergyAddedSince) {
  SessionDetector d;
  auto actions = FeedAll(d, {Sample(kT0, "Charging", 50, 0.0, 11), Sample(kT0 + 15 * kMin, "Charging", 53, 2.75, 11),
                             Sample(kT0 + 30 * kMin, "Stopped", 54, 2.75 + 1.1, 0)});
  const Action* close = Last(actions, ActionKind::kClose);
  ASSERT_NE(close, nullptr);
  EXPECT_EQ(*close->record.ended_ms, kT0 + 21 * kMin);  // 1.1 kWh at 11 kW: 6 minutes
  EXPECT_TRUE(close->record.ended_estimated);
  EXPECT_NEAR(*close->record.avg_power_kw, 3.85 / (21.0 / 60), 1e-9);
}

TEST(Detector, AnEndAtTheSampleItselfIsNotMarkedEstimatedWithoutData) {
  SessionDetector d;
  auto s0 = Sample(kT0, "Charging", 50, 0.0, 11);
  auto s1 = Sample(kT0 + 15 * kMin, "Charging", 53, 2.75, 11);
  s1.data.charger_power_kw.reset();
  auto actions = FeedAll(d, {s0, s1, Sample(kT0 + 30 * kMin, "Stopped", 54, 3.0, 0)});
  const Action* close = Last(actions, ActionKind::kClose);
  ASSERT_NE(close, nullptr);
  EXPECT_EQ(*close->record.ended_ms, kT0 + 30 * kMin);
  EXPECT_FALSE(close->record.ended_estimated);
}

// Issue 13: a Supercharger session first seen after it had added 20 kWh read an average of 94 kW against a
// maximum of 63: the energy counted from the plug-in, the time from the first sample.
TEST(Detector, ASessionFirstSeenUnderWayStartsWhenItsEnergyBegan) {
  SessionDetector d;
  auto parked = Sample(kT0, "Disconnected", 60, 0.0);
  parked.data.odometer_km = 12'000.0;  // arrived from a drive
  auto first = Dc(Sample(kT0 + 10 * kMin, "Charging", 66, 5.0, 150));
  first.data.energy_remaining_kwh = 49.5;  // 66 % of 75 kWh
  auto actions = FeedAll(d, {parked, first});
  ASSERT_EQ(Kinds(actions), std::vector<ActionKind>{ActionKind::kOpen});
  EXPECT_EQ(actions[0].record.started_ms, kT0 + 8 * kMin);  // 5 kWh at 150 kW: 2 minutes
  EXPECT_TRUE(actions[0].record.started_estimated);
  EXPECT_EQ(actions[0].record.start_battery_level, 59);  // 5 kWh is 7 points of 75 kWh
  EXPECT_LE(*actions[0].record.avg_power_kw, *actions[0].record.max_power_kw);
}

TEST(Detector, TheAverageIsNeverAboveThePeak) {
  SessionDetector d;
  auto parked = Sample(kT0, "Disconnected", 60, 0.0);
  parked.data.odometer_km = 12'000.0;
  // 20 kWh already added a minute after the last sample: the start cannot be earlier than that sample.
  auto first = Dc(Sample(kT0 + kMin, "Charging", 88, 20.0, 63));
  auto last = Dc(Sample(kT0 + 2 * kMin, "Charging", 89, 21.0, 60));
  auto done = Dc(Sample(kT0 + 3 * kMin, "Complete", 89, 21.5, 0));
  auto actions = FeedAll(d, {parked, first, last, done});
  for (const auto& a : actions) {
    ASSERT_TRUE(a.record.avg_power_kw && a.record.max_power_kw);
    EXPECT_LE(*a.record.avg_power_kw, *a.record.max_power_kw);
  }
  EXPECT_EQ(actions[0].record.started_ms, kT0 + 1);
}

}  // namespace
}  // namespace tessie::charging
