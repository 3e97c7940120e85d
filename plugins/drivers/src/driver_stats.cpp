#include "driver_stats.hpp"

#include <algorithm>

namespace tessie::drivers {

DriverStats ComputeDriverStats(std::int64_t driver_id, const std::vector<DriveRecord>& drives,
                               const std::vector<ChargingCost>& sessions) {
  struct Use {
    double energy_kwh = 0, distance_km = 0;
  };
  std::map<std::int64_t, Use> mine, all;
  DriverStats stats;
  double distance_with_energy_km = 0;
  for (const auto& d : drives) {
    const double energy = std::max(0.0, d.energy_kwh.value_or(0.0));
    all[d.vehicle_id].energy_kwh += energy;
    all[d.vehicle_id].distance_km += d.distance_km;
    if (d.driver_id != driver_id) continue;
    mine[d.vehicle_id].energy_kwh += energy;
    mine[d.vehicle_id].distance_km += d.distance_km;
    ++stats.drives;
    stats.distance_km += d.distance_km;
    stats.duration_s += d.duration_s;
    if (d.energy_kwh) {
      stats.energy_kwh += *d.energy_kwh;
      distance_with_energy_km += d.distance_km;
    }
  }
  if (distance_with_energy_km > 0) stats.efficiency_wh_per_km = stats.energy_kwh * 1000.0 / distance_with_energy_km;

  std::map<std::int64_t, std::map<std::string, double>> cost_by_vehicle;
  for (const auto& s : sessions) {
    if (s.cost && mine.count(s.vehicle_id)) cost_by_vehicle[s.vehicle_id][s.currency] += *s.cost;
  }
  for (const auto& [vehicle_id, costs] : cost_by_vehicle) {
    const Use& m = mine[vehicle_id];
    const Use& a = all[vehicle_id];
    double share = 0;
    if (a.energy_kwh > 0)
      share = m.energy_kwh / a.energy_kwh;
    else if (a.distance_km > 0)
      share = m.distance_km / a.distance_km;
    for (const auto& [currency, cost] : costs) stats.cost_share[currency] += cost * share;
  }
  return stats;
}

}  // namespace tessie::drivers
