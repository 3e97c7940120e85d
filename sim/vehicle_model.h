#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenario.h"
#include "time_zone.h"

namespace tessie::sim {

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
  double energy_kwh = 0;  // used (drive) or added to the battery (charge)
  double power_kw = 0;    // charger power (charge) or average drive power
  bool dc = false;
  std::int64_t site_id = 0;
  double target_soc = 0;  // charge: the limit it was charging to
  bool target_reached = false;
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
  double heading_deg = 0;
  double speed_kmh = 0;
  double power_kw = 0;  // drive_state.power: positive while driving, negative while charging
  double charger_power_kw = 0;
  bool dc = false;
  double charge_energy_added_kwh = 0;  // of the latest charge session
  double time_to_full_h = 0;
  double target_soc = 0.8;
  double lifetime_drive_kwh = 0;
  // while driving
  std::string destination;
  GeoPoint route_to;
  double remaining_km = 0;
  double remaining_s = 0;
};

// Deterministic vehicle physics from a scenario's schedule: constant speed along a straight line,
// constant consumption per km, constant charge power, no losses and no idle drain.
// Immutable after construction; const methods are thread-safe.
class VehicleModel {
 public:
  // Throws ScenarioError for overlapping drives or a drive the battery cannot cover.
  VehicleModel(VehicleSpec spec, double scenario_start_s);

  const VehicleSpec& Spec() const { return spec_; }
  const TimeZone& Zone() const { return zone_; }
  const std::vector<Activity>& Activities() const { return activities_; }
  VehicleState StateAt(double t_s) const;
  double RangeKm(double soc) const { return soc * spec_.battery_kwh * 1000 / spec_.rated_wh_per_km; }

 private:
  VehicleSpec spec_;
  TimeZone zone_;
  std::vector<Activity> activities_;
};

}  // namespace tessie::sim
