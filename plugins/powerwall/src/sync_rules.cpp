#include "sync_rules.hpp"

#include <algorithm>

#include "hour_pack.hpp"

namespace tessie::powerwall {

SiteRecord MergeSite(const sdk::EnergySiteSummary& summary, const std::optional<sdk::SiteInfo>& info) {
  SiteRecord r;
  r.id = summary.energy_site_id;
  r.name = info && !info->site_name.empty() ? info->site_name : summary.site_name;
  r.resource_type = summary.resource_type;
  r.has_solar = info ? info->has_solar || summary.has_solar : summary.has_solar;
  r.has_battery = info ? info->has_battery || summary.has_battery : summary.has_battery;
  r.has_grid = info ? info->has_grid || summary.has_grid : summary.has_grid;
  r.info = info;
  return r;
}

CivilDate FirstBackfillDay(bool backfill, int max_days, const std::optional<CivilDate>& installed,
                           const CivilDate& today) {
  if (!backfill) return today;
  CivilDate first = installed ? *installed : AddDays(today, -364);
  if (max_days > 0) first = std::max(first, AddDays(today, -(max_days - 1)));
  return std::min(first, today);
}

std::optional<std::chrono::milliseconds> LaterDelay(const sdk::FleetError& error, std::chrono::milliseconds normal) {
  if (error.Kind() == sdk::FleetErrorKind::kRateLimited) {
    return std::max<std::chrono::milliseconds>(normal, std::chrono::seconds(std::max(1, error.RetryAfterSeconds())));
  }
  if (error.Kind() == sdk::FleetErrorKind::kNotConnected) return std::chrono::minutes(5);
  return std::nullopt;
}

std::int64_t WallConnectorMaxGapMs(std::chrono::milliseconds live_interval) {
  return std::max<std::int64_t>(4 * live_interval.count(), std::int64_t{10 * 60'000});
}

DayMerge MergeDay(const local_time::Zone& zone, const DayWindow& window, std::map<std::int64_t, Flows> stored,
                  const std::vector<sdk::EnergyHistoryRow>& fetched) {
  std::vector<sdk::EnergyHistoryRow> in_day;
  for (const auto& row : fetched) {
    if (row.timestamp_ms >= window.start_ms && row.timestamp_ms < window.end_ms) in_day.push_back(row);
  }
  DayMerge merge;
  merge.changed = ChangedRows(stored, in_day);
  for (const auto& row : in_day) stored[row.timestamp_ms] = FlowsOf(row);
  std::vector<Interval> intervals;
  intervals.reserve(stored.size());
  for (const auto& [ts, flows] : stored) {
    Add(merge.flows, flows);
    intervals.push_back({ts, flows});
  }
  merge.totals = TotalsOf(merge.flows);
  merge.intervals = static_cast<int>(stored.size());
  // Only written when something changed.
  if (!merge.changed.empty())
    merge.hours = PackHours(zone, window.start_ms, BucketIntervals(zone, Resolution::kHour, intervals));
  return merge;
}

}  // namespace tessie::powerwall
