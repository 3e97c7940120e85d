#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace tessie::sim {

// Tesla's Fleet API pricing categories. kNone: not billed (energy, user, vehicle list/summary, auth).
enum class Category { kNone, kData, kWakes, kCommands };

const char* CategoryName(Category category);
double PriceUsd(Category category);

// Billable usage per UTC day and vehicle, counted the way Tesla bills: every request of a priced category
// whose status is below 500 (so 408 and 429 cost money), except 401 (no authenticated application to bill).
// Not thread-safe: the owner serialises calls.
class Billing {
 public:
  // Returns whether the request was billable.
  bool Record(const std::string& vin, Category category, int status, double t_s);
  Poco::JSON::Object::Ptr ToJson() const;
  void Reset() { counts_.clear(); }

 private:
  struct Counts {
    std::int64_t data = 0;
    std::int64_t wakes = 0;
    std::int64_t commands = 0;
  };
  std::map<std::pair<std::string, std::string>, Counts> counts_;  // (UTC date, VIN)
};

struct RateLimits {
  int data_per_min = 60;
  int commands_per_min = 30;
  int wakes_per_min = 3;
};

// Per-vehicle, per-category sliding one-minute windows in simulated time, as Tesla's per-device limits.
// Not thread-safe: the owner serialises calls.
class RateLimiter {
 public:
  explicit RateLimiter(RateLimits limits) : limits_(limits) {}
  // Admits the request (and counts it) or returns the Retry-After seconds.
  std::optional<int> Admit(const std::string& vin, Category category, double t_s);
  // The window after the requests admitted so far, as RateLimit-Limit/-Remaining/-Reset headers say it
  // (Reset: seconds until the oldest request leaves the minute, so one more is allowed).
  std::vector<std::pair<std::string, std::string>> Headers(const std::string& vin, Category category, double t_s) const;
  int Limit(Category category) const;
  void Reset() { admitted_.clear(); }

 private:
  RateLimits limits_;
  std::map<std::pair<std::string, Category>, std::deque<double>> admitted_;
};

}  // namespace tessie::sim
