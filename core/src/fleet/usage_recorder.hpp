#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "fleet/usage_meter.hpp"
#include "logger.hpp"
#include "metrics.hpp"
#include "storage.hpp"

namespace tessie::core::fleet {

// Per vehicle or site: the last request and any hold-off in force.
struct TargetStatus {
  std::string target;
  std::int64_t last_request_ms = 0;
  int last_status = 0;
  std::string last_endpoint;
  std::string last_error;
  std::int64_t hold_until_ms = 0;    // no request before (429 Retry-After)
  std::int64_t last_success_ms = 0;  // the last 200
};

// What every Fleet API response costs and what it said: counts it per UTC day, target and billing category
// (UsageMeter), persists the increment (table fleet_api_usage, loaded back at start so the budget and the
// cost survive a restart), keeps each target's last request, and feeds the tessie_fleet_* metrics.
// Thread-safe.
class UsageRecorder {
 public:
  // Loads the last 31 days of usage from `storage`. `now_ms` is the client's clock (usage days follow it).
  UsageRecorder(Storage& storage, LogSink& log, std::function<std::int64_t()> now_ms);

  // One response (`status` 0: none came, `error` says why) of `endpoint` ("GET /api/1/...") for `target`.
  void Record(const std::string& target, BillingCategory category, int status, const std::string& endpoint,
              const std::string& error);
  // Shown with the target's status: no request before `until_ms`.
  void NoteHold(const std::string& target, std::int64_t until_ms);
  // Whether one more request of `category` keeps `target` within `budget_usd` today (≤ 0: no limit).
  bool Allows(const std::string& target, BillingCategory category, double budget_usd) const;
  std::vector<DailyUsage> UsageOn(const std::string& day) const { return meter_.Day(day); }
  std::vector<TargetStatus> Targets() const;
  // Describes and collects tessie_fleet_* in `metrics`. Call once, before the first Record.
  void SetMetrics(MetricsRegistry* metrics);

 private:
  void Persist(const std::string& day, const std::string& target, BillingCategory category, bool billable);

  Storage& storage_;
  ComponentLogger logger_;
  const std::function<std::int64_t()> now_ms_;
  UsageMeter meter_;
  MetricsRegistry* metrics_ = nullptr;
  mutable std::mutex mutex_;  // guards targets_
  std::map<std::string, TargetStatus> targets_;
};

}  // namespace tessie::core::fleet
