#include "stats.hpp"

#include <algorithm>

namespace tessie::solar {

std::optional<Period> ParsePeriod(std::string_view text) {
  if (text == "day") return Period::kDay;
  if (text == "week") return Period::kWeek;
  if (text == "month") return Period::kMonth;
  if (text == "year") return Period::kYear;
  if (text == "lifetime") return Period::kLifetime;
  return std::nullopt;
}

std::string_view PeriodName(Period period) {
  switch (period) {
    case Period::kDay:
      return "day";
    case Period::kWeek:
      return "week";
    case Period::kMonth:
      return "month";
    case Period::kYear:
      return "year";
    case Period::kLifetime:
      return "lifetime";
  }
  return "day";
}

Window PeriodWindow(Period period, const local_time::CivilDate& date, const local_time::Zone& zone) {
  local_time::CivilDate first = date;
  local_time::CivilDate after = local_time::AddDays(date, 1);
  switch (period) {
    case Period::kDay:
      break;
    case Period::kWeek:
      first = local_time::AddDays(date, 1 - local_time::IsoWeekday(date));
      after = local_time::AddDays(first, 7);
      break;
    case Period::kMonth:
      first = {date.year, date.month, 1};
      after = date.month == 12 ? local_time::CivilDate{date.year + 1, 1, 1}
                               : local_time::CivilDate{date.year, date.month + 1, 1};
      break;
    case Period::kYear:
      first = {date.year, 1, 1};
      after = {date.year + 1, 1, 1};
      break;
    case Period::kLifetime:
      return {};
  }
  return {zone.StartOfDayMs(first), zone.StartOfDayMs(after)};
}

EnergyTotals& EnergyTotals::operator+=(const IntervalFlows& f) {
  solar_wh += f.solar_wh;
  home_wh += f.home_wh;
  home_from_grid_wh += f.home_from_grid_wh;
  grid_import_wh += f.grid_import_wh;
  grid_export_wh += f.grid_export_wh;
  solar_export_wh += f.solar_export_wh;
  battery_in_wh += f.battery_in_wh;
  battery_out_wh += f.battery_out_wh;
  ++intervals;
  return *this;
}

EnergyTotals SumWindow(const std::vector<IntervalFlows>& intervals, const Window& window) {
  EnergyTotals t;
  for (const auto& f : intervals) {
    if (window.from_ms && f.ts_ms < *window.from_ms) continue;
    if (window.to_ms && f.ts_ms >= *window.to_ms) continue;
    t += f;
  }
  return t;
}

EnergyStats DeriveStats(const EnergyTotals& t, const Prices& prices) {
  EnergyStats s;
  s.produced_kwh = t.solar_wh / 1000;
  s.consumed_kwh = t.home_wh / 1000;
  s.exported_kwh = t.grid_export_wh / 1000;
  s.imported_kwh = t.grid_import_wh / 1000;
  s.battery_in_kwh = t.battery_in_wh / 1000;
  s.battery_out_kwh = t.battery_out_wh / 1000;
  if (t.solar_wh > 0) {
    s.self_consumption_pct = std::clamp(100 * (t.solar_wh - t.solar_export_wh) / t.solar_wh, 0.0, 100.0);
  }
  const double self_supplied_wh = std::max(0.0, t.home_wh - t.home_from_grid_wh);
  if (t.home_wh > 0) s.self_powered_pct = std::clamp(100 * self_supplied_wh / t.home_wh, 0.0, 100.0);
  if (prices.grid_per_kwh) {
    s.money_saved = self_supplied_wh / 1000 * *prices.grid_per_kwh + s.exported_kwh * prices.feed_in_per_kwh;
  }
  return s;
}

}  // namespace tessie::solar
