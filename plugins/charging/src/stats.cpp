#include "stats.hpp"

#include <cstdio>
#include <map>
#include <tuple>

namespace tessie::charging {

std::vector<MonthStats> AggregateByMonth(const std::vector<StatsSession>& sessions, const local_time::Zone& zone) {
  struct Acc {
    MonthStats stats;
    double timed_energy_kwh = 0;
    double charging_hours = 0;
    double solar_energy_kwh = 0;
    double solar_weighted = 0;
  };
  std::map<std::tuple<std::int64_t, int, int>, Acc> groups;
  for (const auto& s : sessions) {
    const auto local = zone.LocalDate(s.started_ms);
    Acc& acc = groups[{s.vehicle_id, local.year, local.month}];
    MonthStats& m = acc.stats;
    if (m.sessions == 0) {
      m.vehicle_id = s.vehicle_id;
      char month[16];
      std::snprintf(month, sizeof month, "%04d-%02d", local.year, local.month);
      m.month = month;
    }
    if (m.vin.empty()) m.vin = s.vin;
    ++m.sessions;
    m.energy_kwh += s.energy_added_kwh;
    (s.charger_kind == "DC" ? m.dc_kwh : m.ac_kwh) += s.energy_added_kwh;
    if (s.cost) m.cost = m.cost.value_or(0.0) + *s.cost;
    if (s.avg_power_kw && *s.avg_power_kw > 0) {
      acc.timed_energy_kwh += s.energy_added_kwh;
      acc.charging_hours += s.energy_added_kwh / *s.avg_power_kw;
    }
    if (s.solar_percentage) {
      acc.solar_energy_kwh += s.energy_added_kwh;
      acc.solar_weighted += s.energy_added_kwh * *s.solar_percentage;
      if (!m.solar_share_pct) m.solar_share_pct = 0.0;
    }
  }
  std::vector<MonthStats> out;
  out.reserve(groups.size());
  for (auto& [key, acc] : groups) {
    MonthStats m = std::move(acc.stats);
    if (acc.charging_hours > 0) m.avg_power_kw = acc.timed_energy_kwh / acc.charging_hours;
    if (m.solar_share_pct)
      m.solar_share_pct = acc.solar_energy_kwh > 0 ? acc.solar_weighted / acc.solar_energy_kwh : 0.0;
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace tessie::charging
