#pragma once
// Energy statistics of a site over a local day, ISO week, month, year or its whole history. Plain logic.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flows.hpp"
#include "solar_share.hpp"
#include "tessie/local_time.hpp"

namespace tessie::solar {

enum class Period { kDay, kWeek, kMonth, kYear, kLifetime };

std::optional<Period> ParsePeriod(std::string_view text);  // "day", "week", "month", "year", "lifetime"
std::string_view PeriodName(Period period);

// [from_ms, to_ms) in UTC epoch ms; both absent for the lifetime.
struct Window {
  std::optional<std::int64_t> from_ms;
  std::optional<std::int64_t> to_ms;
};

// The local period containing `date` in `zone`: the day; the ISO week (Monday to Sunday); the calendar
// month; the calendar year. Each runs from the first instant of its first local day to that of the day
// after its last, so a day across a DST change is 23 or 25 hours long.
Window PeriodWindow(Period period, const local_time::CivilDate& date, const local_time::Zone& zone);

// Sums of interval flows, Wh.
struct EnergyTotals {
  double solar_wh = 0;
  double home_wh = 0;
  double home_from_grid_wh = 0;
  double grid_import_wh = 0;
  double grid_export_wh = 0;
  double solar_export_wh = 0;
  double battery_in_wh = 0;
  double battery_out_wh = 0;
  std::int64_t intervals = 0;

  EnergyTotals& operator+=(const IntervalFlows& f);
};

// Sums the intervals that start within the window (the way the store sums them in SQL).
EnergyTotals SumWindow(const std::vector<IntervalFlows>& intervals, const Window& window);

struct EnergyStats {
  double produced_kwh = 0;     // solar
  double consumed_kwh = 0;     // home usage, the wall connector included
  double exported_kwh = 0;     // to the grid, from any source
  double imported_kwh = 0;     // from the grid, to any sink
  double battery_in_kwh = 0;   // home battery charged
  double battery_out_kwh = 0;  // home battery discharged
  // (produced − solar exported) / produced × 100; nullopt without production.
  std::optional<double> self_consumption_pct;
  // (consumed − consumed from the grid) / consumed × 100; nullopt without consumption.
  std::optional<double> self_powered_pct;
  // (consumed − consumed from the grid) × grid price + exported × feed-in price; nullopt without a grid price.
  std::optional<double> money_saved;
};

EnergyStats DeriveStats(const EnergyTotals& totals, const Prices& prices);

}  // namespace tessie::solar
