#include "vehicle_model.h"

#include <gtest/gtest.h>

#include "sleep_tracker.h"
#include "time_zone.h"

namespace tessie::sim {
namespace {

const double kStart = ParseRfc3339("2026-06-01T00:00:00Z");

VehicleSpec Spec() {
  VehicleSpec spec;
  spec.vin = "VIN1";
  spec.battery_kwh = 75;
  spec.start_soc_pct = 60;
  spec.start_odometer_km = 1000;
  spec.consumption_wh_per_km = 150;
  spec.home = {50.0, 8.0, "Home"};
  ScheduleEvent drive;
  drive.kind = ScheduleEvent::Kind::kDrive;
  drive.start_s = kStart + 3600;
  drive.duration_s = 1800;
  drive.distance_km = 30;
  drive.to = {50.2, 8.4, "Office"};
  ScheduleEvent charge;
  charge.kind = ScheduleEvent::Kind::kCharge;
  charge.start_s = kStart + 4 * 3600;
  charge.power_kw = 11;
  charge.target_soc_pct = 80;
  spec.schedule = {drive, charge};
  return spec;
}

TEST(VehicleModelTest, DriveMovesTheCarLinearlyAndUsesEnergyPerKm) {
  const VehicleModel model(Spec(), kStart);
  const VehicleState mid = model.StateAt(kStart + 3600 + 900);
  EXPECT_TRUE(mid.driving);
  EXPECT_NEAR(mid.odometer_km, 1015, 1e-9);
  EXPECT_NEAR(mid.lat, 50.1, 1e-9);
  EXPECT_NEAR(mid.lon, 8.2, 1e-9);
  EXPECT_NEAR(mid.speed_kmh, 60, 1e-9);
  EXPECT_NEAR(mid.soc, 0.6 - 2.25 / 75, 1e-12);  // half of 30 km x 150 Wh/km
  EXPECT_EQ(mid.destination, "Office");
  const VehicleState after = model.StateAt(kStart + 3 * 3600);
  EXPECT_FALSE(after.driving);
  EXPECT_NEAR(after.odometer_km, 1030, 1e-9);
  EXPECT_NEAR(after.lat, 50.2, 1e-9);
  EXPECT_NEAR(after.soc, 0.6 - 4.5 / 75, 1e-12);
}

TEST(VehicleModelTest, ChargeRunsAtConstantPowerUntilTheTarget) {
  const VehicleModel model(Spec(), kStart);
  const Activity& charge = model.Activities().at(1);
  const double added_kwh = (0.8 - (0.6 - 4.5 / 75)) * 75;
  EXPECT_NEAR(charge.energy_kwh, added_kwh, 1e-9);
  EXPECT_NEAR(charge.end_s - charge.start_s, added_kwh / 11 * 3600, 1e-6);
  EXPECT_TRUE(charge.target_reached);
  const VehicleState charging = model.StateAt(charge.start_s + 600);
  EXPECT_EQ(charging.charging_state, "Charging");
  EXPECT_NEAR(charging.charge_energy_added_kwh, 11.0 / 6, 1e-9);
  EXPECT_NEAR(charging.power_kw, -11, 1e-12);
  const VehicleState done = model.StateAt(charge.end_s + 60);
  EXPECT_EQ(done.charging_state, "Complete");
  EXPECT_NEAR(done.soc, 0.8, 1e-12);
  EXPECT_NEAR(done.charge_energy_added_kwh, added_kwh, 1e-9);
}

TEST(VehicleModelTest, ChargeEndsEarlyAtItsMaxDurationOrTheNextEvent) {
  VehicleSpec spec = Spec();
  spec.schedule[1].max_duration_s = 1800;  // the charge needs ~2.2 h
  ScheduleEvent drive = spec.schedule[0];
  drive.start_s = kStart + 5 * 3600;
  drive.to = spec.home;
  spec.schedule.push_back(drive);
  const VehicleModel model(spec, kStart);
  const Activity& charge = model.Activities().at(1);
  EXPECT_FALSE(charge.target_reached);
  EXPECT_NEAR(charge.energy_kwh, 5.5, 1e-9);
  EXPECT_EQ(model.StateAt(drive.start_s - 1).charging_state, "Stopped");
  EXPECT_EQ(model.StateAt(drive.start_s + 1).charging_state, "Disconnected");

  spec.schedule[1].max_duration_s = 0;
  const VehicleModel unplugged(spec, kStart);  // the drive at 5 h ends the charge after 1 h
  EXPECT_NEAR(unplugged.Activities().at(1).energy_kwh, 11, 1e-9);
  EXPECT_EQ(unplugged.StateAt(drive.start_s - 1).charging_state, "Charging");
}

TEST(VehicleModelTest, RejectsInconsistentSchedules) {
  VehicleSpec overlapping = Spec();
  overlapping.schedule[1] = overlapping.schedule[0];
  overlapping.schedule[1].start_s += 600;  // starts while the first drive is still going
  EXPECT_THROW(VehicleModel(overlapping, kStart), ScenarioError);
  VehicleSpec too_far = Spec();
  too_far.schedule[0].distance_km = 400;  // 60 kWh from 45 kWh
  EXPECT_THROW(VehicleModel(too_far, kStart), ScenarioError);
}

TEST(SleepTrackerTest, CarSleepsAfterIdleTimeAndDataRequestsKeepItAwake) {
  const VehicleModel model(Spec(), kStart);
  SleepTracker sleep(model, kStart, 900, 15);
  EXPECT_TRUE(sleep.IsOnline(kStart + 600));
  EXPECT_FALSE(sleep.IsOnline(kStart + 1000));
  sleep.OnDataRequest(kStart + 1000);  // asleep: the request does not wake it
  EXPECT_FALSE(sleep.IsOnline(kStart + 1001));
  EXPECT_TRUE(sleep.IsOnline(kStart + 3600 + 1800 + 800));  // within 15 min after the drive
  sleep.OnDataRequest(kStart + 3600 + 1800 + 800);
  EXPECT_TRUE(sleep.IsOnline(kStart + 3600 + 1800 + 1600));
  EXPECT_FALSE(sleep.IsOnline(kStart + 3600 + 1800 + 1800));
}

TEST(SleepTrackerTest, WakeUpTakesTheWakeDelayAndAsleepTimeIsCounted) {
  const VehicleModel model(Spec(), kStart);
  SleepTracker sleep(model, kStart, 900, 15);
  sleep.OnWakeUp(kStart + 2000);
  EXPECT_FALSE(sleep.IsOnline(kStart + 2010));
  EXPECT_TRUE(sleep.IsOnline(kStart + 2015));
  EXPECT_FALSE(sleep.IsOnline(kStart + 2015 + 900));
  // Awake: [0, 900) and [2015, 2915) before the drive at 3600.
  EXPECT_DOUBLE_EQ(sleep.AsleepSecondsUntil(kStart + 3600), 3600 - 900 - 900);
  EXPECT_DOUBLE_EQ(sleep.AsleepSecondsUntil(kStart + 3600 + 1800 + 900), 3600 - 1800);
}

}  // namespace
}  // namespace tessie::sim
