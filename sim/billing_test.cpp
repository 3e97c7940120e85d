#include "billing.h"

#include <gtest/gtest.h>

namespace tessie::sim {
namespace {

constexpr double kDay1 = 1780272000;  // 2026-06-01T00:00:00Z

TEST(BillingTest, CountsBillableStatusesPerVehicleAndUtcDay) {
  Billing billing;
  EXPECT_TRUE(billing.Record("A", Category::kData, 200, kDay1 + 10));
  EXPECT_TRUE(billing.Record("A", Category::kData, 408, kDay1 + 20));  // asleep: still billed
  EXPECT_TRUE(billing.Record("A", Category::kData, 429, kDay1 + 30));
  EXPECT_FALSE(billing.Record("A", Category::kData, 500, kDay1 + 40));  // >= 500 is free
  EXPECT_FALSE(billing.Record("A", Category::kData, 503, kDay1 + 40));
  EXPECT_FALSE(billing.Record("A", Category::kData, 401, kDay1 + 40));
  EXPECT_FALSE(billing.Record("A", Category::kNone, 200, kDay1 + 40));
  EXPECT_TRUE(billing.Record("A", Category::kWakes, 200, kDay1 + 50));
  EXPECT_TRUE(billing.Record("B", Category::kCommands, 200, kDay1 + 86400));
  const auto json = billing.ToJson();
  const auto days = json->getArray("days");
  ASSERT_EQ(days->size(), 2u);
  const auto a = days->getObject(0);
  EXPECT_EQ(a->getValue<std::string>("date"), "2026-06-01");
  EXPECT_EQ(a->getValue<int>("data"), 3);
  EXPECT_EQ(a->getValue<int>("wakes"), 1);
  EXPECT_NEAR(a->getValue<double>("cost_usd"), 3 * 0.002 + 0.02, 1e-12);
  EXPECT_EQ(days->getObject(1)->getValue<std::string>("date"), "2026-06-02");
  EXPECT_NEAR(json->getObject("totals")->getValue<double>("cost_usd"), 3 * 0.002 + 0.02 + 0.001, 1e-12);
}

TEST(RateLimiterTest, SlidingMinutePerVehicleAndCategory) {
  RateLimiter limiter({60, 30, 3});
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.Admit("A", Category::kWakes, kDay1 + i * 10));
  const auto retry = limiter.Admit("A", Category::kWakes, kDay1 + 30);
  ASSERT_TRUE(retry);
  EXPECT_EQ(*retry, 30);                                           // the first wake leaves the window at +60
  EXPECT_FALSE(limiter.Admit("B", Category::kWakes, kDay1 + 30));  // per vehicle
  EXPECT_FALSE(limiter.Admit("A", Category::kData, kDay1 + 30));   // per category
  EXPECT_FALSE(limiter.Admit("A", Category::kWakes, kDay1 + 60));
}

}  // namespace
}  // namespace tessie::sim
