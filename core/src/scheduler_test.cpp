#include "scheduler.hpp"

#include "storage.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <thread>

namespace tessie::core {
namespace {

using namespace std::chrono_literals;

// Waits for a condition with a generous bound (a liveness check, not a timing assertion).
template <class F>
bool Eventually(F f, std::chrono::milliseconds limit = 10s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (f()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return f();
}

class SchedulerTest : public ::testing::Test {
 protected:
  std::ostringstream out_;
  LogSink log_{out_};
};

TEST_F(SchedulerTest, RunsPeriodicJobsRepeatedly) {
  JobScheduler s(2, log_);
  std::atomic<int> runs{0};
  s.AddPeriodic("p", {.name = "tick", .interval = 10ms, .min_delay = 0ms}, [&](sdk::JobRun&) { ++runs; });
  EXPECT_TRUE(Eventually([&] { return runs >= 3; }));
}

TEST_F(SchedulerTest, AThrowingJobIsLoggedCountedAndRetried) {
  JobScheduler s(1, log_);
  std::atomic<int> runs{0};
  s.AddPeriodic("plug", {.name = "bad", .interval = 5ms, .max_backoff = 20ms, .min_delay = 0ms}, [&](sdk::JobRun&) {
    ++runs;
    throw std::runtime_error("boom");
  });
  EXPECT_TRUE(Eventually([&] { return runs >= 3; }));
  const auto status = s.Status();
  ASSERT_EQ(status.size(), 1u);
  EXPECT_GE(status[0].failures, 2u);
  EXPECT_EQ(status[0].last_error, "boom");
  EXPECT_NE(out_.str().find("[plug] job 'bad' failed"), std::string::npos);
}

TEST_F(SchedulerTest, RunNowRunsImmediatelyAndNeverOverlapsItself) {
  JobScheduler s(2, log_);
  std::atomic<int> runs{0}, concurrent{0}, max_concurrent{0};
  s.AddPeriodic("p", {.name = "slow", .interval = 1h, .first_delay = 1h}, [&](sdk::JobRun&) {
    int c = ++concurrent;
    max_concurrent = std::max(max_concurrent.load(), c);
    std::this_thread::sleep_for(20ms);
    --concurrent;
    ++runs;
  });
  EXPECT_TRUE(s.RunNow("p", "slow"));
  EXPECT_TRUE(s.RunNow("p", "slow"));
  EXPECT_TRUE(s.RunNow("p", "slow"));
  EXPECT_TRUE(Eventually([&] { return runs >= 2; }));
  EXPECT_EQ(max_concurrent.load(), 1);
  EXPECT_FALSE(s.RunNow("p", "missing"));
  EXPECT_FALSE(s.RunNow("other", "slow"));
}

TEST_F(SchedulerTest, SetNextDelayOverridesTheInterval) {
  JobScheduler s(1, log_);
  std::atomic<int> runs{0};
  s.AddPeriodic("p", {.name = "adaptive", .interval = 1h, .min_delay = 0ms}, [&](sdk::JobRun& run) {
    ++runs;
    run.SetNextDelay(1ms);
  });
  EXPECT_TRUE(Eventually([&] { return runs >= 5; }));
}

TEST_F(SchedulerTest, AJobArmedWhileTheSimulatorWasPausedFollowsItsNewSpeed) {
  JobScheduler s(1, log_);
  std::atomic<double> speed{0};  // paused: delays in real time
  s.SetTimeScale([&] { return speed.load(); });
  std::atomic<int> runs{0};
  s.AddPeriodic("p", {.name = "poll", .interval = 1h, .first_delay = 1h}, [&](sdk::JobRun&) { ++runs; });
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(runs, 0);
  speed = 36'000;  // an hour of clock time is now 100 ms
  s.Rescale();
  EXPECT_TRUE(Eventually([&] { return runs >= 2; }));  // not in an hour
  speed = 1;                                           // back to real time: the next hour is an hour
  s.Rescale();
  const int after = runs;
  std::this_thread::sleep_for(300ms);
  EXPECT_LE(runs, after + 1);  // at most the run that was already due
}

TEST_F(SchedulerTest, RemoveOwnerWaitsForTheRunningJobAndStopsIt) {
  JobScheduler s(2, log_);
  std::atomic<bool> started{false}, finished{false};
  std::atomic<int> runs{0};
  s.AddPeriodic("p", {.name = "long", .interval = 1ms, .min_delay = 0ms}, [&](sdk::JobRun& run) {
    ++runs;
    started = true;
    while (!run.StopRequested()) std::this_thread::sleep_for(1ms);
    finished = true;
  });
  ASSERT_TRUE(Eventually([&] { return started.load(); }));
  s.RemoveOwner("p");
  EXPECT_TRUE(finished);
  const int after = runs;
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(runs, after);
  EXPECT_TRUE(s.Status().empty());
}

TEST_F(SchedulerTest, RejectsDuplicatesAndBadIntervals) {
  JobScheduler s(1, log_);
  s.AddPeriodic("p", {.name = "a", .interval = 1h}, [](sdk::JobRun&) {});
  EXPECT_THROW(s.AddPeriodic("p", {.name = "a", .interval = 1h}, [](sdk::JobRun&) {}), std::invalid_argument);
  EXPECT_NO_THROW(s.AddPeriodic("q", {.name = "a", .interval = 1h}, [](sdk::JobRun&) {}));
  EXPECT_THROW(s.AddPeriodic("p", {.name = "b", .interval = 0ms}, [](sdk::JobRun&) {}), std::invalid_argument);
  EXPECT_THROW(s.AddPeriodic("p", {.name = "c", .interval = 1h, .min_delay = -1ms}, [](sdk::JobRun&) {}),
               std::invalid_argument);
}

// At most the runs `min_delay` allows in the time since `since`, plus the first one (an upper bound: a slow
// machine makes fewer runs, never more).
int MaxRuns(std::chrono::steady_clock::time_point since, std::chrono::milliseconds min_delay) {
  return 1 + static_cast<int>((std::chrono::steady_clock::now() - since) / min_delay);
}

// The floor: a job that asks for no delay at all (the budget hot loop of issue 12) runs once a second, not
// thousands of times.
TEST_F(SchedulerTest, ADelayOfZeroIsHeldToTheOneSecondFloor) {
  JobScheduler s(2, log_);
  std::atomic<int> runs{0};
  const auto start = std::chrono::steady_clock::now();
  s.AddPeriodic("p", {.name = "hot", .interval = 1h}, [&](sdk::JobRun& run) {
    ++runs;
    run.SetNextDelay(0ms);
  });
  ASSERT_TRUE(Eventually([&] { return runs >= 2; }));  // the second run comes after the floor
  std::this_thread::sleep_for(1500ms);
  EXPECT_LE(runs, MaxRuns(start, sdk::kDefaultMinJobDelay));
}

TEST_F(SchedulerTest, AShortIntervalIsHeldToTheFloorUnlessTheJobOptsIn) {
  JobScheduler s(2, log_);
  std::atomic<int> floored{0}, opted_in{0};
  const auto start = std::chrono::steady_clock::now();
  s.AddPeriodic("p", {.name = "floored", .interval = 10ms}, [&](sdk::JobRun&) { ++floored; });
  s.AddPeriodic("p", {.name = "fast", .interval = 10ms, .min_delay = 10ms}, [&](sdk::JobRun&) { ++opted_in; });
  ASSERT_TRUE(Eventually([&] { return opted_in >= 30; }));
  std::this_thread::sleep_for(1200ms);
  EXPECT_LE(floored, MaxRuns(start, sdk::kDefaultMinJobDelay));
}

TEST_F(SchedulerTest, RunNowRightAfterARunWaitsForTheFloorAndCoalesces) {
  JobScheduler s(2, log_);
  std::atomic<int> runs{0};
  s.AddPeriodic("p", {.name = "sync", .interval = 1h}, [&](sdk::JobRun&) { ++runs; });
  ASSERT_TRUE(Eventually([&] { return runs == 1; }));  // first_delay 0: at once
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(s.RunNow("p", "sync"));
  ASSERT_TRUE(Eventually([&] { return runs == 2; }));  // the ten calls are one run, after the floor
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(runs, 2);
}

TEST_F(SchedulerTest, RunAllSyncJobsTriggersOnlySyncJobs) {
  JobScheduler s(2, log_);
  std::atomic<int> sync_runs{0}, other_runs{0};
  s.AddPeriodic("p", {.name = "sync", .interval = 1h, .first_delay = 1h, .is_sync = true},
                [&](sdk::JobRun&) { ++sync_runs; });
  s.AddPeriodic("p", {.name = "other", .interval = 1h, .first_delay = 1h}, [&](sdk::JobRun&) { ++other_runs; });
  EXPECT_EQ(s.RunAllSyncJobs(), 1u);
  EXPECT_TRUE(Eventually([&] { return sync_runs == 1; }));
  EXPECT_EQ(other_runs, 0);
}

TEST_F(SchedulerTest, OneShotJobRunsOnce) {
  JobScheduler s(1, log_);
  std::atomic<int> runs{0};
  s.AddOnce("p", "once", 1ms, [&] { ++runs; });
  EXPECT_TRUE(Eventually([&] { return runs == 1 && s.Status().empty(); }));
}

// Issue 14: storage buffered a job's writes by asking the scheduler's thread-local. Now the host says so through
// the run hook: every run (periodic, one-shot, throwing) goes through it, on the job's thread, and a
// BufferedWriteScope opened there is open exactly during the run.
TEST_F(SchedulerTest, EveryRunGoesThroughTheRunHookWithItsWriteScope) {
  JobScheduler s(2, log_);
  std::atomic<int> hooked{0};
  s.SetRunHook([&](const std::function<void()>& run) {
    BufferedWriteScope buffered;
    ++hooked;
    run();
  });
  std::atomic<int> buffered_runs{0}, throwing_runs{0};
  std::atomic<bool> once_buffered{false};
  s.AddPeriodic("p", {.name = "write", .interval = 10ms, .min_delay = 10ms}, [&](sdk::JobRun&) {
    if (BufferedWriteScope::Active()) ++buffered_runs;
  });
  s.AddPeriodic("p", {.name = "throws", .interval = 10ms, .max_backoff = 10ms, .min_delay = 10ms},
                [&](sdk::JobRun&) {
                  ++throwing_runs;
                  throw std::runtime_error("boom");
                });
  s.AddOnce("p", "once", 1ms, [&] { once_buffered = BufferedWriteScope::Active(); });
  EXPECT_TRUE(Eventually([&] { return buffered_runs >= 2 && throwing_runs >= 2 && once_buffered; }));
  s.Shutdown();
  EXPECT_GE(hooked.load(), buffered_runs + throwing_runs + 1);
  EXPECT_FALSE(BufferedWriteScope::Active());  // this thread never ran a job
}

TEST(BufferedWriteScope, IsOpenOnItsOwnThreadWhileAliveAndNests) {
  EXPECT_FALSE(BufferedWriteScope::Active());
  {
    BufferedWriteScope outer;
    EXPECT_TRUE(BufferedWriteScope::Active());
    std::thread([] { EXPECT_FALSE(BufferedWriteScope::Active()); }).join();
    {
      BufferedWriteScope inner;
      EXPECT_TRUE(BufferedWriteScope::Active());
    }
    EXPECT_TRUE(BufferedWriteScope::Active());
  }
  EXPECT_FALSE(BufferedWriteScope::Active());
}

}  // namespace
}  // namespace tessie::core
