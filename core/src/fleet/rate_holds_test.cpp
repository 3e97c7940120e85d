#include "fleet/rate_holds.hpp"

#include <gtest/gtest.h>

namespace tessie::core::fleet {
namespace {

TEST(RateHolds, AHeldKeyWaitsWholeSecondsRoundedUpUntilItsTime) {
  RateHolds holds;
  holds.Hold("vehicle:1|data", 10'500);
  EXPECT_EQ(holds.WaitSeconds("vehicle:1|data", 10'000), 1);
  EXPECT_EQ(holds.WaitSeconds("vehicle:1|data", 0), 11);
  EXPECT_FALSE(holds.WaitSeconds("vehicle:1|data", 10'500));
  EXPECT_FALSE(holds.WaitSeconds("vehicle:1|wakes", 0)) << "another category is not held";
  EXPECT_FALSE(holds.WaitSeconds("vehicle:2|data", 0)) << "another vehicle is not held";
}

TEST(RateHolds, ALaterHoldReplacesAnEarlierOneAndClearLiftsAll) {
  RateHolds holds;
  holds.Hold("k", 60'000);
  holds.Hold("k", 5'000);
  EXPECT_EQ(holds.WaitSeconds("k", 0), 5);
  holds.Clear();
  EXPECT_FALSE(holds.WaitSeconds("k", 0));
}

TEST(RateLimitHeaders, ResetIsTheLongestWindowAndOnlyWhenExhaustedWhenAsked) {
  const std::map<std::string, std::string> left = {{"ratelimit-remaining", "3"}, {"ratelimit-reset", "20"}};
  EXPECT_EQ(RateLimitResetSeconds(left, false), 20);
  EXPECT_FALSE(RateLimitResetSeconds(left, true));
  const std::map<std::string, std::string> spent = {{"ratelimit-data-remaining", "0"},
                                                    {"ratelimit-data-reset", "30"},
                                                    {"ratelimit-reset", "12"},
                                                    {"ratelimit-wakes-reset", "junk"}};
  EXPECT_EQ(RateLimitResetSeconds(spent, true), 30);
  EXPECT_FALSE(RateLimitResetSeconds({{"content-type", "application/json"}}, false));
}

TEST(RateLimitHeaders, RetryAfterComesFromTheHeaderTheWindowTheBodyOrDefaultsToAMinute) {
  EXPECT_EQ(RetryAfterSeconds({{"retry-after", "42"}}, ""), 42);
  EXPECT_EQ(RetryAfterSeconds({{"retry-after", "0"}}, ""), 1) << "never less than a second";
  EXPECT_EQ(RetryAfterSeconds({{"retry-after", "soon"}, {"ratelimit-reset", "7"}}, ""), 7);
  EXPECT_EQ(RetryAfterSeconds({}, R"({"error":"Rate limit exceeded. Retry in 17 seconds"})"), 17);
  EXPECT_EQ(RetryAfterSeconds({}, "{}"), 60);
}

}  // namespace
}  // namespace tessie::core::fleet
