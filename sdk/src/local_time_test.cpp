#include "tessie/local_time.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace tessie::local_time {
namespace {

constexpr std::int64_t kHourMs = 3600'000;

std::int64_t Utc(const char* text) { return *ParseRfc3339Ms(text); }

TEST(LocalTime, LocalDaysHave23To25HoursAcrossDaylightSaving) {
  const Zone la("America/Los_Angeles");
  EXPECT_EQ(la.StartOfDayMs({2026, 3, 8}), Utc("2026-03-08T08:00:00Z"));
  EXPECT_EQ(la.StartOfDayMs({2026, 3, 9}) - la.StartOfDayMs({2026, 3, 8}), 23 * kHourMs);
  EXPECT_EQ(la.StartOfDayMs({2026, 11, 2}) - la.StartOfDayMs({2026, 11, 1}), 25 * kHourMs);
  EXPECT_EQ(la.StartOfDayMs({2026, 6, 2}) - la.StartOfDayMs({2026, 6, 1}), 24 * kHourMs);
  // Chile springs forward at 24:00 → 01:00 (2026-09-06): that day starts at 01:00 local.
  const Zone santiago("America/Santiago");
  EXPECT_EQ(santiago.FormatRfc3339(santiago.StartOfDayMs({2026, 9, 6})), "2026-09-06T01:00:00-03:00");
  EXPECT_EQ(Zone("Asia/Kolkata").FormatRfc3339(Zone("Asia/Kolkata").StartOfDayMs({2026, 1, 1})),
            "2026-01-01T00:00:00+05:30");
}

TEST(LocalTime, LocalWallTimeDateAndWeekdayFollowTheZone) {
  const Zone la("America/Los_Angeles");
  const auto ms = Utc("2026-06-01T06:59:59Z");
  EXPECT_EQ(la.LocalDate(ms), (CivilDate{2026, 5, 31}));
  EXPECT_EQ(la.LocalDate(ms + 1000), (CivilDate{2026, 6, 1}));
  EXPECT_EQ(la.FormatRfc3339(ms), "2026-05-31T23:59:59-07:00");
  const LocalDateTime sunday = la.Local(ms);
  EXPECT_EQ(sunday.weekday, 7);
  EXPECT_EQ(sunday.ms_of_day, 24 * kHourMs - 1000);
  EXPECT_EQ(la.Local(ms + 1000).weekday, 1);
  EXPECT_EQ(IsoWeekday({1970, 1, 1}), 4);
}

TEST(LocalTime, WallTimesMapToInstantsAndTransitionsAreFound) {
  const Zone berlin("Europe/Berlin");
  EXPECT_EQ(berlin.ToUtc({2026, 1, 15}, 7 * kHourMs), Utc("2026-01-15T06:00:00Z"));
  EXPECT_EQ(berlin.ToUtc({2026, 7, 15}, 7 * kHourMs), Utc("2026-07-15T05:00:00Z"));
  // 02:30 does not exist on 2026-03-29: it maps next to the gap, never a day away.
  const auto gap = berlin.ToUtc({2026, 3, 29}, 2 * kHourMs + 30 * 60'000);
  EXPECT_LE(std::abs(gap - Utc("2026-03-29T01:00:00Z")), kHourMs);
  EXPECT_EQ(berlin.NextTransitionMs(Utc("2026-01-01T00:00:00Z")), Utc("2026-03-29T01:00:00Z"));
  EXPECT_FALSE(Zone("UTC").NextTransitionMs(Utc("2026-01-01T00:00:00Z")));
}

TEST(LocalTime, ParsesAndFormatsDatesAndRfc3339) {
  EXPECT_EQ(ParseRfc3339Ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339Ms("2024-08-15T10:00:00-07:00"), ParseRfc3339Ms("2024-08-15T17:00:00Z"));
  EXPECT_EQ(ParseRfc3339Ms("2024-08-15T17:00:00.250+00:00"), Utc("2024-08-15T17:00:00Z") + 250);
  EXPECT_FALSE(ParseRfc3339Ms("2024-08-15T17:00:00"));  // no zone
  EXPECT_FALSE(ParseRfc3339Ms("2024-02-30T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339Ms("yesterday"));
  EXPECT_EQ(IsoUtc(Utc("2026-03-08T08:00:00Z")), "2026-03-08T08:00:00Z");
  EXPECT_EQ(FormatWithOffset(0, -(8 * kHourMs)), "1969-12-31T16:00:00-08:00");
  EXPECT_EQ(ParseDate("2024-02-29"), (CivilDate{2024, 2, 29}));
  EXPECT_FALSE(ParseDate("2023-02-29"));
  EXPECT_FALSE(ParseDate("2023-2-1"));
  EXPECT_TRUE(IsValidDate({2024, 2, 29}));
  EXPECT_FALSE(IsValidDate({2026, 2, 30}));
  EXPECT_EQ(ToString(AddDays({2024, 2, 28}, 2)), "2024-03-01");
  EXPECT_EQ(CivilFromDays(DaysFromCivil({2026, 11, 27})), (CivilDate{2026, 11, 27}));
  EXPECT_EQ(DaysBetween({2024, 3, 1}, {2026, 6, 1}), 822);
  EXPECT_EQ(AddMonths({2026, 12, 1}, 1), (CivilDate{2027, 1, 1}));
  EXPECT_EQ(AddMonths({2026, 1, 1}, -1), (CivilDate{2025, 12, 1}));
}

TEST(LocalTime, UnknownZoneIsRejectedWithAHint) {
  EXPECT_FALSE(Zone::IsKnown("Mars/Olympus_Mons"));
  EXPECT_TRUE(Zone::IsKnown("Europe/Berlin"));
  try {
    Zone("Mars/Olympus_Mons");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'Mars/Olympus_Mons'"), std::string::npos);
  }
  EXPECT_THROW(Zone(""), std::invalid_argument);
}

}  // namespace
}  // namespace tessie::local_time
