#include "local_time.hpp"

#include <gtest/gtest.h>

namespace tessie::powerwall {
namespace {

constexpr std::int64_t kHourMs = 3600'000;

TEST(LocalTime, SpringForwardDayInLosAngelesIs23HoursWithTheRightOffsets) {
  const SiteTimeZone la("America/Los_Angeles");
  const DayWindow w = DayWindowOf(la, {2026, 3, 8});
  EXPECT_EQ(w.start, "2026-03-08T00:00:00-08:00");
  EXPECT_EQ(w.end, "2026-03-09T00:00:00-07:00");
  EXPECT_EQ(w.end_ms - w.start_ms, 23 * kHourMs);
  EXPECT_EQ(IsoUtc(w.start_ms), "2026-03-08T08:00:00Z");
  EXPECT_EQ(IsoUtc(w.end_ms), "2026-03-09T07:00:00Z");
}

TEST(LocalTime, FallBackDayIs25HoursAndOrdinaryDays24) {
  const SiteTimeZone la("America/Los_Angeles");
  const DayWindow fall = DayWindowOf(la, {2026, 11, 1});
  EXPECT_EQ(fall.start, "2026-11-01T00:00:00-07:00");
  EXPECT_EQ(fall.end, "2026-11-02T00:00:00-08:00");
  EXPECT_EQ(fall.end_ms - fall.start_ms, 25 * kHourMs);
  const DayWindow june = DayWindowOf(SiteTimeZone("Europe/London"), {2026, 6, 1});
  EXPECT_EQ(june.start, "2026-06-01T00:00:00+01:00");
  EXPECT_EQ(june.end_ms - june.start_ms, 24 * kHourMs);
  EXPECT_EQ(DayWindowOf(SiteTimeZone("UTC"), {2026, 1, 1}).start, "2026-01-01T00:00:00+00:00");
  EXPECT_EQ(DayWindowOf(SiteTimeZone("Asia/Kolkata"), {2026, 1, 1}).start, "2026-01-01T00:00:00+05:30");
}

TEST(LocalTime, MidnightThatDoesNotExistStartsTheDayWhenTheGapEnds) {
  // Chile springs forward at 24:00 → 01:00 (2026-09-06): that day starts at 01:00 local.
  const SiteTimeZone santiago("America/Santiago");
  const DayWindow w = DayWindowOf(santiago, {2026, 9, 6});
  EXPECT_EQ(w.start, "2026-09-06T01:00:00-03:00");
  EXPECT_EQ(w.end_ms - w.start_ms, 23 * kHourMs);
}

TEST(LocalTime, LocalDateFollowsTheZone) {
  const SiteTimeZone la("America/Los_Angeles");
  const auto ms = *ParseRfc3339Ms("2026-06-01T06:59:59Z");
  EXPECT_EQ(la.LocalDate(ms), (CivilDate{2026, 5, 31}));
  EXPECT_EQ(la.LocalDate(ms + 1000), (CivilDate{2026, 6, 1}));
  EXPECT_EQ(la.FormatRfc3339(ms), "2026-05-31T23:59:59-07:00");
}

TEST(LocalTime, ParsesRfc3339AndDates) {
  EXPECT_EQ(ParseRfc3339Ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339Ms("2024-08-15T10:00:00-07:00"), ParseRfc3339Ms("2024-08-15T17:00:00Z"));
  EXPECT_EQ(ParseRfc3339Ms("2024-08-15T17:00:00.250+00:00"), *ParseRfc3339Ms("2024-08-15T17:00:00Z") + 250);
  EXPECT_FALSE(ParseRfc3339Ms("2024-08-15T17:00:00"));  // no zone
  EXPECT_FALSE(ParseRfc3339Ms("2024-02-30T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339Ms("yesterday"));
  EXPECT_EQ(ParseDate("2024-02-29"), (CivilDate{2024, 2, 29}));
  EXPECT_FALSE(ParseDate("2023-02-29"));
  EXPECT_FALSE(ParseDate("2023-2-1"));
  EXPECT_EQ(ToString(AddDays({2024, 2, 28}, 2)), "2024-03-01");
  EXPECT_EQ(DaysBetween({2024, 3, 1}, {2026, 6, 1}), 822);
  EXPECT_EQ(AddMonths({2026, 12, 1}, 1), (CivilDate{2027, 1, 1}));
  EXPECT_EQ(AddMonths({2026, 1, 1}, -1), (CivilDate{2025, 12, 1}));
}

TEST(LocalTime, UnknownZoneIsRejectedWithAHint) {
  EXPECT_THROW(SiteTimeZone("Mars/Olympus_Mons"), std::invalid_argument);
  EXPECT_THROW(SiteTimeZone(""), std::invalid_argument);
}

}  // namespace
}  // namespace tessie::powerwall
