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
  p.OnData(false, false, false, 0);
  p.OnData(false, false, false, 5 * kMin);  // parked (not after a drive)
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

// A car that falls asleep 15 minutes after the last data request, as Tesla's do, polled by the policy from
// `from_ms` to `to_ms`; `charging_from_ms` (DC) starts a charge. Counts what the policy did.
struct Outcome {
  int data_requests = 0;
  std::int64_t asleep_at_ms = -1;
  std::int64_t charge_seen_ms = -1;
  std::vector<std::int64_t> charging_samples_ms;
};
Outcome Simulate(PollingPolicy& p, std::int64_t from_ms, std::int64_t to_ms, std::int64_t charging_from_ms = -1,
                 std::int64_t charging_to_ms = -1) {
  Outcome o;
  std::int64_t awake_until = from_ms + 15 * kMin;
  for (std::int64_t t = from_ms; t<to_ms; t += p.Delay().count()> 0 ? p.Delay().count() : 1) {
    const bool charging = charging_from_ms >= 0 && t >= charging_from_ms && t < charging_to_ms;
    if (charging) awake_until = std::max(awake_until, t + 15 * kMin);
    const bool online = t < awake_until;
    if (!online && o.asleep_at_ms < 0) o.asleep_at_ms = t;
    if (p.Next(t) == PollAction::kCheckState) {
      p.OnState(online ? "online" : "asleep", t);
      continue;
    }
    if (!online) {
      p.OnAsleep(t);
      continue;
    }
    ++o.data_requests;
    awake_until = std::max(awake_until, t + 15 * kMin);
    p.OnData(PollingPolicy::DataSeen{false, charging, charging, false}, t);
    if (charging) {
      if (o.charge_seen_ms < 0) o.charge_seen_ms = t;
      o.charging_samples_ms.push_back(t);
    }
  }
  return o;
}

// Issue 13: after a drive the policy stopped data requests at once, so a Supercharger session that started a
// minute after arriving was first seen 15 minutes later, near its end.
TEST(PollingPolicy, AfterADriveTheCarIsLookedAtAgainForACharge) {
  auto p = Adaptive();
  p.OnData(/*driving=*/true, false, false, 0);
  p.OnData(false, false, false, 4 * kMin);  // arrived; the parked sample
  EXPECT_EQ(p.Delay(), std::chrono::minutes(2));
  EXPECT_EQ(p.Next(6 * kMin), PollAction::kFetchData);
  // Plugged in at a Supercharger 5 minutes after the parked sample: seen within 2 minutes.
  const auto o = Simulate(p, 6 * kMin, 60 * kMin, 9 * kMin, 40 * kMin);
  ASSERT_GE(o.charge_seen_ms, 9 * kMin);
  EXPECT_LE(o.charge_seen_ms, 11 * kMin);
  // Then sampled every 2 minutes for a curve: 15 points for a 30-minute session, $0.03 at $0.002 each.
  EXPECT_GE(o.charging_samples_ms.size(), 14u);
  EXPECT_LE(o.charging_samples_ms.size(), 16u);
  for (std::size_t i = 1; i < o.charging_samples_ms.size(); ++i)
    EXPECT_EQ(o.charging_samples_ms[i] - o.charging_samples_ms[i - 1], 2 * kMin);
}

TEST(PollingPolicy, AfterADriveWithoutAChargeTheCarStillFallsAsleep) {
  auto p = Adaptive();
  p.OnData(/*driving=*/true, false, false, 0);
  p.OnData(false, false, false, 4 * kMin);  // the parked sample
  const auto o = Simulate(p, 6 * kMin, 120 * kMin);
  // Three looks (at 2, 4 and 6 minutes: $0.006), then nothing: asleep 15 minutes after the last one.
  EXPECT_EQ(o.data_requests, 3);
  ASSERT_GE(o.asleep_at_ms, 0);
  EXPECT_LE(o.asleep_at_ms, 4 * kMin + 6 * kMin + 15 * kMin + kMin);
  EXPECT_EQ(p.CurrentActivity(), Activity::kAsleep);
}

TEST(PollingPolicy, ACChargingStaysAtTheSlowerInterval) {
  auto p = Adaptive();
  p.OnData(PollingPolicy::DataSeen{false, /*charging=*/true, /*fast_charging=*/false, false}, 0);
  EXPECT_EQ(p.Delay(), std::chrono::minutes(15));
  p.OnData(PollingPolicy::DataSeen{false, true, /*fast_charging=*/true, false}, kMin);
  EXPECT_EQ(p.Delay(), std::chrono::minutes(2));
}

// Issue 13: an AC charge that completed 14 minutes into the 15-minute interval was seen complete only if the
// car had not fallen asleep by then.
TEST(PollingPolicy, AChargeAboutToCompleteIsLookedAtJustAfter) {
  auto p = Adaptive();
  PollingPolicy::DataSeen seen{false, /*charging=*/true, false, false};
  seen.time_to_full_h = 0.1;  // 6 minutes
  p.OnData(seen, 0);
  EXPECT_EQ(p.Delay(), std::chrono::minutes(7));
  seen.time_to_full_h = 2.0;
  p.OnData(seen, 7 * kMin);
  EXPECT_EQ(p.Delay(), std::chrono::minutes(15));
  seen.fast_charging = true;
  seen.time_to_full_h = 0.01;
  p.OnData(seen, 8 * kMin);
  EXPECT_EQ(p.Delay(), std::chrono::milliseconds(36'000 + 60'000));
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
