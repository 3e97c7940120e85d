#include "fleet/usage_meter.hpp"

#include <gtest/gtest.h>

namespace tessie::core::fleet {
namespace {

TEST(UsageMeter, CountsBillableByCategoryAndPricesThemLikeTesla) {
  UsageMeter m;
  for (int i = 0; i < 10; ++i) m.Record("2026-11-27", "vehicle:1", BillingCategory::kData, 200);
  m.Record("2026-11-27", "vehicle:1", BillingCategory::kData, 408);  // asleep: still billed (< 500)
  m.Record("2026-11-27", "vehicle:1", BillingCategory::kData, 429);  // rate limited: billed too
  m.Record("2026-11-27", "vehicle:1", BillingCategory::kWakes, 200);
  m.Record("2026-11-27", "vehicle:1", BillingCategory::kData, 503);  // ≥ 500: free
  m.Record("2026-11-27", "vehicle:1", BillingCategory::kData, 0);    // no answer: free
  m.Record("2026-11-27", "vehicle:1", BillingCategory::kData, 401);  // refused token: free
  const auto u = m.Get("2026-11-27", "vehicle:1");
  EXPECT_EQ(u.billable.at(BillingCategory::kData), 12);
  EXPECT_EQ(u.billable.at(BillingCategory::kWakes), 1);
  EXPECT_EQ(u.free_responses, 3);
  EXPECT_NEAR(u.CostUsd(), 12 * 0.002 + 0.02, 1e-12);
  EXPECT_EQ(m.Get("2026-11-28", "vehicle:1").CostUsd(), 0);
  EXPECT_EQ(m.Day("2026-11-27").size(), 1u);
}

TEST(UsageMeter, BudgetStopsDataRequestsAtTheLimit) {
  UsageMeter m;
  // $0.01 = 5 data requests.
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(m.Allows("d", "vehicle:1", BillingCategory::kData, 0.01));
    m.Record("d", "vehicle:1", BillingCategory::kData, 200);
  }
  EXPECT_TRUE(m.Allows("d", "vehicle:1", BillingCategory::kData, 0.01));
  m.Record("d", "vehicle:1", BillingCategory::kData, 200);
  EXPECT_FALSE(m.Allows("d", "vehicle:1", BillingCategory::kData, 0.01));
  EXPECT_TRUE(m.Allows("d", "vehicle:2", BillingCategory::kData, 0.01));
  EXPECT_TRUE(m.Allows("d", "vehicle:1", BillingCategory::kData, 0));  // no limit
}

TEST(UsageMeter, UtcDay) {
  EXPECT_EQ(UtcDay(0), "1970-01-01");
  EXPECT_EQ(UtcDay(1'764'201'599'000LL), "2025-11-26");
  EXPECT_EQ(UtcDay(1'764'201'600'000LL), "2025-11-27");
}

}  // namespace
}  // namespace tessie::core::fleet
