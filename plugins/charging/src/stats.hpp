#pragma once
// Monthly charging statistics per vehicle. Plain logic: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tessie/local_time.hpp"

namespace tessie::charging {

struct StatsSession {
  std::int64_t vehicle_id = 0;
  std::string vin;
  std::int64_t started_ms = 0;
  double energy_added_kwh = 0;
  std::optional<double> cost;
  std::string charger_kind;  // "AC" or "DC"
  std::optional<double> avg_power_kw;
  std::optional<double> solar_percentage;
};

struct MonthStats {
  std::int64_t vehicle_id = 0;
  std::string vin;
  std::string month;  // "2026-03", local to the zone
  int sessions = 0;
  double energy_kwh = 0;
  std::optional<double> cost;  // sum of the sessions that have a cost; nullopt when none has
  double ac_kwh = 0;
  double dc_kwh = 0;
  // Energy over charging time of the sessions with an average power (estimated ones have none).
  std::optional<double> avg_power_kw;
  // Energy-weighted over the sessions that have a solar share; nullopt when none has.
  std::optional<double> solar_share_pct;
};

// Groups by vehicle and the local month of each session's start; ordered by vehicle id, then month.
std::vector<MonthStats> AggregateByMonth(const std::vector<StatsSession>& sessions, const local_time::Zone& zone);

}  // namespace tessie::charging
