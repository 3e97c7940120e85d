#include "stats.hpp"

#include <gtest/gtest.h>

#include "query.hpp"

namespace tessie::solar {
namespace {

constexpr std::int64_t kHourMs = 3'600'000;

std::int64_t Length(const Window& w) { return *w.to_ms - *w.from_ms; }

TEST(StatsWindowTest, DaysAcrossDstAreLocalDays) {
  const local_time::Zone berlin("Europe/Berlin");
  const auto spring = PeriodWindow(Period::kDay, {2026, 3, 29}, berlin);
  EXPECT_EQ(FormatIsoUtc(*spring.from_ms), "2026-03-28T23:00:00Z");  // 00:00 CET
  EXPECT_EQ(FormatIsoUtc(*spring.to_ms), "2026-03-29T22:00:00Z");    // 00:00 CEST
  EXPECT_EQ(Length(spring), 23 * kHourMs);
  EXPECT_EQ(Length(PeriodWindow(Period::kDay, {2026, 10, 25}, berlin)), 25 * kHourMs);
  EXPECT_EQ(Length(PeriodWindow(Period::kDay, {2026, 6, 1}, berlin)), 24 * kHourMs);
}

TEST(StatsWindowTest, WeekIsTheIsoWeekMondayToSunday) {
  const local_time::Zone berlin("Europe/Berlin");
  EXPECT_EQ(local_time::IsoWeekday({2026, 6, 1}), 1);
  EXPECT_EQ(local_time::IsoWeekday({2026, 3, 29}), 7);
  EXPECT_EQ(local_time::IsoWeekday({1970, 1, 1}), 4);
  // Sunday 29 March 2026 belongs to the week of Monday 23 March; the week has one hour less.
  const auto w = PeriodWindow(Period::kWeek, {2026, 3, 29}, berlin);
  EXPECT_EQ(FormatIsoUtc(*w.from_ms), "2026-03-22T23:00:00Z");
  EXPECT_EQ(FormatIsoUtc(*w.to_ms), "2026-03-29T22:00:00Z");
  EXPECT_EQ(PeriodWindow(Period::kWeek, {2026, 3, 23}, berlin).from_ms, w.from_ms);
  // A week across a year boundary.
  const auto ny = PeriodWindow(Period::kWeek, {2027, 1, 1}, local_time::Zone("UTC"));
  EXPECT_EQ(FormatIsoUtc(*ny.from_ms), "2026-12-28T00:00:00Z");
  EXPECT_EQ(FormatIsoUtc(*ny.to_ms), "2027-01-04T00:00:00Z");
}

TEST(StatsWindowTest, MonthYearAndLifetime) {
  const local_time::Zone la("America/Los_Angeles");
  const auto march = PeriodWindow(Period::kMonth, {2026, 3, 15}, la);
  EXPECT_EQ(FormatIsoUtc(*march.from_ms), "2026-03-01T08:00:00Z");  // PST
  EXPECT_EQ(FormatIsoUtc(*march.to_ms), "2026-04-01T07:00:00Z");    // PDT
  const auto december = PeriodWindow(Period::kMonth, {2026, 12, 31}, la);
  EXPECT_EQ(FormatIsoUtc(*december.to_ms), "2027-01-01T08:00:00Z");
  const auto year = PeriodWindow(Period::kYear, {2026, 7, 4}, la);
  EXPECT_EQ(FormatIsoUtc(*year.from_ms), "2026-01-01T08:00:00Z");
  EXPECT_EQ(FormatIsoUtc(*year.to_ms), "2027-01-01T08:00:00Z");
  const auto life = PeriodWindow(Period::kLifetime, {2026, 7, 4}, la);
  EXPECT_FALSE(life.from_ms);
  EXPECT_FALSE(life.to_ms);
}

TEST(StatsWindowTest, MidnightSkippedByDstStartsTheDayAtTheChange) {
  // Chile moves its clocks from 00:00 to 01:00 on 6 September 2026: the day starts at 01:00 -03:00.
  const local_time::Zone santiago("America/Santiago");
  const auto day = PeriodWindow(Period::kDay, {2026, 9, 6}, santiago);
  EXPECT_EQ(FormatIsoUtc(*day.from_ms), "2026-09-06T04:00:00Z");
  EXPECT_EQ(Length(day), 23 * kHourMs);
  EXPECT_EQ(santiago.LocalDate(*day.from_ms), (local_time::CivilDate{2026, 9, 6}));
  EXPECT_EQ(santiago.LocalDate(*day.from_ms - 1), (local_time::CivilDate{2026, 9, 5}));
}

IntervalFlows Flows(std::int64_t ts_ms) {
  IntervalFlows f;
  f.ts_ms = ts_ms;
  f.solar_wh = 100;
  f.home_wh = 80;
  f.home_from_grid_wh = 20;
  f.grid_import_wh = 25;  // 5 Wh of it into the home battery
  f.grid_export_wh = 30;
  f.solar_export_wh = 30;
  f.battery_in_wh = 15;
  f.battery_out_wh = 10;
  return f;
}

TEST(StatsTest, SumsTheIntervalsOfTheLocalDayAcrossDst) {
  const local_time::Zone berlin("Europe/Berlin");
  const auto day = PeriodWindow(Period::kDay, {2026, 3, 29}, berlin);
  std::vector<IntervalFlows> intervals;
  for (std::int64_t t = *day.from_ms - 2 * kHourMs; t < *day.to_ms + 2 * kHourMs; t += kIntervalMs)
    intervals.push_back(Flows(t));
  const EnergyTotals totals = SumWindow(intervals, day);
  EXPECT_EQ(totals.intervals, 23 * 12);
  const EnergyStats s = DeriveStats(totals, Prices{0.30, 0.08, "EUR"});
  EXPECT_NEAR(s.produced_kwh, 27.6, 1e-9);
  EXPECT_NEAR(s.consumed_kwh, 22.08, 1e-9);
  EXPECT_NEAR(s.exported_kwh, 8.28, 1e-9);
  EXPECT_NEAR(s.imported_kwh, 6.9, 1e-9);
  EXPECT_NEAR(s.battery_in_kwh, 4.14, 1e-9);
  EXPECT_NEAR(s.battery_out_kwh, 2.76, 1e-9);
  EXPECT_NEAR(*s.self_consumption_pct, 70, 1e-9);  // (100 − 30) / 100
  EXPECT_NEAR(*s.self_powered_pct, 75, 1e-9);      // (80 − 20) / 80
  // (consumed − consumed from the grid) × grid price + exported × feed-in price
  EXPECT_NEAR(*s.money_saved, (22.08 - 5.52) * 0.30 + 8.28 * 0.08, 1e-9);
}

TEST(StatsTest, EmptyPeriodsHaveNoPercentages) {
  const EnergyStats s = DeriveStats(EnergyTotals{}, Prices{});
  EXPECT_EQ(s.produced_kwh, 0);
  EXPECT_FALSE(s.self_consumption_pct);
  EXPECT_FALSE(s.self_powered_pct);
  EXPECT_FALSE(s.money_saved);  // no grid price configured
}

TEST(StatsTest, PeriodNamesRoundTrip) {
  for (auto p : {Period::kDay, Period::kWeek, Period::kMonth, Period::kYear, Period::kLifetime})
    EXPECT_EQ(ParsePeriod(PeriodName(p)), p);
  EXPECT_FALSE(ParsePeriod("Day"));
  EXPECT_FALSE(ParsePeriod("hour"));
}

}  // namespace
}  // namespace tessie::solar
