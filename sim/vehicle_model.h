#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenario.h"
#include "time_zone.h"

namespace tessie::sim {

// Charging power curves, kW, for a charger rated rated_kw. elapsed_s: time since the session started;
// soc, target_soc: fractions 0..1. Always > 0 once elapsed_s > 0, so every session reaches its target.
// AC: linear ramp to full power over kAcRampS, constant, then a linear taper to kAcTaperFloor of full power over
// the last 5 % of the target (the last 8 points when the target is 100 %).
double AcChargePowerKw(double rated_kw, double elapsed_s, double soc, double target_soc);
// DC: linear ramp over kDcRampS; full power up to 45 % SOC, linear to 35 % of peak at 80 %, to 12 % at 100 %.
double DcChargePowerKw(double peak_kw, double elapsed_s, double soc);

// A quantity sampled on fixed-step knots from an activity's start: knot i at start_s + i * step_s, the last knot
// at profile_end_s (the last step may be shorter). Energy is the exact integral of a piecewise-constant power
// (one value per step); distance the exact integral of a piecewise-linear speed.
struct Profile {
  double step_s = 0;
  double profile_end_s = 0;
  std::vector<double> power_kw;     // per step (size = knots - 1): charger power (charge) or battery power (drive)
  std::vector<double> energy_kwh;   // per knot, cumulative: added (charge) or used (drive)
  std::vector<double> speed_kmh;    // drive, per knot
  std::vector<double> distance_km;  // drive, per knot, cumulative
};

// One drive or charge session, as it actually happened (a charge may end early when the next event starts).
struct Activity {
  ScheduleEvent::Kind kind = ScheduleEvent::Kind::kDrive;
  double start_s = 0;
  double end_s = 0;
  double start_soc = 0;  // fraction 0..1
  double end_soc = 0;
  double start_odometer_km = 0;
  double end_odometer_km = 0;
  GeoPoint from;
  GeoPoint to;
  double energy_kwh = 0;     // used (drive) or added to the battery (charge), whole activity
  double power_kw = 0;       // charge: the charger's rated (peak) power; drive: average battery power
  double max_power_kw = 0;   // charge: highest charger power; drive: highest battery power
  double max_speed_kmh = 0;  // drive
  bool dc = false;
  std::int64_t site_id = 0;
  double target_soc = 0;  // charge: the limit it was charging to
  bool target_reached = false;
  double full_s = 0;            // charge: when the target is (or would have been) reached; >= end_s
  double drain_before_kwh = 0;  // idle drain from the scenario start to start_s
  std::vector<GeoPoint> path;   // drive: polyline from `from` to `to`
  std::vector<double> path_km;  // drive: cumulative straight-segment length at each path point
  Profile profile;

  // Values at t_s, clamped to [start_s, end_s].
  double EnergyAtKwh(double t_s) const;
  double DistanceAtKm(double t_s) const;  // drive
  double SpeedAtKmh(double t_s) const;    // drive
  double PowerAtKw(double t_s) const;     // 0 outside [start_s, end_s)
};

// The car at one instant; all values are functions of time only.
struct VehicleState {
  bool driving = false;
  bool charging = false;
  bool plugged_in = false;
  std::string charging_state = "Disconnected";  // Disconnected | Charging | Complete | Stopped
  double soc = 0;
  double odometer_km = 0;
  double lat = 0;
  double lon = 0;
  double heading_deg = 0;  // kept from the end of the last drive while parked
  double speed_kmh = 0;
  double power_kw = 0;  // drive_state.power: battery power while driving (negative = regen), -charger power charging
  double charger_power_kw = 0;
  double charger_rated_kw = 0;  // of the session plugged in
  bool dc = false;
  double charge_energy_added_kwh = 0;  // of the latest charge session
  double time_to_full_h = 0;
  double target_soc = 0.8;
  double lifetime_drive_kwh = 0;
  double drain_kwh = 0;  // idle drain since the scenario start
  // while driving
  std::string destination;
  GeoPoint route_to;
  double remaining_km = 0;
  double remaining_s = 0;
};

// Deterministic vehicle physics from a scenario's schedule; every value is a function of the simulated time.
// Drives follow a polyline (the event's `via` points, or a generated gentle curve) with a speed profile whose
// integral is exactly distance_km; battery energy per drive is exactly distance_km x consumption_wh_per_km.
// Charges follow AcChargePowerKw / DcChargePowerKw, integrated on kChargeStepS steps. Idle drain applies while
// parked and unplugged: drain_awake_w for idle_awake_s after the scenario start or an activity's end, then
// drain_asleep_w (the schedule's sleep; awake time caused by API requests does not add drain). No losses.
// Immutable after construction; const methods are thread-safe.
class VehicleModel {
 public:
  static constexpr double kChargeStepS = 10;
  static constexpr double kDriveStepS = 2;

  // Throws ScenarioError for overlapping drives or a drive the battery cannot cover.
  VehicleModel(VehicleSpec spec, double scenario_start_s, double idle_awake_s = 900);

  const VehicleSpec& Spec() const { return spec_; }
  const TimeZone& Zone() const { return zone_; }
  const std::vector<Activity>& Activities() const { return activities_; }
  VehicleState StateAt(double t_s) const;
  double RangeKm(double soc) const { return soc * spec_.battery_kwh * 1000 / spec_.rated_wh_per_km; }
  // Idle drain over a parked, unplugged stretch that has lasted parked_s.
  double DrainKwh(double parked_s) const;

 private:
  VehicleSpec spec_;
  TimeZone zone_;
  double start_s_;
  double idle_awake_s_;
  std::vector<Activity> activities_;
};

}  // namespace tessie::sim
