#include "day_distance.hpp"

#include <gtest/gtest.h>

namespace tessie::daily_distance {
namespace {

TEST(DayDistance, ADayRunsFromThePreviousDaysLastReading) {
  // Drove 10 km on Monday; the drive that ended Tuesday 00:20 started Monday 23:50 (3 km before midnight).
  const auto d = Distances({{"2026-06-01", 1000, 1010}, {"2026-06-02", 1013, 1040}});
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].day, "2026-06-01");
  EXPECT_DOUBLE_EQ(d[0].km, 10);
  EXPECT_DOUBLE_EQ(d[1].km, 30);  // 1040 - 1010, the 3 km across midnight included
}

TEST(DayDistance, AParkedDayIsZero) {
  const auto d = Distances({{"2026-06-01", 500, 520}, {"2026-06-02", 520, 520}});
  EXPECT_DOUBLE_EQ(d[1].km, 0);
}

TEST(DayDistance, AnOdometerGoingBackwardsCountsAsZero) {
  const auto d = Distances({{"2026-06-01", 900, 950}, {"2026-06-02", 12, 30}});
  EXPECT_DOUBLE_EQ(d[1].km, 0);
  EXPECT_DOUBLE_EQ(DistanceToday({"2026-06-03", 30, 45}, 30), 15);
}

TEST(DayDistance, TodayWithoutAnEarlierReadingStartsAtItsFirst) {
  EXPECT_DOUBLE_EQ(DistanceToday({"2026-06-01", 100.5, 112.0}, std::nullopt), 11.5);
}

}  // namespace
}  // namespace tessie::daily_distance
