#include "fleet/usage_recorder.hpp"

#include <gtest/gtest.h>

#include "fleet/fleet_test_support.hpp"

namespace tessie::core::fleet {
namespace {

class UsageRecorderTest : public ::testing::Test {
 protected:
  std::unique_ptr<UsageRecorder> Recorder() {
    return std::make_unique<UsageRecorder>(env_.storage(), env_.log(), [this] { return clock_.NowMs(); });
  }
  testing::FleetTestEnv env_;
  testing::ManualClock clock_;
};

TEST_F(UsageRecorderTest, TodaysUsageAndItsBudgetSurviveARestart) {
  auto recorder = Recorder();
  // $0.01 a day = 5 data requests.
  for (int i = 0; i < 4; ++i) recorder->Record("vehicle:1", BillingCategory::kData, 200, "GET /api/1/vehicles/1", "");
  recorder->Record("vehicle:1", BillingCategory::kData, 503, "GET /api/1/vehicles/1", "unavailable");  // free
  EXPECT_TRUE(recorder->Allows("vehicle:1", BillingCategory::kData, 0.01));
  recorder.reset();
  env_.Open();
  recorder = Recorder();
  const auto day = recorder->UsageOn(UtcDay(clock_.NowMs()));
  ASSERT_EQ(day.size(), 1u);
  EXPECT_EQ(day[0].billable.at(BillingCategory::kData), 4);
  EXPECT_EQ(day[0].free_responses, 1);
  recorder->Record("vehicle:1", BillingCategory::kData, 200, "GET /api/1/vehicles/1", "");
  EXPECT_FALSE(recorder->Allows("vehicle:1", BillingCategory::kData, 0.01));
  EXPECT_TRUE(recorder->Allows("vehicle:2", BillingCategory::kData, 0.01)) << "the budget is per vehicle";
  clock_.Advance(std::chrono::hours(24));
  EXPECT_TRUE(recorder->Allows("vehicle:1", BillingCategory::kData, 0.01)) << "a new UTC day";
}

TEST_F(UsageRecorderTest, EachTargetShowsItsLastRequestLastSuccessAndHold) {
  auto recorder = Recorder();
  recorder->Record("site:7", BillingCategory::kFree, 200, "GET /api/1/energy_sites/7/live_status", "");
  const auto success_ms = clock_.NowMs();
  clock_.Advance(std::chrono::seconds(5));
  recorder->Record("site:7", BillingCategory::kFree, 429, "GET /api/1/energy_sites/7/live_status", "slow down");
  recorder->NoteHold("site:7", clock_.NowMs() + 30'000);
  const auto targets = recorder->Targets();
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].target, "site:7");
  EXPECT_EQ(targets[0].last_status, 429);
  EXPECT_EQ(targets[0].last_error, "slow down");
  EXPECT_EQ(targets[0].last_request_ms, clock_.NowMs());
  EXPECT_EQ(targets[0].last_success_ms, success_ms);
  EXPECT_EQ(targets[0].hold_until_ms, clock_.NowMs() + 30'000);
}

TEST_F(UsageRecorderTest, MetricsCountResponsesAndCostLikeTeslaBills) {
  MetricsRegistry metrics;
  auto recorder = Recorder();
  recorder->SetMetrics(&metrics);
  recorder->Record("vehicle:1001", BillingCategory::kData, 200, "GET /api/1/vehicles/1001/vehicle_data", "");
  recorder->Record("vehicle:1001", BillingCategory::kWakes, 200, "POST /api/1/vehicles/1001/wake_up", "");
  recorder->Record("vehicle:1001", BillingCategory::kData, 401, "GET /api/1/vehicles/1001/vehicle_data", "refused");
  recorder->Record("vehicle:1001", BillingCategory::kData, 0, "GET /api/1/vehicles/1001/vehicle_data", "timeout");
  EXPECT_EQ(metrics.Value("tessie_fleet_billable_requests_total", {{"category", "data"}}), 1);
  EXPECT_NEAR(metrics.Value("tessie_fleet_estimated_cost_usd_total", {{"category", "wakes"}}), 0.02, 1e-12);
  EXPECT_EQ(
      metrics.Value("tessie_fleet_requests_total",
                    {{"endpoint", "GET /api/1/vehicles/{id}/vehicle_data"}, {"status", "error"}, {"category", "data"}}),
      1);
  metrics.Render();  // runs the collector
  EXPECT_NEAR(metrics.Value("tessie_fleet_cost_today_usd", {{"target", "vehicle:1001"}}), 0.002 + 0.02, 1e-12);
}

}  // namespace
}  // namespace tessie::core::fleet
