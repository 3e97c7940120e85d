#pragma once
// Plain energy arithmetic of a site (no I/O): the 16 calendar_history flows, the totals a user reads (solar
// produced, home consumed, grid import/export, battery charge/discharge), daily aggregation of 5-minute
// intervals in the site's time zone, hour/day/month buckets, sign splitting and power integration.
// All energy in Wh, power in W.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "local_time.hpp"
#include "tessie/sdk/fleet.hpp"
#include "tessie/sdk/resolution.hpp"

namespace tessie::powerwall {

inline constexpr std::size_t kFlowCount = 16;
inline constexpr std::int64_t kIntervalMs = 5 * 60'000;

// The flows in the API's order; `kFlowNames[i]` is the calendar_history field name.
enum Flow : std::size_t {
  kSolarExported,
  kGeneratorExported,
  kGridImported,
  kGridServicesImported,
  kGridServicesExported,
  kGridExportedFromSolar,
  kGridExportedFromGenerator,
  kGridExportedFromBattery,
  kBatteryExported,
  kBatteryImportedFromGrid,
  kBatteryImportedFromSolar,
  kBatteryImportedFromGenerator,
  kConsumerImportedFromGrid,
  kConsumerImportedFromSolar,
  kConsumerImportedFromBattery,
  kConsumerImportedFromGenerator,
};
extern const std::array<std::string_view, kFlowCount> kFlowNames;

using Flows = std::array<double, kFlowCount>;
Flows FlowsOf(const sdk::EnergyHistoryRow& row);
// `row` with its flows set from `flows` (timestamps untouched).
void SetFlows(sdk::EnergyHistoryRow& row, const Flows& flows);
void Add(Flows& into, const Flows& more);

// What a user reads from the flows. Every value ≥ 0 when the flows are.
struct EnergyTotals {
  double solar_produced_wh = 0;      // solar_energy_exported
  double home_consumed_wh = 0;       // Σ consumer_energy_imported_from_*
  double grid_imported_wh = 0;       // grid_energy_imported
  double grid_exported_wh = 0;       // Σ grid_energy_exported_from_*
  double battery_charged_wh = 0;     // Σ battery_energy_imported_from_*
  double battery_discharged_wh = 0;  // battery_energy_exported
  double generator_produced_wh = 0;  // generator_energy_exported
  // From → to breakdown.
  double solar_to_home_wh = 0;
  double solar_to_battery_wh = 0;
  double solar_to_grid_wh = 0;
  double battery_to_home_wh = 0;
  double battery_to_grid_wh = 0;
  double grid_to_home_wh = 0;
  double grid_to_battery_wh = 0;
};
EnergyTotals TotalsOf(const Flows& flows);
// (name, value) pairs of `totals` in a fixed order, names ending in _wh (for JSON and SQL).
inline constexpr std::size_t kTotalsCount = 14;
std::array<std::pair<std::string_view, double>, kTotalsCount> Fields(const EnergyTotals& totals);

// One stored 5-minute interval: start (UTC ms) and flows.
struct Interval {
  std::int64_t start_ms = 0;
  Flows flows{};
};

// Fetched rows that are new or differ (by more than `tolerance_wh` in any flow) from what is stored,
// in the order fetched. Lets the plugin write and announce only what changed.
std::vector<sdk::EnergyHistoryRow> ChangedRows(const std::map<std::int64_t, Flows>& stored,
                                               const std::vector<sdk::EnergyHistoryRow>& fetched,
                                               double tolerance_wh = 1e-6);

// The flows summed per local date of the interval starts.
struct DayTotal {
  CivilDate date;
  Flows flows{};
  int intervals = 0;
};
std::vector<DayTotal> AggregateDaily(const local_time::Zone& zone, const std::vector<Interval>& intervals);

// ---- buckets ----------------------------------------------------------------------------------

enum class Resolution { kFiveMinutes, kHour, kDay, kMonth };
// The SDK's vocabulary (tessie/sdk/resolution.hpp): 5m, 1h, 1d, 1mo; raw and 15m have no energy buckets (nullopt).
std::optional<Resolution> FromQuery(sdk::query::Resolution resolution);
// "5m", "1h", "1d", "1mo" or a deprecated alias ("5min", "hour", "day", "month").
std::optional<Resolution> ParseResolution(std::string_view text);
std::string_view ToString(Resolution resolution);  // the canonical name: "5m", "1h", "1d", "1mo"

// The bucket containing `utc_ms`: hours, days and months are local to `zone` (a DST day has 23 or 25 hour
// buckets; the repeated hour of a fall-back night is two buckets).
std::int64_t BucketStartMs(const local_time::Zone& zone, Resolution resolution, std::int64_t utc_ms);
std::int64_t BucketEndMs(const local_time::Zone& zone, Resolution resolution, std::int64_t bucket_start_ms);

struct Bucket {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::string label;  // local: RFC 3339 start (5min, hour), "YYYY-MM-DD" (day), "YYYY-MM" (month)
  Flows flows{};
  int intervals = 0;  // 5-minute intervals summed
};
// Sums intervals (any order) into buckets, sorted by start. Only buckets with data are returned.
std::vector<Bucket> BucketIntervals(const local_time::Zone& zone, Resolution resolution,
                                    const std::vector<Interval>& intervals);
// Day or month buckets from daily totals (cheaper than from intervals, same sums).
std::vector<Bucket> BucketDays(const local_time::Zone& zone, Resolution resolution, const std::vector<DayTotal>& days);

// ---- live power -------------------------------------------------------------------------------

// A signed power split into its two unsigned directions.
struct SignedSplit {
  double positive_w = 0;  // the sign's + direction (grid: import, battery: discharge)
  double negative_w = 0;  // magnitude of the − direction (grid: export, battery: charge)
};
SignedSplit Split(double signed_w);

struct PowerSample {
  std::int64_t ts_ms = 0;
  double power_w = 0;
};
// Energy of a sampled power between window_start_ms and window_end_ms (trapezoids between consecutive
// samples in time order, clipped to the window; negative power counts as 0; a gap longer than
// max_gap_ms between two samples counts as nothing). Adding a later sample never lowers the result.
double IntegrateEnergyWh(const std::vector<PowerSample>& samples, std::int64_t window_start_ms,
                         std::int64_t window_end_ms, std::int64_t max_gap_ms);

}  // namespace tessie::powerwall
