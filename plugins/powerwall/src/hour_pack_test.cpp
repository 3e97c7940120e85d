#include "hour_pack.hpp"

#include <gtest/gtest.h>

namespace tessie::powerwall {
namespace {

// Every 5-minute interval of a local day; interval k carries k Wh of solar and a fraction of grid import.
std::vector<Interval> Day(const local_time::Zone& zone, const CivilDate& date) {
  const DayWindow w = DayWindowOf(zone, date);
  std::vector<Interval> out;
  int k = 0;
  for (std::int64_t t = w.start_ms; t < w.end_ms; t += kIntervalMs, ++k) {
    Interval i{t, {}};
    i.flows[kSolarExported] = k;
    i.flows[kGridImported] = 0.1 * k + 1e-9;
    out.push_back(i);
  }
  return out;
}

void ExpectSame(const std::vector<Bucket>& a, const std::vector<Bucket>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].start_ms, b[i].start_ms) << i;
    EXPECT_EQ(a[i].end_ms, b[i].end_ms) << i;
    EXPECT_EQ(a[i].label, b[i].label) << i;
    EXPECT_EQ(a[i].intervals, b[i].intervals) << i;
    EXPECT_EQ(a[i].flows, b[i].flows) << i;  // bit-exact: float64 round trip
  }
}

TEST(HourPack, RoundTripsOrdinaryAndDaylightSavingDays) {
  for (const auto& [zone_name, date, hours] : std::vector<std::tuple<std::string, CivilDate, std::size_t>>{
           {"America/Los_Angeles", {2026, 3, 8}, 23},   // spring forward
           {"America/Los_Angeles", {2026, 11, 1}, 25},  // fall back: 01:00 twice
           {"Europe/London", {2026, 6, 2}, 24},
           {"Asia/Kolkata", {2026, 1, 1}, 24},        // +05:30: hours start at :30 UTC
           {"Australia/Adelaide", {2026, 4, 5}, 25},  // +10:30 → +09:30
       }) {
    SCOPED_TRACE(zone_name + " " + ToString(date));
    const local_time::Zone zone(zone_name);
    const auto buckets = BucketIntervals(zone, Resolution::kHour, Day(zone, date));
    ASSERT_EQ(buckets.size(), hours);
    const std::int64_t day_start = zone.StartOfDayMs(date);
    const auto unpacked = UnpackHours(PackHours(zone, day_start, buckets), day_start);
    ASSERT_TRUE(unpacked.has_value());
    ExpectSame(buckets, *unpacked);
  }
}

TEST(HourPack, PartialDayKeepsOnlyHoursWithData) {
  const local_time::Zone zone("Europe/Berlin");
  auto day = Day(zone, {2026, 7, 1});
  day.resize(30);  // 00:00–02:30
  const auto buckets = BucketIntervals(zone, Resolution::kHour, day);
  ASSERT_EQ(buckets.size(), 3u);
  EXPECT_EQ(buckets[2].intervals, 6);
  const std::int64_t start = zone.StartOfDayMs({2026, 7, 1});
  const auto unpacked = UnpackHours(PackHours(zone, start, buckets), start);
  ASSERT_TRUE(unpacked);
  ExpectSame(buckets, *unpacked);
  EXPECT_EQ((*unpacked)[0].label, "2026-07-01T00:00:00+02:00");
  // An empty day packs to an empty value.
  EXPECT_EQ(PackHours(zone, start, {}), "");
  EXPECT_TRUE(UnpackHours("", start)->empty());
}

TEST(HourPack, RejectsDamagedValues) {
  const local_time::Zone zone("UTC");
  const auto buckets = BucketIntervals(zone, Resolution::kHour, Day(zone, {2026, 1, 1}));
  const std::string packed = PackHours(zone, zone.StartOfDayMs({2026, 1, 1}), buckets);
  EXPECT_FALSE(UnpackHours(packed.substr(0, packed.size() - 4), 0));  // a record cut short
  EXPECT_FALSE(UnpackHours(packed.substr(1), 0));                     // not base64 any more
  std::string bad = packed;
  bad[10] = '*';
  EXPECT_FALSE(UnpackHours(bad, 0));
  EXPECT_FALSE(UnpackHours("not packed hours", 0));
}

}  // namespace
}  // namespace tessie::powerwall
