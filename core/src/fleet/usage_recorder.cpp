#include "fleet/usage_recorder.hpp"

namespace tessie::core::fleet {

namespace {
BillingCategory CategoryNamed(const std::string& name) {
  return name == "data"       ? BillingCategory::kData
         : name == "wakes"    ? BillingCategory::kWakes
         : name == "commands" ? BillingCategory::kCommands
                              : BillingCategory::kFree;
}
}  // namespace

UsageRecorder::UsageRecorder(Storage& storage, LogSink& log, std::function<std::int64_t()> now_ms)
    : storage_(storage), logger_(log, "tesla"), now_ms_(std::move(now_ms)) {
  const auto rows = storage_.Query("SELECT day, target, category, billable, free FROM fleet_api_usage WHERE day >= ?",
                                   {UtcDay(now_ms_() - 31LL * 86'400'000)});
  std::map<std::pair<std::string, std::string>, DailyUsage> loaded;
  for (const auto& row : rows.rows) {
    auto& u = loaded[{row.String(0), row.String(1)}];
    u.day = row.String(0);
    u.target = row.String(1);
    u.billable[CategoryNamed(row.String(2))] += row.Int(3);
    u.free_responses += row.Int(4);
  }
  for (const auto& [key, u] : loaded) meter_.Load(u);
}

void UsageRecorder::SetMetrics(MetricsRegistry* metrics) {
  metrics_ = metrics;
  if (!metrics_) return;
  metrics_->Describe("tessie_fleet_requests_total", MetricType::kCounter,
                     "Fleet API responses by endpoint (ids replaced by {id}), HTTP status (\"error\" = no answer) and "
                     "Tesla billing category.");
  metrics_->Describe("tessie_fleet_billable_requests_total", MetricType::kCounter,
                     "Fleet API responses Tesla bills (status below 500, except 401), by billing category.");
  metrics_->Describe("tessie_fleet_estimated_cost_usd_total", MetricType::kCounter,
                     "Estimated Fleet API cost in USD at Tesla's prices, by billing category.");
  metrics_->Describe("tessie_fleet_cost_today_usd", MetricType::kGauge,
                     "Estimated Fleet API cost of the current UTC day in USD, per vehicle or site (persisted).");
  metrics_->Describe("tessie_fleet_last_success_timestamp_seconds", MetricType::kGauge,
                     "When the Fleet API last answered 200 for a vehicle or site (host clock, epoch seconds).");
  metrics_->Describe("tessie_fleet_hold_until_timestamp_seconds", MetricType::kGauge,
                     "A 429's Retry-After: no request for the vehicle or site before this time (epoch seconds).");
  metrics_->AddCollector([this](MetricsRegistry& m) {
    m.Clear("tessie_fleet_cost_today_usd");
    for (const auto& u : meter_.Day(UtcDay(now_ms_())))
      m.Set("tessie_fleet_cost_today_usd", {{"target", u.target}}, u.CostUsd());
    m.Clear("tessie_fleet_last_success_timestamp_seconds");
    m.Clear("tessie_fleet_hold_until_timestamp_seconds");
    const auto now = now_ms_();
    for (const auto& t : Targets()) {
      if (t.last_success_ms > 0)
        m.Set("tessie_fleet_last_success_timestamp_seconds", {{"target", t.target}}, t.last_success_ms / 1000.0);
      if (t.hold_until_ms > now)
        m.Set("tessie_fleet_hold_until_timestamp_seconds", {{"target", t.target}}, t.hold_until_ms / 1000.0);
    }
  });
}

void UsageRecorder::Record(const std::string& target, BillingCategory category, int status, const std::string& endpoint,
                           const std::string& error) {
  const auto now = now_ms_();
  const auto day = UtcDay(now);
  meter_.Record(day, target, category, status);
  {
    std::lock_guard lock(mutex_);
    auto& t = targets_[target];
    t.target = target;
    t.last_request_ms = now;
    t.last_status = status;
    t.last_endpoint = endpoint;
    t.last_error = error;
    if (status == 200) t.last_success_ms = now;
  }
  // Billed as Tesla bills (UsageMeter): below 500, except 401.
  const bool billable = status > 0 && status < 500 && status != 401;
  if (metrics_) {
    metrics_->Add("tessie_fleet_requests_total", {{"endpoint", NormalizeEndpoint(endpoint)},
                                                  {"status", status > 0 ? std::to_string(status) : "error"},
                                                  {"category", ToString(category)}});
    if (billable && category != BillingCategory::kFree) {
      metrics_->Add("tessie_fleet_billable_requests_total", {{"category", ToString(category)}});
      metrics_->Add("tessie_fleet_estimated_cost_usd_total", {{"category", ToString(category)}}, PriceUsd(category));
    }
  }
  Persist(day, target, category, billable);
}

void UsageRecorder::Persist(const std::string& day, const std::string& target, BillingCategory category,
                            bool billable) {
  try {
    // Buffered like a sync job's writes while PostgreSQL is away (an increment: order does not matter).
    storage_.InTransactionBuffered("fleet", [&](sdk::Transaction& tx) {
      tx.Execute(
          "INSERT INTO fleet_api_usage (day, target, category, billable, free) VALUES (?, ?, ?, ?, ?) "
          "ON CONFLICT (day, target, category) DO UPDATE SET billable = fleet_api_usage.billable + "
          "excluded.billable, free = fleet_api_usage.free + excluded.free",
          {day, target, std::string(ToString(category)), std::int64_t{billable ? 1 : 0},
           std::int64_t{billable ? 0 : 1}});
    });
  } catch (const std::exception& e) {
    logger_.Warn(std::string("cannot persist API usage: ") + e.what());
  }
}

void UsageRecorder::NoteHold(const std::string& target, std::int64_t until_ms) {
  std::lock_guard lock(mutex_);
  targets_[target].hold_until_ms = until_ms;
}

bool UsageRecorder::Allows(const std::string& target, BillingCategory category, double budget_usd) const {
  return meter_.Allows(UtcDay(now_ms_()), target, category, budget_usd);
}

std::vector<TargetStatus> UsageRecorder::Targets() const {
  std::lock_guard lock(mutex_);
  std::vector<TargetStatus> out;
  for (const auto& [k, t] : targets_) out.push_back(t);
  return out;
}

}  // namespace tessie::core::fleet
