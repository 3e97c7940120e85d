#include "fleet/rate_holds.hpp"

#include <algorithm>
#include <regex>

namespace tessie::core::fleet {

namespace {
bool EndsWith(const std::string& s, const char* suffix) {
  const std::string_view tail(suffix);
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}
}  // namespace

std::optional<int> RateLimitResetSeconds(const std::map<std::string, std::string>& headers, bool only_when_exhausted) {
  bool exhausted = false;
  std::optional<int> reset;
  for (const auto& [name, value] : headers) {
    if (name.rfind("ratelimit", 0) != 0) continue;
    int n = -1;
    try {
      n = std::stoi(value);
    } catch (const std::exception&) {
      continue;
    }
    if (EndsWith(name, "remaining") && n == 0) exhausted = true;
    if (EndsWith(name, "reset") && n > 0) reset = std::max(reset.value_or(0), n);
  }
  if (only_when_exhausted && !exhausted) return std::nullopt;
  return reset;
}

int RetryAfterSeconds(const std::map<std::string, std::string>& headers, const std::string& body) {
  if (auto it = headers.find("retry-after"); it != headers.end()) {
    try {
      return std::max(1, std::stoi(it->second));
    } catch (const std::exception&) {
    }
  }
  if (auto reset = RateLimitResetSeconds(headers, false)) return *reset;
  static const std::regex in_body("[Rr]etry in ([0-9]+) seconds");
  std::smatch m;
  if (std::regex_search(body, m, in_body)) return std::max(1, std::stoi(m[1]));
  return 60;
}

void RateHolds::Hold(const std::string& key, std::int64_t until_ms) {
  std::lock_guard lock(mutex_);
  until_ms_[key] = until_ms;
}

std::optional<int> RateHolds::WaitSeconds(const std::string& key, std::int64_t now_ms) const {
  std::lock_guard lock(mutex_);
  const auto it = until_ms_.find(key);
  if (it == until_ms_.end() || it->second <= now_ms) return std::nullopt;
  return static_cast<int>((it->second - now_ms + 999) / 1000);
}

void RateHolds::Clear() {
  std::lock_guard lock(mutex_);
  until_ms_.clear();
}

}  // namespace tessie::core::fleet
