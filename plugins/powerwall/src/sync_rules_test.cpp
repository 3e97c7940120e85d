#include "sync_rules.hpp"

#include <gtest/gtest.h>

#include "hour_pack.hpp"

namespace tessie::powerwall {
namespace {

using std::chrono::milliseconds;

TEST(SyncRules, SiteInfoCompletesTheSummary) {
  sdk::EnergySiteSummary summary;
  summary.energy_site_id = 7;
  summary.site_name = "From products";
  summary.resource_type = "battery";
  summary.has_battery = true;
  const SiteRecord bare = MergeSite(summary, std::nullopt);
  EXPECT_EQ(bare.id, 7);
  EXPECT_EQ(bare.name, "From products");
  EXPECT_EQ(bare.resource_type, "battery");
  EXPECT_TRUE(bare.has_battery);
  EXPECT_FALSE(bare.has_solar);
  EXPECT_FALSE(bare.info);

  sdk::SiteInfo info;
  info.site_name = "From site_info";
  info.has_solar = true;
  info.wall_connector_count = 2;
  const SiteRecord full = MergeSite(summary, info);
  EXPECT_EQ(full.name, "From site_info");
  EXPECT_TRUE(full.has_solar) << "site_info knows of solar";
  EXPECT_TRUE(full.has_battery) << "the summary knows of the battery";
  ASSERT_TRUE(full.info);
  EXPECT_EQ(full.info->wall_connector_count, 2);

  info.site_name.clear();
  EXPECT_EQ(MergeSite(summary, info).name, "From products") << "an empty site_info name does not win";
}

TEST(SyncRules, FirstBackfillDay) {
  const CivilDate today{2026, 6, 1};
  const CivilDate installed{2025, 1, 10};
  EXPECT_EQ(FirstBackfillDay(true, 0, installed, today), installed);
  EXPECT_EQ(FirstBackfillDay(true, 0, std::nullopt, today), (CivilDate{2025, 6, 2})) << "a year when unknown";
  EXPECT_EQ(FirstBackfillDay(true, 30, installed, today), (CivilDate{2026, 5, 3})) << "30 days, today included";
  EXPECT_EQ(FirstBackfillDay(true, 1000, installed, today), installed);
  EXPECT_EQ(FirstBackfillDay(false, 0, installed, today), today);
  EXPECT_EQ(FirstBackfillDay(true, 0, CivilDate{2026, 7, 1}, today), today) << "never after today";
}

TEST(SyncRules, OnlyRateLimitsAndAMissingAccountMeanLater) {
  const milliseconds normal(60'000);
  using Kind = sdk::FleetErrorKind;
  EXPECT_EQ(LaterDelay(sdk::FleetError(Kind::kRateLimited, 429, "slow down", 300), normal), milliseconds(300'000));
  EXPECT_EQ(LaterDelay(sdk::FleetError(Kind::kRateLimited, 429, "slow down", 5), normal), normal)
      << "never sooner than the normal interval";
  EXPECT_EQ(LaterDelay(sdk::FleetError(Kind::kRateLimited, 429, "slow down", 0), milliseconds(100)),
            milliseconds(1'000));
  EXPECT_EQ(LaterDelay(sdk::FleetError(Kind::kNotConnected, 0, "no account"), normal), std::chrono::minutes(5));
  EXPECT_FALSE(LaterDelay(sdk::FleetError(Kind::kServer, 503, "down"), normal));
  EXPECT_FALSE(LaterDelay(sdk::FleetError(Kind::kMalformed, 200, "odd"), normal));
}

TEST(SyncRules, WallConnectorGapIsFourLiveIntervalsAndAtLeastTenMinutes) {
  EXPECT_EQ(WallConnectorMaxGapMs(milliseconds(60'000)), 600'000);
  EXPECT_EQ(WallConnectorMaxGapMs(milliseconds(300'000)), 1'200'000);
}

sdk::EnergyHistoryRow Row(std::int64_t ts_ms, double solar_wh, double home_from_solar_wh) {
  sdk::EnergyHistoryRow row;
  row.timestamp_ms = ts_ms;
  row.solar_energy_exported = solar_wh;
  row.consumer_energy_imported_from_solar = home_from_solar_wh;
  return row;
}

TEST(SyncRules, MergeDayWritesOnlyWhatChangedAndTotalsTheWholeDay) {
  const local_time::Zone utc("UTC");
  const DayWindow day = DayWindowOf(utc, {2026, 6, 1});
  const std::int64_t t0 = day.start_ms;
  std::map<std::int64_t, Flows> stored;
  stored[t0] = FlowsOf(Row(t0, 100, 100));
  stored[t0 + kIntervalMs] = FlowsOf(Row(t0 + kIntervalMs, 50, 50));

  // The same rows again: nothing to write, the totals still cover the day.
  const DayMerge same = MergeDay(utc, day, stored, {Row(t0, 100, 100), Row(t0 + kIntervalMs, 50, 50)});
  EXPECT_TRUE(same.changed.empty());
  EXPECT_EQ(same.intervals, 2);
  EXPECT_DOUBLE_EQ(same.totals.solar_produced_wh, 150);
  EXPECT_TRUE(same.hours.empty());

  // A late correction, a new interval and a row of the next day (ignored).
  const DayMerge merged = MergeDay(
      utc, day, stored, {Row(t0 + kIntervalMs, 80, 80), Row(t0 + 2 * kIntervalMs, 10, 10), Row(day.end_ms, 999, 999)});
  ASSERT_EQ(merged.changed.size(), 2u);
  EXPECT_EQ(merged.changed[0].timestamp_ms, t0 + kIntervalMs);
  EXPECT_EQ(merged.changed[1].timestamp_ms, t0 + 2 * kIntervalMs);
  EXPECT_EQ(merged.intervals, 3);
  EXPECT_DOUBLE_EQ(merged.totals.solar_produced_wh, 190);
  EXPECT_DOUBLE_EQ(merged.totals.solar_to_home_wh, 190);
  const auto hours = UnpackHours(merged.hours, day.start_ms);
  ASSERT_TRUE(hours);
  ASSERT_EQ(hours->size(), 1u);
  EXPECT_EQ((*hours)[0].intervals, 3);
  EXPECT_DOUBLE_EQ((*hours)[0].flows[kSolarExported], 190);
}

}  // namespace
}  // namespace tessie::powerwall
