#include "mqtt_inbound.hpp"

#include <gtest/gtest.h>

namespace tessie::core {
namespace {

using namespace std::chrono_literals;
using Clock = RepublishCoalescer::Clock;

TEST(RepublishCoalescer, TheFirstRequestRunsAtOnce) {
  RepublishCoalescer c(5s);
  const auto t0 = Clock::time_point{} + 100s;
  EXPECT_FALSE(c.Due());
  EXPECT_TRUE(c.Request(t0));
  EXPECT_EQ(*c.Due(), t0);
}

// Issue 12: 2,000 births were 2,005 full republishes.
TEST(RepublishCoalescer, AFloodOfRequestsIsOneImmediateAndOneTrailingRepublish) {
  RepublishCoalescer c(5s);
  const auto t0 = Clock::time_point{} + 100s;
  int started = 0;
  auto run_due = [&](Clock::time_point now) {
    if (c.Due() && *c.Due() <= now) {
      c.Started(now);
      ++started;
    }
  };
  for (int i = 0; i < 2000; ++i) {
    const auto now = t0 + i * 1ms;  // 2,000 births in 2 s
    c.Request(now);
    run_due(now);
  }
  EXPECT_EQ(started, 1);
  ASSERT_TRUE(c.Due());
  EXPECT_EQ(*c.Due(), t0 + 5s);  // exactly one trailing republish, at the end of the quiet period
  run_due(t0 + 5s);
  EXPECT_EQ(started, 2);
  EXPECT_FALSE(c.Due());  // nothing more without a new request
}

TEST(RepublishCoalescer, ARequestDuringTheQuietPeriodSchedulesExactlyOneTrailingRun) {
  RepublishCoalescer c(5s);
  const auto t0 = Clock::time_point{} + 100s;
  ASSERT_TRUE(c.Request(t0));
  c.Started(t0);
  EXPECT_TRUE(c.Request(t0 + 1s));   // schedules
  EXPECT_FALSE(c.Request(t0 + 2s));  // joins
  EXPECT_EQ(*c.Due(), t0 + 5s);
  c.Started(t0 + 5s);
  EXPECT_TRUE(c.Request(t0 + 11s));  // after a quiet period: at once again
  EXPECT_EQ(*c.Due(), t0 + 11s);
}

}  // namespace
}  // namespace tessie::core
