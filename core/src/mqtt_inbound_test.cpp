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

// Issue 14: the double Wake. A plugin registering its command again (on a republish, a restart of its
// discovery) must still run once per message.
TEST(CommandRegistry, ASecondRegistrationReplacesTheFirst) {
  CommandRegistry registry;
  int first = 0, second = 0;
  EXPECT_TRUE(registry.Set("vehicle", "tessie/v/1/wake", [&](const std::string&) { ++first; }));
  EXPECT_FALSE(registry.Set("vehicle", "tessie/v/1/wake", [&](const std::string&) { ++second; }));
  const auto targets = registry.For("tessie/v/1/wake");
  ASSERT_EQ(targets.size(), 1u);
  for (const auto& t : targets) (*t.handler)("PRESS");
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 1);
}

TEST(CommandRegistry, OwnersOfOneTopicEachGetTheMessageAndUnsubscribeWhenTheLastLeaves) {
  CommandRegistry registry;
  EXPECT_TRUE(registry.Set("a", "t/x", [](const std::string&) {}));
  EXPECT_FALSE(registry.Set("b", "t/x", [](const std::string&) {}));
  EXPECT_TRUE(registry.Set("a", "t/y", [](const std::string&) {}));
  EXPECT_EQ(registry.For("t/x").size(), 2u);
  EXPECT_EQ(registry.Topics(), (std::vector<std::string>{"t/x", "t/y"}));
  EXPECT_EQ(registry.RemoveOwner("a"), std::vector<std::string>{"t/y"});  // b still wants t/x
  EXPECT_EQ(registry.For("t/x").size(), 1u);
  EXPECT_TRUE(registry.For("t/y").empty());
  EXPECT_EQ(registry.RemoveOwner("b"), std::vector<std::string>{"t/x"});
  EXPECT_TRUE(registry.Topics().empty());
}

}  // namespace
}  // namespace tessie::core
