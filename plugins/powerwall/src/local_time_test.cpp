#include "local_time.hpp"

#include <gtest/gtest.h>

namespace tessie::powerwall {
namespace {

constexpr std::int64_t kHourMs = 3600'000;

TEST(DayWindow, SpringForwardDayInLosAngelesIs23HoursWithTheRightOffsets) {
  const local_time::Zone la("America/Los_Angeles");
  const DayWindow w = DayWindowOf(la, {2026, 3, 8});
  EXPECT_EQ(w.start, "2026-03-08T00:00:00-08:00");
  EXPECT_EQ(w.end, "2026-03-09T00:00:00-07:00");
  EXPECT_EQ(w.end_ms - w.start_ms, 23 * kHourMs);
  EXPECT_EQ(IsoUtc(w.start_ms), "2026-03-08T08:00:00Z");
  EXPECT_EQ(IsoUtc(w.end_ms), "2026-03-09T07:00:00Z");
}

TEST(DayWindow, FallBackDayIs25HoursAndOrdinaryDays24) {
  const local_time::Zone la("America/Los_Angeles");
  const DayWindow fall = DayWindowOf(la, {2026, 11, 1});
  EXPECT_EQ(fall.start, "2026-11-01T00:00:00-07:00");
  EXPECT_EQ(fall.end, "2026-11-02T00:00:00-08:00");
  EXPECT_EQ(fall.end_ms - fall.start_ms, 25 * kHourMs);
  const DayWindow june = DayWindowOf(local_time::Zone("Europe/London"), {2026, 6, 1});
  EXPECT_EQ(june.start, "2026-06-01T00:00:00+01:00");
  EXPECT_EQ(june.end_ms - june.start_ms, 24 * kHourMs);
  EXPECT_EQ(DayWindowOf(local_time::Zone("UTC"), {2026, 1, 1}).start, "2026-01-01T00:00:00+00:00");
  EXPECT_EQ(DayWindowOf(local_time::Zone("Asia/Kolkata"), {2026, 1, 1}).start, "2026-01-01T00:00:00+05:30");
}

TEST(DayWindow, MidnightThatDoesNotExistStartsTheDayWhenTheGapEnds) {
  // Chile springs forward at 24:00 → 01:00 (2026-09-06): that day starts at 01:00 local.
  const local_time::Zone santiago("America/Santiago");
  const DayWindow w = DayWindowOf(santiago, {2026, 9, 6});
  EXPECT_EQ(w.start, "2026-09-06T01:00:00-03:00");
  EXPECT_EQ(w.end_ms - w.start_ms, 23 * kHourMs);
}

}  // namespace
}  // namespace tessie::powerwall
