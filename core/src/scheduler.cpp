#include "scheduler.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <condition_variable>
#include <optional>
#include <random>

namespace tessie::core {

using std::chrono::milliseconds;

struct JobScheduler::Job {
  Job(boost::asio::io_context& io) : timer(io) {}
  std::string owner;
  sdk::JobOptions options;
  sdk::JobFunction fn;
  bool periodic = true;

  std::mutex mutex;  // guards everything below and timer calls
  std::condition_variable idle;
  boost::asio::steady_timer timer;
  // The delay last armed, in clock time, when and at which scale (for Rescale).
  milliseconds clock_delay{0};
  std::chrono::steady_clock::time_point armed_at;
  double armed_scale = 1;
  bool running = false;
  bool rerun = false;
  bool has_run = false;
  std::chrono::steady_clock::time_point last_end;  // when the last run returned (valid once has_run)
  std::atomic<bool> cancelled{false};
  JobStatus status;
  std::mt19937_64 rng{std::random_device{}()};
};

class JobScheduler::Run final : public sdk::JobRun {
 public:
  explicit Run(const Job& job) : job_(job) {}
  void SetNextDelay(milliseconds delay) override { next_ = std::max(delay, milliseconds(0)); }
  bool StopRequested() const override { return job_.cancelled.load(); }
  std::optional<milliseconds> Next() const { return next_; }

 private:
  const Job& job_;
  std::optional<milliseconds> next_;
};

namespace {
std::int64_t NowMs() {
  return std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
}  // namespace

JobScheduler::JobScheduler(int threads, LogSink& log) : log_(log), work_(boost::asio::make_work_guard(io_)) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { io_.run(); });
}

JobScheduler::~JobScheduler() { Shutdown(); }

void JobScheduler::SetMetrics(MetricsRegistry* metrics) {
  metrics_ = metrics;
  if (!metrics_) return;
  metrics_->Describe("tessie_job_runs_total", MetricType::kCounter, "Job runs, per plugin and job.");
  metrics_->Describe("tessie_job_failures_total", MetricType::kCounter, "Job runs that threw, per plugin and job.");
  metrics_->Describe("tessie_job_duration_seconds", MetricType::kHistogram, "How long job runs took, in seconds.");
}

void JobScheduler::AddPeriodic(const std::string& owner, const sdk::JobOptions& options, sdk::JobFunction fn) {
  if (options.name.empty()) throw std::invalid_argument("a job needs a name");
  if (options.interval <= milliseconds(0))
    throw std::invalid_argument("job '" + options.name + "' needs a positive interval");
  if (options.min_delay < milliseconds(0))
    throw std::invalid_argument("job '" + options.name + "' has a negative min_delay");
  if (!fn) throw std::invalid_argument("job '" + options.name + "' has no function");
  if (shut_down_) throw std::logic_error("the scheduler is shut down");
  auto job = std::make_shared<Job>(io_);
  job->owner = owner;
  job->options = options;
  job->fn = std::move(fn);
  job->status.owner = owner;
  job->status.name = options.name;
  job->status.is_sync = options.is_sync;
  job->status.interval_ms = options.interval.count();
  {
    std::lock_guard lock(mutex_);
    for (const auto& j : jobs_)
      if (j->owner == owner && j->options.name == options.name)
        throw std::invalid_argument("job '" + options.name + "' is already registered by '" + owner + "'");
    jobs_.push_back(job);
  }
  std::lock_guard lock(job->mutex);
  Schedule(job, options.first_delay);
}

void JobScheduler::AddOnce(const std::string& owner, const std::string& name, milliseconds delay,
                           std::function<void()> fn) {
  if (!fn) throw std::invalid_argument("job '" + name + "' has no function");
  auto job = std::make_shared<Job>(io_);
  job->owner = owner;
  job->options.name = name;
  job->periodic = false;
  job->fn = [fn = std::move(fn)](sdk::JobRun&) { fn(); };
  job->status.owner = owner;
  job->status.name = name;
  job->status.periodic = false;
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(job);
  }
  std::lock_guard lock(job->mutex);
  Schedule(job, delay);
}

// Caller holds job->mutex.
void JobScheduler::Schedule(const std::shared_ptr<Job>& job, milliseconds delay) {
  const double scale = scale_ ? std::max(1.0, scale_()) : 1.0;
  job->clock_delay = delay;
  job->armed_at = std::chrono::steady_clock::now();
  job->armed_scale = scale;
  if (scale > 1) delay = milliseconds(static_cast<long long>(static_cast<double>(delay.count()) / scale));
  job->status.next_run_ms = NowMs() + delay.count();
  job->timer.expires_after(delay);
  std::weak_ptr<Job> weak = job;
  job->timer.async_wait([this, weak](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled or re-armed
    if (auto j = weak.lock()) Execute(j);
  });
}

void JobScheduler::Rescale() {
  std::vector<std::shared_ptr<Job>> jobs;
  {
    std::lock_guard lock(mutex_);
    jobs = jobs_;
  }
  const auto now = std::chrono::steady_clock::now();
  for (const auto& job : jobs) {
    std::lock_guard lock(job->mutex);
    // Running jobs are armed again when they finish; a timer that already fired has its run queued.
    if (job->cancelled || job->running || job->timer.expiry() <= now) continue;
    const double elapsed_clock_ms =
        std::chrono::duration<double, std::milli>(now - job->armed_at).count() * job->armed_scale;
    const auto left =
        std::max(milliseconds(0), job->clock_delay - milliseconds(static_cast<long long>(elapsed_clock_ms)));
    Schedule(job, left);
  }
}

milliseconds JobScheduler::NextDelay(Job& job) {
  const auto& o = job.options;
  if (job.status.consecutive_failures > 0) {
    const int shift = std::min(job.status.consecutive_failures, 20);
    return std::min(milliseconds(o.interval.count() << shift), std::max(o.max_backoff, o.interval));
  }
  milliseconds delay = o.interval;
  if (o.jitter > milliseconds(0)) {
    std::uniform_int_distribution<long long> dist(-o.jitter.count() / 2, o.jitter.count() / 2);
    delay += milliseconds(dist(job.rng));
  }
  return std::max(delay, milliseconds(0));
}

// Caller holds job.mutex. What is left of the job's min_delay since its last run ended, in clock time.
milliseconds JobScheduler::FloorLeft(const Job& job) const {
  if (!job.has_run) return milliseconds(0);
  const double scale = scale_ ? std::max(1.0, scale_()) : 1.0;
  const double elapsed_clock_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - job.last_end).count() * scale;
  return std::max(milliseconds(0), job.options.min_delay - milliseconds(static_cast<long long>(elapsed_clock_ms)));
}

void JobScheduler::Execute(const std::shared_ptr<Job>& job) {
  {
    std::lock_guard lock(job->mutex);
    if (job->cancelled) return;
    if (job->running) {  // a RunNow raced with the timer: run once more after this run
      job->rerun = true;
      return;
    }
    job->running = true;
    job->status.running = true;
    job->status.last_run_ms = NowMs();
  }
  Run run(*job);
  std::string error;
  const auto started = std::chrono::steady_clock::now();
  try {
    if (run_hook_) {
      run_hook_([&] { job->fn(run); });
    } else {
      job->fn(run);
    }
  } catch (const std::exception& e) {
    error = e.what();
  } catch (...) {
    error = "unknown exception";
  }
  const auto took_exact = std::chrono::steady_clock::now() - started;
  const auto took = std::chrono::duration_cast<milliseconds>(took_exact);
  if (metrics_) {
    const MetricLabels labels{{"plugin", job->owner}, {"job", job->options.name}};
    metrics_->Add("tessie_job_runs_total", labels);
    if (!error.empty()) metrics_->Add("tessie_job_failures_total", labels);
    metrics_->Observe("tessie_job_duration_seconds", labels, std::chrono::duration<double>(took_exact).count());
  }

  std::unique_lock lock(job->mutex);
  job->running = false;
  job->has_run = true;
  job->last_end = std::chrono::steady_clock::now();
  auto& s = job->status;
  s.running = false;
  ++s.runs;
  s.last_duration_ms = took.count();
  s.last_error = error;
  if (!error.empty()) {
    ++s.failures;
    ++s.consecutive_failures;
  } else {
    s.consecutive_failures = 0;
  }
  const bool cancelled = job->cancelled;
  if (!cancelled && job->periodic) {
    milliseconds next = NextDelay(*job);
    if (error.empty() && run.Next()) next = *run.Next();
    if (job->rerun) next = milliseconds(0);
    job->rerun = false;
    next = std::max(next, job->options.min_delay);
    Schedule(job, next);
    if (!error.empty()) {
      log_.Write(sdk::LogLevel::kError, job->owner,
                 "job '" + job->options.name + "' failed (" + std::to_string(s.consecutive_failures) +
                     " in a row): " + error + "; retrying in " + std::to_string(next.count() / 1000) + " s");
    }
  } else if (!error.empty()) {
    log_.Write(sdk::LogLevel::kError, job->owner, "one-shot job '" + job->options.name + "' failed: " + error);
  }
  lock.unlock();
  job->idle.notify_all();
  if (!job->periodic) {
    std::lock_guard jobs_lock(mutex_);
    std::erase(jobs_, job);
  }
}

bool JobScheduler::RunNow(const std::string& owner, const std::string& name) {
  std::shared_ptr<Job> job;
  {
    std::lock_guard lock(mutex_);
    for (const auto& j : jobs_)
      if (j->owner == owner && j->options.name == name && j->periodic) job = j;
  }
  if (!job) return false;
  std::lock_guard lock(job->mutex);
  if (job->cancelled) return false;
  if (job->running) {
    job->rerun = true;
  } else if (const auto left = FloorLeft(*job); left > milliseconds(0)) {
    // Too soon after the last run: run when the floor allows (calls until then coalesce into that run). A
    // timer that already fired has its run queued.
    if (job->timer.expiry() > std::chrono::steady_clock::now()) Schedule(job, left);
  } else {
    job->timer.cancel();
    job->status.next_run_ms = NowMs();
    boost::asio::post(io_, [this, job] { Execute(job); });
  }
  return true;
}

std::size_t JobScheduler::RunAllSyncJobs() {
  std::vector<std::pair<std::string, std::string>> names;
  {
    std::lock_guard lock(mutex_);
    for (const auto& j : jobs_)
      if (j->periodic && j->options.is_sync) names.emplace_back(j->owner, j->options.name);
  }
  std::size_t n = 0;
  for (const auto& [owner, name] : names) n += RunNow(owner, name) ? 1 : 0;
  return n;
}

void JobScheduler::Cancel(const std::shared_ptr<Job>& job) {
  std::unique_lock lock(job->mutex);
  job->cancelled = true;
  job->timer.cancel();
  job->idle.wait(lock, [&] { return !job->running; });
}

void JobScheduler::RemoveOwner(const std::string& owner) {
  std::vector<std::shared_ptr<Job>> removed;
  {
    std::lock_guard lock(mutex_);
    for (const auto& j : jobs_)
      if (j->owner == owner) removed.push_back(j);
    std::erase_if(jobs_, [&](const auto& j) { return j->owner == owner; });
  }
  for (const auto& j : removed) Cancel(j);
}

std::vector<JobStatus> JobScheduler::Status() const {
  std::vector<std::shared_ptr<Job>> jobs;
  {
    std::lock_guard lock(mutex_);
    jobs = jobs_;
  }
  std::vector<JobStatus> out;
  for (const auto& j : jobs) {
    std::lock_guard lock(j->mutex);
    out.push_back(j->status);
  }
  return out;
}

void JobScheduler::Shutdown() {
  if (shut_down_.exchange(true)) return;
  std::vector<std::shared_ptr<Job>> jobs;
  {
    std::lock_guard lock(mutex_);
    jobs.swap(jobs_);
  }
  for (const auto& j : jobs) Cancel(j);
  work_.reset();
  io_.stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

}  // namespace tessie::core
