#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace tessie::core::fleet {

// Tesla's billing categories (fleet-api.md §5.1) and prices in USD per request.
enum class BillingCategory { kData, kWakes, kCommands, kFree };
const char* ToString(BillingCategory c);
double PriceUsd(BillingCategory c);  // data 0.002, wakes 0.02, commands 0.001, free 0

// One day's requests for one target (a vehicle or an energy site). "Requests with a status code below
// 500 are counted as billable"; responses ≥ 500 are free, and so is a 401 (no valid token, nobody to bill).
struct DailyUsage {
  std::string day;     // UTC, YYYY-MM-DD
  std::string target;  // "vehicle:<id>", "site:<id>" or "account"
  std::map<BillingCategory, std::int64_t> billable;
  std::int64_t free_responses = 0;
  double CostUsd() const;
};

// Counts requests per UTC day, target and category. Thread-safe. Plain logic: persistence is the
// client's job (it loads history at start and saves each increment).
class UsageMeter {
 public:
  // Records one response; returns the usage row after the increment.
  DailyUsage Record(const std::string& day, const std::string& target, BillingCategory category, int status);
  void Load(const DailyUsage& usage);
  DailyUsage Get(const std::string& day, const std::string& target) const;
  std::vector<DailyUsage> Day(const std::string& day) const;
  // Whether one more request of `category` keeps `target` within `budget_usd` today (budget ≤ 0: no limit).
  bool Allows(const std::string& day, const std::string& target, BillingCategory category, double budget_usd) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, DailyUsage> rows_;
};

std::string UtcDay(std::int64_t epoch_ms);

}  // namespace tessie::core::fleet
