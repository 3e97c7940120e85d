#include "vehicle_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

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

double KmBetween(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRad = std::numbers::pi / 180;
  const double x = (lon2 - lon1) * kRad * std::cos((lat1 + lat2) / 2 * kRad);
  const double y = (lat2 - lat1) * kRad;
  return std::hypot(x, y) * 6371.0088;
}

TEST(VehicleModelTest, DriveFollowsAPathWithASpeedProfileAndExactDistance) {
  const VehicleModel model(Spec(), kStart);
  const Activity& drive = model.Activities().at(0);
  const double start_soc = 0.6 - model.DrainKwh(3600) / 75;
  EXPECT_NEAR(drive.start_soc, start_soc, 1e-12);
  ASSERT_EQ(drive.path.size(), 6u);  // from, 4 generated bends, to
  EXPECT_EQ(drive.path.front().lat, 50.0);
  EXPECT_EQ(drive.path.back().lon, 8.4);

  const VehicleState first = model.StateAt(drive.start_s);
  EXPECT_TRUE(first.driving);
  EXPECT_EQ(first.speed_kmh, 0);
  EXPECT_NEAR(first.lat, 50.0, 1e-12);
  EXPECT_NEAR(first.lon, 8.0, 1e-12);
  EXPECT_NEAR(first.odometer_km, 1000, 1e-12);

  // Sampled every second: the odometer integrates the speed, the car moves along its reported heading,
  // power is positive accelerating and negative (regen) while slowing to the stop.
  double speed_integral_km = 0, max_speed_kmh = 0, energy_integral_kwh = 0, min_power_kw = 0, max_power_kw = 0;
  double previous_odometer_km = 1000;
  VehicleState previous = first;
  for (double t = drive.start_s + 1; t < drive.end_s; t += 1) {
    const VehicleState s = model.StateAt(t);
    ASSERT_TRUE(s.driving);
    EXPECT_GE(s.odometer_km, previous_odometer_km - 1e-12);
    EXPECT_GE(s.speed_kmh, 0);
    speed_integral_km += (previous.speed_kmh + s.speed_kmh) / 2 / 3600;
    energy_integral_kwh += previous.power_kw / 3600;
    max_speed_kmh = std::max(max_speed_kmh, s.speed_kmh);
    min_power_kw = std::min(min_power_kw, s.power_kw);
    max_power_kw = std::max(max_power_kw, s.power_kw);
    const double moved_km = KmBetween(previous.lat, previous.lon, s.lat, s.lon);
    if (moved_km > 0.005 && std::fmod(t - drive.start_s, 60) == 0) {
      const double heading_deg =
          std::atan2((s.lon - previous.lon) * std::cos(s.lat * std::numbers::pi / 180), s.lat - previous.lat) * 180 /
          std::numbers::pi;
      const double diff = std::fmod(std::fabs(heading_deg - s.heading_deg) + 360, 360);
      EXPECT_LT(std::min(diff, 360 - diff), 10) << t - drive.start_s;
    }
    previous_odometer_km = s.odometer_km;
    previous = s;
  }
  speed_integral_km += previous.speed_kmh / 2 / 3600;
  energy_integral_kwh += previous.power_kw / 3600;
  EXPECT_NEAR(speed_integral_km, 30, 30 * 1e-3);
  EXPECT_NEAR(energy_integral_kwh, 4.5, 4.5 * 1e-3);  // 30 km x 150 Wh/km
  EXPECT_GT(max_speed_kmh, 60 * 1.05);                // average 60 km/h
  EXPECT_LT(max_speed_kmh, 60 * 1.6);
  EXPECT_LT(min_power_kw, 0);
  EXPECT_GT(max_power_kw, 4.5 / 0.5);
  EXPECT_LT(model.StateAt(drive.end_s - 1).speed_kmh, 10);
  EXPECT_NEAR(KmBetween(previous.lat, previous.lon, 50.2, 8.4), 0, 0.05);

  const VehicleState after = model.StateAt(drive.end_s);
  EXPECT_FALSE(after.driving);
  EXPECT_EQ(after.odometer_km - 1000, 30);
  EXPECT_EQ(after.lat, 50.2);
  EXPECT_EQ(after.lon, 8.4);
  EXPECT_NEAR(after.soc, start_soc - 4.5 / 75, 1e-12);
  EXPECT_EQ(drive.end_odometer_km - drive.start_odometer_km, 30);
  EXPECT_NEAR(drive.EnergyAtKwh(drive.end_s), 4.5, 1e-9);
  EXPECT_NEAR(after.heading_deg, model.StateAt(drive.end_s - 1).heading_deg, 1e-9);
}

TEST(VehicleModelTest, DriveThroughWaypointsSlowsThere) {
  VehicleSpec spec = Spec();
  spec.schedule[0].via = {{50.0, 8.4, "Corner"}};
  const VehicleModel model(spec, kStart);
  const Activity& drive = model.Activities().at(0);
  ASSERT_EQ(drive.path.size(), 3u);
  // Where the car is closest to the waypoint it drives well below the average speed.
  double best_km = 1e9, speed_there = 0;
  for (double t = drive.start_s; t < drive.end_s; t += 1) {
    const VehicleState s = model.StateAt(t);
    const double km = KmBetween(s.lat, s.lon, 50.0, 8.4);
    if (km < best_km) {
      best_km = km;
      speed_there = s.speed_kmh;
    }
  }
  EXPECT_LT(best_km, 0.2);
  EXPECT_LT(speed_there, 60 * 0.85);
  EXPECT_EQ(model.StateAt(drive.end_s).odometer_km, 1030);
}

TEST(VehicleModelTest, AcChargeRampsHoldsAndTapersBeforeTheTarget) {
  const VehicleModel model(Spec(), kStart);
  const Activity& charge = model.Activities().at(1);
  const double added_kwh = (0.8 - charge.start_soc) * 75;
  EXPECT_NEAR(charge.energy_kwh, added_kwh, 1e-9);
  EXPECT_TRUE(charge.target_reached);
  EXPECT_GT(charge.end_s - charge.start_s, added_kwh / 11 * 3600);  // slower than constant power

  EXPECT_LT(model.StateAt(charge.start_s + 5).charger_power_kw, 11 * 0.2);
  EXPECT_LT(model.StateAt(charge.start_s + 25).charger_power_kw, 11);
  EXPECT_DOUBLE_EQ(model.StateAt(charge.start_s + 60).charger_power_kw, 11);
  const VehicleState middle = model.StateAt(charge.start_s + 3600);
  EXPECT_EQ(middle.charging_state, "Charging");
  EXPECT_DOUBLE_EQ(middle.charger_power_kw, 11);
  EXPECT_DOUBLE_EQ(middle.power_kw, -11);
  EXPECT_NEAR(middle.soc, charge.start_soc + middle.charge_energy_added_kwh / 75, 1e-12);
  // Taper: above 95 % of the target the power falls steadily.
  double previous_kw = 11;
  int tapering = 0;
  for (double t = charge.start_s + 60; t < charge.end_s; t += 10) {
    const VehicleState s = model.StateAt(t);
    if (s.soc > 0.8 * 0.95 + 0.001) {
      EXPECT_LT(s.charger_power_kw, 11);
      EXPECT_LE(s.charger_power_kw, previous_kw + 1e-12);
      ++tapering;
    } else if (s.soc < 0.8 * 0.95 - 0.001) {
      EXPECT_DOUBLE_EQ(s.charger_power_kw, 11);
    }
    previous_kw = s.charger_power_kw;
  }
  EXPECT_GT(tapering, 10);
  EXPECT_LT(previous_kw, 11 * 0.4);
  EXPECT_NEAR(model.StateAt(charge.end_s - 1).time_to_full_h, 1.0 / 3600, 1e-9);

  const VehicleState done = model.StateAt(charge.end_s + 60);
  EXPECT_EQ(done.charging_state, "Complete");
  EXPECT_NEAR(done.soc, 0.8, 1e-12);
  EXPECT_NEAR(done.charge_energy_added_kwh, added_kwh, 1e-9);
  EXPECT_NEAR(model.StateAt(charge.end_s + 86400).soc, 0.8, 1e-12);  // plugged in: no idle drain
}

TEST(VehicleModelTest, DcPowerFallsWithSocAndEnergyIsTheIntegralOfTheCurve) {
  VehicleSpec spec = Spec();
  spec.start_soc_pct = 12;
  spec.schedule = {spec.schedule[1]};
  spec.schedule[0].dc = true;
  spec.schedule[0].power_kw = 150;
  const VehicleModel model(spec, kStart);
  const Activity& charge = model.Activities().at(0);
  EXPECT_NEAR(model.StateAt(charge.start_s + 60).charger_power_kw, 150, 1e-9);

  double previous_kw = 150;
  for (double t = charge.start_s + 30; t < charge.end_s; t += 10) {
    const VehicleState s = model.StateAt(t);
    EXPECT_LE(s.charger_power_kw, previous_kw + 1e-9);
    if (s.soc < 0.44) {
      EXPECT_NEAR(s.charger_power_kw, 150, 1e-9);
    } else if (s.soc > 0.6) {
      EXPECT_LT(s.charger_power_kw, 150 * 0.75);
    }
    previous_kw = s.charger_power_kw;
  }
  EXPECT_NEAR(previous_kw, 150 * 0.35, 150 * 0.02);  // just below 80 %

  // An independent fine RK4 integration of the same curve: the energy added at every minute matches.
  const double battery_kwh = 75;
  double soc = charge.start_soc, t = 0;
  const double h = 0.05;
  const auto rate = [&](double time_s, double x) { return DcChargePowerKw(150, time_s, x) / battery_kwh / 3600; };
  for (int minute = 1; charge.start_s + minute * 60 < charge.end_s; ++minute) {
    while (t < minute * 60 - 1e-9) {
      const double k1 = rate(t, soc), k2 = rate(t + h / 2, soc + h / 2 * k1), k3 = rate(t + h / 2, soc + h / 2 * k2),
                   k4 = rate(t + h, soc + h * k3);
      soc += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
      t += h;
    }
    const double reference_kwh = (soc - charge.start_soc) * battery_kwh;
    const double model_kwh = model.StateAt(charge.start_s + minute * 60).charge_energy_added_kwh;
    EXPECT_NEAR(model_kwh, reference_kwh, reference_kwh * 1e-3) << minute;
  }
  // ... and the reported power integrates to the energy added.
  double sampled_kwh = 0;
  for (double t2 = charge.start_s; t2 < charge.end_s; t2 += 1) sampled_kwh += model.StateAt(t2).charger_power_kw / 3600;
  EXPECT_NEAR(sampled_kwh, charge.energy_kwh, charge.energy_kwh * 1e-3);
  EXPECT_NEAR(charge.energy_kwh, (0.8 - charge.start_soc) * battery_kwh, 1e-9);
}

TEST(VehicleModelTest, IdleDrainIsSmallAwakeAndSmallerAsleep) {
  VehicleSpec spec = Spec();
  spec.schedule.clear();
  spec.drain_awake_w = 400;
  spec.drain_asleep_w = 40;
  const VehicleModel model(spec, kStart, 900);
  EXPECT_NEAR(model.DrainKwh(900), 0.1, 1e-12);
  EXPECT_NEAR(model.DrainKwh(3600), 0.1 + 0.04 * 0.75, 1e-12);
  const VehicleState day = model.StateAt(kStart + 86400);
  EXPECT_NEAR(day.drain_kwh, 0.1 + 0.04 * 23.75, 1e-12);
  EXPECT_NEAR(day.soc, 0.6 - day.drain_kwh / 75, 1e-12);
  // Overnight asleep (22:00 to 06:00): 8 h x 40 W = 0.32 kWh, about 0.43 % of 75 kWh.
  const double overnight = model.StateAt(kStart + 22 * 3600).soc - model.StateAt(kStart + 30 * 3600).soc;
  EXPECT_NEAR(overnight * 75, 0.32, 1e-9);

  // The drive after an hour parked starts from the drained SOC; the drain continues after it.
  const VehicleModel commuting(Spec(), kStart, 900);
  const Activity& drive = commuting.Activities().at(0);
  EXPECT_NEAR(drive.drain_before_kwh, commuting.DrainKwh(3600), 1e-12);
  const VehicleState parked = commuting.StateAt(drive.end_s + 1800);
  EXPECT_NEAR(parked.drain_kwh, commuting.DrainKwh(3600) + commuting.DrainKwh(1800), 1e-12);
  EXPECT_NEAR(parked.soc, drive.end_soc - commuting.DrainKwh(1800) / 75, 1e-12);
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
  const double ramp_loss_kwh = 11 * 45.0 / 2 / 3600;  // the 45 s ramp delivers half power
  EXPECT_FALSE(charge.target_reached);
  EXPECT_NEAR(charge.energy_kwh, 5.5 - ramp_loss_kwh, 0.01);
  EXPECT_EQ(model.StateAt(drive.start_s - 1).charging_state, "Stopped");
  EXPECT_EQ(model.StateAt(drive.start_s + 1).charging_state, "Disconnected");

  spec.schedule[1].max_duration_s = 0;
  const VehicleModel unplugged(spec, kStart);  // the drive at 5 h ends the charge after 1 h
  EXPECT_NEAR(unplugged.Activities().at(1).energy_kwh, 11 - ramp_loss_kwh, 0.01);
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
