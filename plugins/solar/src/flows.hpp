#pragma once
// The flows of one 5-minute interval of an energy site that this plugin keeps, in Wh. Plain logic, no I/O.
#include <cstdint>

#include "tessie/sdk/fleet.hpp"

namespace tessie::solar {

inline constexpr std::int64_t kIntervalMs = 5 * 60 * 1000;

struct IntervalFlows {
  std::int64_t ts_ms = 0;        // interval start (UTC epoch ms); the interval is kIntervalMs long
  double solar_wh = 0;           // solar_energy_exported: what the panels produced
  double home_wh = 0;            // Σ consumer_energy_imported_from_*: home usage, wall connector included
  double home_from_grid_wh = 0;  // consumer_energy_imported_from_grid
  double grid_import_wh = 0;     // grid_energy_imported
  double grid_export_wh = 0;     // Σ grid_energy_exported_from_*
  double solar_export_wh = 0;    // grid_energy_exported_from_solar
  double battery_in_wh = 0;      // Σ battery_energy_imported_from_*: home battery charged
  double battery_out_wh = 0;     // battery_energy_exported: home battery discharged

  std::int64_t EndMs() const { return ts_ms + kIntervalMs; }
};

// Reads a calendar_history row. Negative or non-finite values (malformed data) count as 0.
IntervalFlows FlowsFromRow(const sdk::EnergyHistoryRow& row);

}  // namespace tessie::solar
