#include "billing.h"

#include <Poco/JSON/Array.h>

#include <cmath>

#include "time_zone.h"

namespace tessie::sim {

const char* CategoryName(Category category) {
  switch (category) {
    case Category::kData:
      return "data";
    case Category::kWakes:
      return "wakes";
    case Category::kCommands:
      return "commands";
    case Category::kNone:
      break;
  }
  return "none";
}

double PriceUsd(Category category) {
  switch (category) {
    case Category::kData:
      return 1.0 / 500;
    case Category::kWakes:
      return 1.0 / 50;
    case Category::kCommands:
      return 1.0 / 1000;
    case Category::kNone:
      break;
  }
  return 0;
}

bool Billing::Record(const std::string& vin, Category category, int status, double t_s) {
  if (category == Category::kNone || status >= 500 || status == 401) return false;
  Counts& counts = counts_[{FormatUtc(t_s).substr(0, 10), vin}];
  if (category == Category::kData) ++counts.data;
  if (category == Category::kWakes) ++counts.wakes;
  if (category == Category::kCommands) ++counts.commands;
  return true;
}

Poco::JSON::Object::Ptr Billing::ToJson() const {
  Poco::JSON::Array::Ptr days = new Poco::JSON::Array;
  Counts total;
  for (const auto& [key, counts] : counts_) {
    Poco::JSON::Object::Ptr row = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    row->set("date", key.first);
    row->set("vin", key.second);
    row->set("data", counts.data);
    row->set("wakes", counts.wakes);
    row->set("commands", counts.commands);
    row->set("cost_usd", counts.data * PriceUsd(Category::kData) + counts.wakes * PriceUsd(Category::kWakes) +
                             counts.commands * PriceUsd(Category::kCommands));
    days->add(row);
    total.data += counts.data;
    total.wakes += counts.wakes;
    total.commands += counts.commands;
  }
  Poco::JSON::Object::Ptr totals = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  totals->set("data", total.data);
  totals->set("wakes", total.wakes);
  totals->set("commands", total.commands);
  totals->set("cost_usd", total.data * PriceUsd(Category::kData) + total.wakes * PriceUsd(Category::kWakes) +
                              total.commands * PriceUsd(Category::kCommands));
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("days", days);
  out->set("totals", totals);
  return out;
}

// The rate limits' sliding window.
constexpr double kWindowS = 60;

int RateLimiter::Limit(Category category) const {
  switch (category) {
    case Category::kData:
      return limits_.data_per_min;
    case Category::kWakes:
      return limits_.wakes_per_min;
    case Category::kCommands:
      return limits_.commands_per_min;
    case Category::kNone:
      break;
  }
  return 0;
}

std::optional<int> RateLimiter::Admit(const std::string& vin, Category category, double t_s) {
  if (category == Category::kNone) return std::nullopt;
  auto& admitted = admitted_[{vin, category}];
  while (!admitted.empty() && admitted.front() <= t_s - kWindowS) admitted.pop_front();
  if (static_cast<int>(admitted.size()) >= Limit(category)) {
    return std::max(1, static_cast<int>(std::ceil(admitted.front() + kWindowS - t_s)));
  }
  admitted.push_back(t_s);
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> RateLimiter::Headers(const std::string& vin, Category category,
                                                                      double t_s) const {
  int used = 0;
  double oldest = t_s;
  if (auto it = admitted_.find({vin, category}); it != admitted_.end()) {
    for (double admitted : it->second) {
      if (admitted <= t_s - kWindowS) continue;
      oldest = std::min(oldest, admitted);
      ++used;
    }
  }
  const int limit = Limit(category);
  const int reset = used == 0 ? 0 : std::max(1, static_cast<int>(std::ceil(oldest + kWindowS - t_s)));
  return {{"RateLimit-Limit", std::to_string(limit)},
          {"RateLimit-Remaining", std::to_string(std::max(0, limit - used))},
          {"RateLimit-Reset", std::to_string(reset)}};
}

}  // namespace tessie::sim
