#include "energy_math.hpp"

#include <gtest/gtest.h>

namespace tessie::powerwall {
namespace {

constexpr std::int64_t kHourMs = 3600'000;

Flows SolarDay(double solar_to_home, double solar_to_battery, double solar_to_grid, double battery_to_home,
               double grid_to_home) {
  Flows f{};
  f[kSolarExported] = solar_to_home + solar_to_battery + solar_to_grid;
  f[kGridImported] = grid_to_home;
  f[kGridExportedFromSolar] = solar_to_grid;
  f[kBatteryExported] = battery_to_home;
  f[kBatteryImportedFromSolar] = solar_to_battery;
  f[kConsumerImportedFromGrid] = grid_to_home;
  f[kConsumerImportedFromSolar] = solar_to_home;
  f[kConsumerImportedFromBattery] = battery_to_home;
  return f;
}

// Every 5-minute interval of a local day, each with `flows`.
std::vector<Interval> FullDay(const local_time::Zone& zone, const CivilDate& date, const Flows& flows) {
  const DayWindow w = DayWindowOf(zone, date);
  std::vector<Interval> out;
  for (std::int64_t t = w.start_ms; t < w.end_ms; t += kIntervalMs) out.push_back({t, flows});
  return out;
}

TEST(EnergyMath, TotalsReadTheFlowsTheWayTheAppDoes) {
  const auto t = TotalsOf(SolarDay(10, 20, 30, 5, 7));
  EXPECT_DOUBLE_EQ(t.solar_produced_wh, 60);
  EXPECT_DOUBLE_EQ(t.home_consumed_wh, 22);
  EXPECT_DOUBLE_EQ(t.grid_imported_wh, 7);
  EXPECT_DOUBLE_EQ(t.grid_exported_wh, 30);
  EXPECT_DOUBLE_EQ(t.battery_charged_wh, 20);
  EXPECT_DOUBLE_EQ(t.battery_discharged_wh, 5);
  EXPECT_DOUBLE_EQ(t.solar_to_home_wh, 10);
  EXPECT_DOUBLE_EQ(t.battery_to_home_wh, 5);
  EXPECT_DOUBLE_EQ(t.grid_to_home_wh, 7);
  // The row round-trips through the SDK type.
  sdk::EnergyHistoryRow row;
  SetFlows(row, SolarDay(1, 2, 3, 4, 5));
  EXPECT_EQ(FlowsOf(row), SolarDay(1, 2, 3, 4, 5));
  EXPECT_DOUBLE_EQ(row.consumer_energy_imported_from_battery, 4);
}

TEST(EnergyMath, DailyAggregationUsesLocalDaysAcrossDst) {
  const local_time::Zone la("America/Los_Angeles");
  Flows one{};
  one[kSolarExported] = 1;
  auto intervals = FullDay(la, {2026, 3, 7}, one);
  const auto spring = FullDay(la, {2026, 3, 8}, one);
  const auto after = FullDay(la, {2026, 3, 9}, one);
  intervals.insert(intervals.end(), spring.begin(), spring.end());
  intervals.insert(intervals.end(), after.begin(), after.end());
  const auto days = AggregateDaily(la, intervals);
  ASSERT_EQ(days.size(), 3u);
  EXPECT_EQ(days[0].intervals, 288);
  EXPECT_EQ(days[1].date, (CivilDate{2026, 3, 8}));
  EXPECT_EQ(days[1].intervals, 276);  // 23 hours
  EXPECT_DOUBLE_EQ(days[1].flows[kSolarExported], 276);
  EXPECT_EQ(days[2].intervals, 288);
  EXPECT_EQ(AggregateDaily(la, FullDay(la, {2026, 11, 1}, one))[0].intervals, 300);  // 25 hours
}

TEST(EnergyMath, HourBucketsAreLocalAndTheRepeatedHourIsTwoBuckets) {
  const local_time::Zone la("America/Los_Angeles");
  Flows one{};
  one[kGridImported] = 1;
  const auto spring = BucketIntervals(la, Resolution::kHour, FullDay(la, {2026, 3, 8}, one));
  ASSERT_EQ(spring.size(), 23u);
  EXPECT_EQ(spring[0].label, "2026-03-08T00:00:00-08:00");
  EXPECT_EQ(spring[2].label, "2026-03-08T03:00:00-07:00");  // 02:00 does not exist
  for (const auto& b : spring) EXPECT_DOUBLE_EQ(b.flows[kGridImported], 12);
  const auto fall = BucketIntervals(la, Resolution::kHour, FullDay(la, {2026, 11, 1}, one));
  ASSERT_EQ(fall.size(), 25u);
  EXPECT_EQ(fall[1].label, "2026-11-01T01:00:00-07:00");
  EXPECT_EQ(fall[2].label, "2026-11-01T01:00:00-08:00");
  EXPECT_EQ(fall[2].start_ms - fall[1].start_ms, kHourMs);
  // Half-hour zones bucket on their own hours.
  const local_time::Zone kolkata("Asia/Kolkata");
  const auto india = BucketIntervals(kolkata, Resolution::kHour, FullDay(kolkata, {2026, 1, 1}, one));
  ASSERT_EQ(india.size(), 24u);
  EXPECT_EQ(IsoUtc(india[0].start_ms), "2025-12-31T18:30:00Z");
}

TEST(EnergyMath, DayAndMonthBucketsFollowTheSiteZone) {
  const local_time::Zone la("America/Los_Angeles");
  Flows one{};
  one[kBatteryExported] = 1;
  auto intervals = FullDay(la, {2026, 2, 28}, one);
  const auto march = FullDay(la, {2026, 3, 8}, one);
  intervals.insert(intervals.end(), march.begin(), march.end());
  const auto days = BucketIntervals(la, Resolution::kDay, intervals);
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[1].label, "2026-03-08");
  EXPECT_EQ(days[1].end_ms - days[1].start_ms, 23 * kHourMs);
  const auto months = BucketIntervals(la, Resolution::kMonth, intervals);
  ASSERT_EQ(months.size(), 2u);
  EXPECT_EQ(months[0].label, "2026-02");
  EXPECT_EQ(months[1].label, "2026-03");
  EXPECT_EQ(IsoUtc(months[1].start_ms), "2026-03-01T08:00:00Z");
  EXPECT_EQ(IsoUtc(months[1].end_ms), "2026-04-01T07:00:00Z");
  EXPECT_DOUBLE_EQ(months[1].flows[kBatteryExported], 276);
  // The same month from daily totals.
  const auto from_days = BucketDays(la, Resolution::kMonth, AggregateDaily(la, intervals));
  ASSERT_EQ(from_days.size(), 2u);
  EXPECT_EQ(from_days[1].label, "2026-03");
  EXPECT_EQ(from_days[1].start_ms, months[1].start_ms);
  EXPECT_EQ(from_days[1].end_ms, months[1].end_ms);
  EXPECT_DOUBLE_EQ(from_days[1].flows[kBatteryExported], 276);
  EXPECT_EQ(from_days[1].intervals, 276);
  // A UTC instant late in the local evening belongs to that local day.
  EXPECT_EQ(IsoUtc(BucketStartMs(la, Resolution::kDay, *ParseRfc3339Ms("2026-06-02T06:30:00Z"))),
            "2026-06-01T07:00:00Z");
}

TEST(EnergyMath, ResolutionNames) {
  EXPECT_EQ(ParseResolution("5m"), Resolution::kFiveMinutes);
  EXPECT_EQ(ParseResolution("1h"), Resolution::kHour);
  EXPECT_EQ(ParseResolution("1d"), Resolution::kDay);
  EXPECT_EQ(ParseResolution("1mo"), Resolution::kMonth);
  // The first spellings, deprecated.
  EXPECT_EQ(ParseResolution("5min"), Resolution::kFiveMinutes);
  EXPECT_EQ(ParseResolution("hour"), Resolution::kHour);
  EXPECT_EQ(ParseResolution("day"), Resolution::kDay);
  EXPECT_EQ(ParseResolution("month"), Resolution::kMonth);
  EXPECT_FALSE(ParseResolution("week"));
  EXPECT_FALSE(ParseResolution("raw"));
  EXPECT_FALSE(ParseResolution("15m"));
  EXPECT_EQ(ToString(Resolution::kFiveMinutes), "5m");
  EXPECT_EQ(ToString(Resolution::kMonth), "1mo");
}

TEST(EnergyMath, OnlyNewOrChangedRowsAreWrittenAgain) {
  auto row = [](std::int64_t ts, double solar) {
    sdk::EnergyHistoryRow r;
    r.timestamp_ms = ts;
    r.solar_energy_exported = solar;
    return r;
  };
  std::map<std::int64_t, Flows> stored;
  stored[0] = FlowsOf(row(0, 10));
  stored[300'000] = FlowsOf(row(300'000, 20));
  const auto changed = ChangedRows(stored, {row(0, 10), row(300'000, 21.5), row(600'000, 0)});
  ASSERT_EQ(changed.size(), 2u);
  EXPECT_EQ(changed[0].timestamp_ms, 300'000);
  EXPECT_EQ(changed[1].timestamp_ms, 600'000);
}

TEST(EnergyMath, SignSplitting) {
  // Tesla: battery + discharging / − charging, grid + importing / − exporting.
  EXPECT_DOUBLE_EQ(Split(-13950).negative_w, 13950);  // battery charging
  EXPECT_DOUBLE_EQ(Split(-13950).positive_w, 0);
  EXPECT_DOUBLE_EQ(Split(5060).positive_w, 5060);  // battery discharging
  EXPECT_DOUBLE_EQ(Split(5060).negative_w, 0);
  EXPECT_DOUBLE_EQ(Split(0).positive_w + Split(0).negative_w, 0);
}

TEST(EnergyMath, IntegratesPowerClippedToTheDayWithoutBridgingGaps) {
  const std::int64_t h = kHourMs;
  // 7.2 kW for one hour → 7.2 kWh.
  EXPECT_NEAR(IntegrateEnergyWh({{0, 7200}, {h / 2, 7200}, {h, 7200}}, 0, 10 * h, h / 2), 7200, 1e-9);
  // Clipped to the window: only the second half counts.
  EXPECT_NEAR(IntegrateEnergyWh({{0, 1000}, {h, 1000}}, h / 2, 2 * h, 2 * h), 500, 1e-9);
  // A gap longer than max_gap counts as nothing; negative power as 0.
  EXPECT_NEAR(IntegrateEnergyWh({{0, 1000}, {3 * h, 1000}}, 0, 4 * h, h), 0, 1e-9);
  EXPECT_NEAR(IntegrateEnergyWh({{0, -500}, {h, -500}}, 0, 4 * h, 2 * h), 0, 1e-9);
  // Monotonic: a later sample never lowers the total.
  std::vector<PowerSample> samples;
  double last = 0;
  for (int i = 0; i < 100; ++i) {
    samples.push_back({i * 60'000LL, (i % 7) * 1000.0 - 2000});
    const double now = IntegrateEnergyWh(samples, 0, 24 * h, 5 * 60'000);
    EXPECT_GE(now, last);
    last = now;
  }
}

}  // namespace
}  // namespace tessie::powerwall
