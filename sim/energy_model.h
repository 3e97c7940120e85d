#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "scenario.h"
#include "time_zone.h"

namespace tessie::sim {

// Energy that moved during one step, Wh. home + battery charge + export = solar + battery discharge + import.
struct EnergyFlows {
  double solar_to_home_wh = 0;
  double solar_to_battery_wh = 0;
  double solar_to_grid_wh = 0;
  double battery_to_home_wh = 0;
  double grid_to_home_wh = 0;

  double SolarWh() const { return solar_to_home_wh + solar_to_battery_wh + solar_to_grid_wh; }
  double HomeWh() const { return solar_to_home_wh + battery_to_home_wh + grid_to_home_wh; }
  EnergyFlows& operator+=(const EnergyFlows& o);
};

// One 5-minute step of the site, average powers in W (Tesla's signs: battery + = discharging, grid + = import).
struct SiteStep {
  double start_s = 0;
  double solar_w = 0;
  double load_w = 0;  // served house load, including wall connector charging
  double battery_w = 0;
  double grid_w = 0;
  double wall_connector_w = 0;
  bool off_grid = false;
  double soc_start_wh = 0;
  double soc_end_wh = 0;
  EnergyFlows flows;
};

// A car charging on one of the site's wall connectors.
struct WallConnectorLoad {
  double start_s = 0;
  double end_s = 0;
  double power_w = 0;
};

// Deterministic Powerwall site: solar from the sun's elevation at the site, a house load profile by local
// hour, self-consumption battery control that keeps the backup reserve while on grid, outages that island
// the site (battery down to 0 %, surplus solar curtailed, unserved load dropped). No losses.
// Not thread-safe: steps are computed lazily and cached; the owner serialises calls.
class EnergyModel {
 public:
  static constexpr double kStepS = 300;

  EnergyModel(EnergySiteSpec spec, double scenario_start_s, std::vector<WallConnectorLoad> loads);

  const EnergySiteSpec& Spec() const { return spec_; }
  const TimeZone& Zone() const { return zone_; }
  double StartS() const { return start_s_; }
  double CapacityWh() const { return spec_.battery_count * spec_.battery_capacity_kwh * 1000; }

  // The step containing t_s; nullptr before the scenario start.
  const SiteStep* StepAt(double t_s);
  // Battery state of charge at t_s in %, interpolated within the step.
  double SocPctAt(double t_s);
  // Calls fn for every step that starts in [from_s, to_s) and has ended by now_s, in order.
  void ForEachCompletedStep(double from_s, double to_s, double now_s, const std::function<void(const SiteStep&)>& fn);

  // Solar share truth of a car charging on this site's wall connector from start_s to end_s, in %: per step,
  // green = min(max(0, solar + battery discharge − (home − car) − battery charge), car) with the car's actual
  // energy in that step (energy_at_kwh(t) = the charge's cumulative energy at t), then 100 × Σ green / Σ car.
  // Battery discharge counts as solar. Home includes the wall connector. nullopt when the car got no energy.
  std::optional<double> ChargeSolarSharePct(double start_s, double end_s,
                                            const std::function<double(double)>& energy_at_kwh);

  double SolarPowerW(double t_s) const;
  double HouseBaseLoadW(double t_s) const;
  bool InOutage(double t_s) const;

 private:
  void ExtendTo(size_t index);

  EnergySiteSpec spec_;
  TimeZone zone_;
  double start_s_;
  std::vector<WallConnectorLoad> loads_;
  std::deque<SiteStep> steps_;  // deque: references stay valid while it grows
};

}  // namespace tessie::sim
