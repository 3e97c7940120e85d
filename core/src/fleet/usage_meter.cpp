#include "fleet/usage_meter.hpp"

#include <ctime>

namespace tessie::core::fleet {

const char* ToString(BillingCategory c) {
  switch (c) {
    case BillingCategory::kData:
      return "data";
    case BillingCategory::kWakes:
      return "wakes";
    case BillingCategory::kCommands:
      return "commands";
    case BillingCategory::kFree:
      return "free";
  }
  return "free";
}

double PriceUsd(BillingCategory c) {
  switch (c) {
    case BillingCategory::kData:
      return 1.0 / 500;  // 500 requests per $1
    case BillingCategory::kWakes:
      return 1.0 / 50;  // 50 per $1
    case BillingCategory::kCommands:
      return 1.0 / 1000;  // 1,000 per $1
    case BillingCategory::kFree:
      return 0;
  }
  return 0;
}

double DailyUsage::CostUsd() const {
  double cost = 0;
  for (const auto& [category, n] : billable) cost += PriceUsd(category) * static_cast<double>(n);
  return cost;
}

DailyUsage UsageMeter::Record(const std::string& day, const std::string& target, BillingCategory category, int status) {
  std::lock_guard lock(mutex_);
  auto& row = rows_[{day, target}];
  row.day = day;
  row.target = target;
  if (status >= 500 || status == 0 || status == 401) {
    ++row.free_responses;  // 5xx, no answer, and a refused token are not billed
  } else {
    ++row.billable[category];
  }
  return row;
}

void UsageMeter::Load(const DailyUsage& usage) {
  std::lock_guard lock(mutex_);
  rows_[{usage.day, usage.target}] = usage;
}

DailyUsage UsageMeter::Get(const std::string& day, const std::string& target) const {
  std::lock_guard lock(mutex_);
  auto it = rows_.find({day, target});
  if (it != rows_.end()) return it->second;
  DailyUsage empty;
  empty.day = day;
  empty.target = target;
  return empty;
}

std::vector<DailyUsage> UsageMeter::Day(const std::string& day) const {
  std::lock_guard lock(mutex_);
  std::vector<DailyUsage> out;
  for (const auto& [key, row] : rows_)
    if (key.first == day) out.push_back(row);
  return out;
}

bool UsageMeter::Allows(const std::string& day, const std::string& target, BillingCategory category,
                        double budget_usd) const {
  if (budget_usd <= 0) return true;
  return Get(day, target).CostUsd() + PriceUsd(category) <= budget_usd + 1e-9;
}

std::string UtcDay(std::int64_t epoch_ms) {
  const std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace tessie::core::fleet
