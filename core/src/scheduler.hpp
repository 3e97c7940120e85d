#pragma once
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "logger.hpp"
#include "metrics.hpp"
#include "tessie/sdk/scheduler.hpp"

namespace tessie::core {

struct JobStatus {
  std::string owner;
  std::string name;
  bool periodic = true;
  bool is_sync = false;
  bool running = false;
  std::int64_t interval_ms = 0;
  std::uint64_t runs = 0;
  std::uint64_t failures = 0;
  int consecutive_failures = 0;
  std::int64_t last_run_ms = 0;  // epoch ms of the last start, 0 = never
  std::int64_t last_duration_ms = 0;
  std::string last_error;  // of the last run, "" when it succeeded
  std::int64_t next_run_ms = 0;
};

// Runs plugin jobs on a Boost.Asio io_context served by a few threads. Jobs are owned by a plugin name
// (or "core"). A periodic job never starts sooner than its JobOptions::min_delay (default 1 s of clock
// time) after its previous run ended, whatever delay it asked for. Thread-safe, except that RemoveOwner and Shutdown
// must not be called from inside a job (they wait for running jobs).
class JobScheduler {
 public:
  JobScheduler(int threads, LogSink& log);
  ~JobScheduler();
  JobScheduler(const JobScheduler&) = delete;
  JobScheduler& operator=(const JobScheduler&) = delete;

  // Throws std::invalid_argument for a duplicate owner+name or a non-positive interval.
  void AddPeriodic(const std::string& owner, const sdk::JobOptions& options, sdk::JobFunction fn);
  void AddOnce(const std::string& owner, const std::string& name, std::chrono::milliseconds delay,
               std::function<void()> fn);
  bool RunNow(const std::string& owner, const std::string& name);
  // Runs every periodic job marked is_sync now; returns how many were triggered.
  std::size_t RunAllSyncJobs();
  // Cancels the owner's jobs and waits for any of them that is running to return.
  void RemoveOwner(const std::string& owner);
  std::vector<JobStatus> Status() const;
  // Delays are in (possibly simulated) clock time: while scale() > 1 each is divided by it when armed. For the
  // simulator clock (demo mode, tests); by default 1. Set before jobs are added.
  void SetTimeScale(std::function<double()> scale) { scale_ = std::move(scale); }
  // The scale changed (the simulator was paused, resumed or sped up): re-arms every waiting job so that what
  // is left of its delay, in clock time, is divided by the new scale. Without this a job armed while the
  // simulator was paused would wait its whole delay in real time.
  void Rescale();
  // Stops all jobs (waiting for running ones) and joins the threads. Idempotent.
  void Shutdown();
  // Counts runs, failures and durations per owner and job (tessie_job_*). Set before jobs are added.
  void SetMetrics(MetricsRegistry* metrics);
  // Wraps every job run: `hook` gets the run and must call it once, on the same thread (the host opens a
  // storage BufferedWriteScope around it, so that a job's writes are buffered during a database outage).
  // Exceptions of the run pass through the hook. Set before jobs are added.
  using RunHook = std::function<void(const std::function<void()>& run)>;
  void SetRunHook(RunHook hook) { run_hook_ = std::move(hook); }

 private:
  struct Job;
  class Run;
  void Schedule(const std::shared_ptr<Job>& job, std::chrono::milliseconds delay);
  void Execute(const std::shared_ptr<Job>& job);
  std::chrono::milliseconds NextDelay(Job& job);
  std::chrono::milliseconds FloorLeft(const Job& job) const;
  void Cancel(const std::shared_ptr<Job>& job);

  LogSink& log_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<Job>> jobs_;
  std::atomic<bool> shut_down_{false};
  std::function<double()> scale_;
  MetricsRegistry* metrics_ = nullptr;
  RunHook run_hook_;
};

}  // namespace tessie::core
