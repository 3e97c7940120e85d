#include "energy_math.hpp"

#include <algorithm>
#include <cmath>

namespace tessie::powerwall {

const std::array<std::string_view, kFlowCount> kFlowNames = {
    "solar_energy_exported",
    "generator_energy_exported",
    "grid_energy_imported",
    "grid_services_energy_imported",
    "grid_services_energy_exported",
    "grid_energy_exported_from_solar",
    "grid_energy_exported_from_generator",
    "grid_energy_exported_from_battery",
    "battery_energy_exported",
    "battery_energy_imported_from_grid",
    "battery_energy_imported_from_solar",
    "battery_energy_imported_from_generator",
    "consumer_energy_imported_from_grid",
    "consumer_energy_imported_from_solar",
    "consumer_energy_imported_from_battery",
    "consumer_energy_imported_from_generator",
};

namespace {

// The row's members in kFlowNames order.
std::array<double sdk::EnergyHistoryRow::*, kFlowCount> Members() {
  using R = sdk::EnergyHistoryRow;
  return {&R::solar_energy_exported,
          &R::generator_energy_exported,
          &R::grid_energy_imported,
          &R::grid_services_energy_imported,
          &R::grid_services_energy_exported,
          &R::grid_energy_exported_from_solar,
          &R::grid_energy_exported_from_generator,
          &R::grid_energy_exported_from_battery,
          &R::battery_energy_exported,
          &R::battery_energy_imported_from_grid,
          &R::battery_energy_imported_from_solar,
          &R::battery_energy_imported_from_generator,
          &R::consumer_energy_imported_from_grid,
          &R::consumer_energy_imported_from_solar,
          &R::consumer_energy_imported_from_battery,
          &R::consumer_energy_imported_from_generator};
}

}  // namespace

Flows FlowsOf(const sdk::EnergyHistoryRow& row) {
  Flows f{};
  const auto members = Members();
  for (std::size_t i = 0; i < kFlowCount; ++i) f[i] = row.*members[i];
  return f;
}

void SetFlows(sdk::EnergyHistoryRow& row, const Flows& flows) {
  const auto members = Members();
  for (std::size_t i = 0; i < kFlowCount; ++i) row.*members[i] = flows[i];
}

void Add(Flows& into, const Flows& more) {
  for (std::size_t i = 0; i < kFlowCount; ++i) into[i] += more[i];
}

EnergyTotals TotalsOf(const Flows& f) {
  EnergyTotals t;
  t.solar_produced_wh = f[kSolarExported];
  t.home_consumed_wh = f[kConsumerImportedFromGrid] + f[kConsumerImportedFromSolar] + f[kConsumerImportedFromBattery] +
                       f[kConsumerImportedFromGenerator];
  t.grid_imported_wh = f[kGridImported];
  t.grid_exported_wh = f[kGridExportedFromSolar] + f[kGridExportedFromGenerator] + f[kGridExportedFromBattery];
  t.battery_charged_wh = f[kBatteryImportedFromGrid] + f[kBatteryImportedFromSolar] + f[kBatteryImportedFromGenerator];
  t.battery_discharged_wh = f[kBatteryExported];
  t.generator_produced_wh = f[kGeneratorExported];
  t.solar_to_home_wh = f[kConsumerImportedFromSolar];
  t.solar_to_battery_wh = f[kBatteryImportedFromSolar];
  t.solar_to_grid_wh = f[kGridExportedFromSolar];
  t.battery_to_home_wh = f[kConsumerImportedFromBattery];
  t.battery_to_grid_wh = f[kGridExportedFromBattery];
  t.grid_to_home_wh = f[kConsumerImportedFromGrid];
  t.grid_to_battery_wh = f[kBatteryImportedFromGrid];
  return t;
}

std::array<std::pair<std::string_view, double>, kTotalsCount> Fields(const EnergyTotals& t) {
  return {{{"solar_produced_wh", t.solar_produced_wh},
          {"home_consumed_wh", t.home_consumed_wh},
          {"grid_imported_wh", t.grid_imported_wh},
          {"grid_exported_wh", t.grid_exported_wh},
          {"battery_charged_wh", t.battery_charged_wh},
          {"battery_discharged_wh", t.battery_discharged_wh},
          {"generator_produced_wh", t.generator_produced_wh},
          {"solar_to_home_wh", t.solar_to_home_wh},
          {"solar_to_battery_wh", t.solar_to_battery_wh},
          {"solar_to_grid_wh", t.solar_to_grid_wh},
          {"battery_to_home_wh", t.battery_to_home_wh},
          {"battery_to_grid_wh", t.battery_to_grid_wh},
          {"grid_to_home_wh", t.grid_to_home_wh},
          {"grid_to_battery_wh", t.grid_to_battery_wh}}};
}

std::vector<sdk::EnergyHistoryRow> ChangedRows(const std::map<std::int64_t, Flows>& stored,
                                               const std::vector<sdk::EnergyHistoryRow>& fetched, double tolerance_wh) {
  std::vector<sdk::EnergyHistoryRow> out;
  for (const auto& row : fetched) {
    const auto it = stored.find(row.timestamp_ms);
    if (it == stored.end()) {
      out.push_back(row);
      continue;
    }
    const Flows now = FlowsOf(row);
    for (std::size_t i = 0; i < kFlowCount; ++i) {
      if (std::fabs(now[i] - it->second[i]) > tolerance_wh) {
        out.push_back(row);
        break;
      }
    }
  }
  return out;
}

std::vector<DayTotal> AggregateDaily(const local_time::Zone& zone, const std::vector<Interval>& intervals) {
  std::map<CivilDate, DayTotal> days;
  for (const auto& interval : intervals) {
    const CivilDate date = zone.LocalDate(interval.start_ms);
    auto& day = days[date];
    day.date = date;
    Add(day.flows, interval.flows);
    ++day.intervals;
  }
  std::vector<DayTotal> out;
  for (auto& [date, total] : days) out.push_back(total);
  return out;
}

std::optional<Resolution> FromQuery(sdk::query::Resolution resolution) {
  switch (resolution) {
    case sdk::query::Resolution::k5m:
      return Resolution::kFiveMinutes;
    case sdk::query::Resolution::k1h:
      return Resolution::kHour;
    case sdk::query::Resolution::k1d:
      return Resolution::kDay;
    case sdk::query::Resolution::k1mo:
      return Resolution::kMonth;
    case sdk::query::Resolution::kRaw:
    case sdk::query::Resolution::k15m:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<Resolution> ParseResolution(std::string_view text) {
  const auto parsed = sdk::query::ParseResolution(text);
  return parsed ? FromQuery(*parsed) : std::nullopt;
}

std::string_view ToString(Resolution resolution) {
  switch (resolution) {
    case Resolution::kFiveMinutes:
      return sdk::query::ResolutionName(sdk::query::Resolution::k5m);
    case Resolution::kHour:
      return sdk::query::ResolutionName(sdk::query::Resolution::k1h);
    case Resolution::kDay:
      return sdk::query::ResolutionName(sdk::query::Resolution::k1d);
    case Resolution::kMonth:
      return sdk::query::ResolutionName(sdk::query::Resolution::k1mo);
  }
  return "";
}

namespace {

std::int64_t FloorMod(std::int64_t a, std::int64_t b) {
  const std::int64_t r = a % b;
  return r < 0 ? r + b : r;
}

}  // namespace

std::int64_t BucketStartMs(const local_time::Zone& zone, Resolution resolution, std::int64_t utc_ms) {
  switch (resolution) {
    case Resolution::kFiveMinutes:
      return utc_ms - FloorMod(utc_ms + zone.OffsetMs(utc_ms), kIntervalMs);
    case Resolution::kHour:
      return utc_ms - FloorMod(utc_ms + zone.OffsetMs(utc_ms), 3600'000);
    case Resolution::kDay:
      return zone.StartOfDayMs(zone.LocalDate(utc_ms));
    case Resolution::kMonth:
      return zone.StartOfDayMs(FirstOfMonth(zone.LocalDate(utc_ms)));
  }
  return utc_ms;
}

std::int64_t BucketEndMs(const local_time::Zone& zone, Resolution resolution, std::int64_t bucket_start_ms) {
  switch (resolution) {
    case Resolution::kFiveMinutes:
      return bucket_start_ms + kIntervalMs;
    case Resolution::kHour:
      return bucket_start_ms + 3600'000;
    case Resolution::kDay:
      return zone.StartOfDayMs(AddDays(zone.LocalDate(bucket_start_ms), 1));
    case Resolution::kMonth:
      return zone.StartOfDayMs(AddMonths(FirstOfMonth(zone.LocalDate(bucket_start_ms)), 1));
  }
  return bucket_start_ms;
}

namespace {

std::string Label(const local_time::Zone& zone, Resolution resolution, std::int64_t start_ms) {
  if (resolution == Resolution::kDay) return ToString(zone.LocalDate(start_ms));
  if (resolution == Resolution::kMonth) return ToString(zone.LocalDate(start_ms)).substr(0, 7);
  return zone.FormatRfc3339(start_ms);
}

}  // namespace

std::vector<Bucket> BucketIntervals(const local_time::Zone& zone, Resolution resolution,
                                    const std::vector<Interval>& intervals) {
  std::map<std::int64_t, Bucket> buckets;
  for (const auto& interval : intervals) {
    const std::int64_t start = BucketStartMs(zone, resolution, interval.start_ms);
    auto [it, added] = buckets.try_emplace(start);
    if (added) {
      it->second.start_ms = start;
      it->second.end_ms = BucketEndMs(zone, resolution, start);
      it->second.label = Label(zone, resolution, start);
    }
    Add(it->second.flows, interval.flows);
    ++it->second.intervals;
  }
  std::vector<Bucket> out;
  out.reserve(buckets.size());
  for (auto& [start, bucket] : buckets) out.push_back(std::move(bucket));
  return out;
}

std::vector<Bucket> BucketDays(const local_time::Zone& zone, Resolution resolution, const std::vector<DayTotal>& days) {
  std::map<CivilDate, Bucket> buckets;
  for (const auto& day : days) {
    const CivilDate key = resolution == Resolution::kMonth ? FirstOfMonth(day.date) : day.date;
    auto [it, added] = buckets.try_emplace(key);
    if (added) {
      it->second.start_ms = zone.StartOfDayMs(key);
      it->second.end_ms = zone.StartOfDayMs(resolution == Resolution::kMonth ? AddMonths(key, 1) : AddDays(key, 1));
      it->second.label = resolution == Resolution::kMonth ? ToString(key).substr(0, 7) : ToString(key);
    }
    Add(it->second.flows, day.flows);
    it->second.intervals += day.intervals;
  }
  std::vector<Bucket> out;
  out.reserve(buckets.size());
  for (auto& [key, bucket] : buckets) out.push_back(std::move(bucket));
  return out;
}

SignedSplit Split(double signed_w) {
  SignedSplit s;
  if (signed_w > 0) s.positive_w = signed_w;
  if (signed_w < 0) s.negative_w = -signed_w;
  return s;
}

double IntegrateEnergyWh(const std::vector<PowerSample>& samples, std::int64_t window_start_ms,
                         std::int64_t window_end_ms, std::int64_t max_gap_ms) {
  std::vector<PowerSample> sorted = samples;
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.ts_ms < b.ts_ms; });
  double wh = 0;
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    const auto& a = sorted[i - 1];
    const auto& b = sorted[i];
    const std::int64_t span = b.ts_ms - a.ts_ms;
    if (span <= 0 || span > max_gap_ms) continue;
    const std::int64_t from = std::max(a.ts_ms, window_start_ms);
    const std::int64_t to = std::min(b.ts_ms, window_end_ms);
    if (to <= from) continue;
    const double pa = std::max(0.0, a.power_w);
    const double pb = std::max(0.0, b.power_w);
    const auto at = [&](std::int64_t t) { return pa + (pb - pa) * static_cast<double>(t - a.ts_ms) / span; };
    wh += (at(from) + at(to)) / 2 * static_cast<double>(to - from) / 3600'000.0;
  }
  return wh;
}

}  // namespace tessie::powerwall
