#include "polling_policy.hpp"

#include <gtest/gtest.h>

namespace tessie::vehicle {
namespace {

constexpr std::int64_t kMin = 60'000;

PollingPolicy Adaptive() { return PollingPolicy(PollingSettings{}); }

TEST(PollingPolicy, AnAsleepCarOnlyGetsFreeStateChecks) {
  auto p = Adaptive();
  EXPECT_EQ(p.Next(0), PollAction::kCheckState);
  p.OnState("asleep", 0);
  for (int i = 1; i < 100; ++i) {
    EXPECT_EQ(p.Next(i * kMin), PollAction::kCheckState);
    p.OnState("asleep", i * kMin);
  }
  EXPECT_EQ(p.Delay(), std::chrono::seconds(60));
}

TEST(PollingPolicy, ACarThatWakesUpIsLookedAtAtOnce) {
  auto p = Adaptive();
  p.OnState("asleep", 0);
  p.OnState("online", kMin);
  EXPECT_EQ(p.Delay(), Millis(0));
  EXPECT_EQ(p.Next(kMin), PollAction::kFetchData);
}

TEST(PollingPolicy, DrivingAndChargingArePolledAtTheirIntervals) {
  auto p = Adaptive();
  p.OnState("online", 0);
  p.OnData(/*driving=*/true, false, true, 0);
  EXPECT_EQ(p.Next(5 * kMin), PollAction::kFetchData);
  EXPECT_EQ(p.Delay(), std::chrono::minutes(5));
  p.OnData(false, /*charging=*/true, false, 5 * kMin);
  EXPECT_EQ(p.Next(20 * kMin), PollAction::kFetchData);
  EXPECT_EQ(p.Delay(), std::chrono::minutes(15));
  p.OnData(false, false, /*user_present=*/true, 20 * kMin);
  EXPECT_EQ(p.Next(25 * kMin), PollAction::kFetchData);
}

TEST(PollingPolicy, AParkedCarIsLeftAloneSoItCanSleep) {
  auto p = Adaptive();
  p.OnData(true, false, false, 0);
  p.OnData(false, false, false, 5 * kMin);  // parked
  EXPECT_TRUE(p.Suspended());
  // Online but idle: no data requests until it has had time to fall asleep.
  for (std::int64_t t = 6 * kMin; t < 5 * kMin + 17 * kMin; t += kMin) {
    EXPECT_EQ(p.Next(t), PollAction::kCheckState) << t / kMin;
    p.OnState("online", t);
  }
  p.OnState("asleep", 21 * kMin);
  EXPECT_EQ(p.Next(22 * kMin), PollAction::kCheckState);
  EXPECT_EQ(p.CurrentActivity(), Activity::kAsleep);
}

TEST(PollingPolicy, ACarKeptAwakeBySomethingElseGetsOneLook) {
  auto p = Adaptive();
  p.OnData(false, false, false, 0);  // parked at 0
  p.OnState("online", 16 * kMin);
  EXPECT_EQ(p.Next(16 * kMin), PollAction::kCheckState);
  p.OnState("online", 17 * kMin);
  EXPECT_EQ(p.Next(17 * kMin), PollAction::kFetchData);  // 15 + 2 minutes and still awake
  p.OnData(true, false, false, 17 * kMin);               // someone drives off
  EXPECT_EQ(p.CurrentActivity(), Activity::kDriving);
}

TEST(PollingPolicy, A408MeansAsleepAndNothingWakesTheCar) {
  auto p = Adaptive();
  p.OnData(true, false, false, 0);
  p.OnAsleep(5 * kMin);
  EXPECT_EQ(p.Next(6 * kMin), PollAction::kCheckState);
}

TEST(PollingPolicy, SyncNowFetchesDataOnlyWhenTheCarIsAwake) {
  auto p = Adaptive();
  p.OnData(false, false, false, 0);
  p.OnState("online", kMin);
  p.RequestData();
  EXPECT_EQ(p.Next(kMin), PollAction::kFetchData);
  p.OnData(false, false, false, kMin);
  EXPECT_EQ(p.Next(2 * kMin), PollAction::kCheckState);  // the request was used up
  p.OnState("asleep", 3 * kMin);
  p.RequestData();
  EXPECT_EQ(p.Next(3 * kMin), PollAction::kCheckState);  // never woken for a sync
}

// Issue 12: with the budget spent, the poller made a state check with a delay of 0, thousands a second.
TEST(PollingPolicy, ASpentBudgetMeansStateChecksAtTheNormalIntervalNotALoop) {
  auto p = Adaptive();
  p.OnState("online", 0);  // woken by someone: look at once
  EXPECT_EQ(p.Delay(), Millis(0));
  ASSERT_EQ(p.Next(0), PollAction::kFetchData);
  for (int i = 0; i < 10; ++i) {
    p.OnBudgetSpent("online", i * kMin);  // the state check made instead of the data request
    EXPECT_TRUE(p.BudgetSpent());
    EXPECT_EQ(p.Delay(), std::chrono::seconds(60)) << i;
    EXPECT_EQ(p.Next((i + 1) * kMin), PollAction::kFetchData);  // data again once the budget allows
  }
  p.OnBudgetSpent("asleep", 11 * kMin);
  EXPECT_EQ(p.Delay(), std::chrono::seconds(60));
  EXPECT_EQ(p.Next(12 * kMin), PollAction::kCheckState);
  p.OnState("online", 12 * kMin);  // woken again while the budget is still spent: still no loop
  EXPECT_EQ(p.Delay(), std::chrono::seconds(60));
}

TEST(PollingPolicy, TheNormalCadenceReturnsWithData) {
  auto p = Adaptive();
  p.OnState("online", 0);
  p.OnBudgetSpent("online", 0);
  p.OnData(/*driving=*/true, false, false, kMin);  // the next UTC day: data again
  EXPECT_FALSE(p.BudgetSpent());
  EXPECT_EQ(p.Delay(), std::chrono::minutes(5));
  p.OnState("asleep", 10 * kMin);
  p.OnState("online", 11 * kMin);
  EXPECT_EQ(p.Delay(), Millis(0));  // woken: look at once, as before
}

TEST(PollingPolicy, ASpentBudgetNeverShortensALongerInterval) {
  PollingSettings s;
  s.adaptive = false;
  s.fixed_interval = std::chrono::minutes(10);
  PollingPolicy p(s);
  p.OnBudgetSpent("online", 0);
  EXPECT_EQ(p.Delay(), std::chrono::minutes(10));
}

TEST(PollingPolicy, FixedPollingAlwaysFetchesData) {
  PollingSettings s;
  s.adaptive = false;
  s.fixed_interval = std::chrono::minutes(10);
  PollingPolicy p(s);
  p.OnAsleep(0);
  EXPECT_EQ(p.Next(kMin), PollAction::kFetchData);
  EXPECT_EQ(p.Delay(), std::chrono::minutes(10));
}

}  // namespace
}  // namespace tessie::vehicle
