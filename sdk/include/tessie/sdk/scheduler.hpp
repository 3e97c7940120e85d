#pragma once
#include <chrono>
#include <functional>
#include <string>

#include "tessie/sdk/version.hpp"

namespace tessie::sdk {
inline namespace v1 {

// The default shortest gap between two runs of a periodic job (see JobOptions::min_delay).
inline constexpr std::chrono::milliseconds kDefaultMinJobDelay{std::chrono::seconds(1)};

struct JobOptions {
  std::string name;  // unique within the plugin; shown in /api/plugins and sync status
  std::chrono::milliseconds interval{std::chrono::minutes(1)};
  // Each delay is drawn from [interval - jitter/2, interval + jitter/2] so jobs do not run in lockstep.
  std::chrono::milliseconds jitter{0};
  std::chrono::milliseconds first_delay{0};
  // After a run throws, the next delay doubles per consecutive failure (starting at `interval`), capped here.
  std::chrono::milliseconds max_backoff{std::chrono::minutes(30)};
  // Part of "sync now" (Scheduler::RunAllSyncJobs in the host).
  bool is_sync = false;
  // The shortest gap, in clock time, between the end of one run and the start of the next: every delay
  // (interval, jitter, backoff, SetNextDelay, RunNow, a rerun) is raised to it, so a job that computes a
  // delay of 0 by mistake runs once a second, not thousands of times. Lowering it is an explicit opt-in
  // for a job that must run faster (a batch draining a backlog, a test). Must not be negative.
  std::chrono::milliseconds min_delay{kDefaultMinJobDelay};
};

// Handed to a running job. Used only on the job's own thread, during the run.
class TESSIE_SDK_API JobRun {
 public:
  virtual ~JobRun() = default;
  // Overrides the delay until the next run (adaptive polling); otherwise `interval` (+ jitter) applies.
  // Either way the delay is at least JobOptions::min_delay.
  virtual void SetNextDelay(std::chrono::milliseconds delay) = 0;
  // True once the host is stopping this job: a long run should return early.
  virtual bool StopRequested() const = 0;
};

// Runs on the host's Boost.Asio scheduler threads. A job never runs concurrently with itself; different
// jobs may run in parallel. An exception thrown by a job is logged naming the plugin and job, counted,
// and the job is retried with backoff; it never stops the scheduler.
using JobFunction = std::function<void(JobRun&)>;

// A plugin's view of the scheduler. Jobs are cancelled (and a running one awaited) when the plugin stops.
class TESSIE_SDK_API Scheduler {
 public:
  virtual ~Scheduler() = default;
  // Throws std::invalid_argument for a duplicate name or a non-positive interval.
  virtual void Every(const JobOptions& options, JobFunction job) = 0;
  // Runs `job` once after `delay`. Failures are logged; a one-shot job is not retried.
  virtual void Once(const std::string& name, std::chrono::milliseconds delay, std::function<void()> job) = 0;
  // Runs this plugin's job `name` as soon as possible: after the current run if one is in progress, and
  // never sooner than the job's min_delay after its last run. Calls while a run is pending coalesce into
  // that run. Returns false when there is no such job.
  virtual bool RunNow(const std::string& name) = 0;
};

}  // namespace v1
}  // namespace tessie::sdk
