#include "flows.hpp"

#include <cmath>

namespace tessie::solar {

namespace {
double Wh(double v) { return std::isfinite(v) && v > 0 ? v : 0.0; }
}  // namespace

IntervalFlows FlowsFromRow(const sdk::EnergyHistoryRow& r) {
  IntervalFlows f;
  f.ts_ms = r.timestamp_ms;
  f.solar_wh = Wh(r.solar_energy_exported);
  f.home_from_grid_wh = Wh(r.consumer_energy_imported_from_grid);
  f.home_wh = f.home_from_grid_wh + Wh(r.consumer_energy_imported_from_solar) +
              Wh(r.consumer_energy_imported_from_battery) + Wh(r.consumer_energy_imported_from_generator);
  f.grid_import_wh = Wh(r.grid_energy_imported);
  f.solar_export_wh = Wh(r.grid_energy_exported_from_solar);
  f.grid_export_wh =
      f.solar_export_wh + Wh(r.grid_energy_exported_from_battery) + Wh(r.grid_energy_exported_from_generator);
  f.battery_in_wh = Wh(r.battery_energy_imported_from_grid) + Wh(r.battery_energy_imported_from_solar) +
                    Wh(r.battery_energy_imported_from_generator);
  f.battery_out_wh = Wh(r.battery_energy_exported);
  return f;
}

}  // namespace tessie::solar
