#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace tessie::core::fleet {

// Tesla's RateLimit-Remaining / RateLimit-Reset headers (also RateLimit-<kind>-Remaining/-Reset; names lower
// case): the seconds until the window resets, the longest when several are named; `only_when_exhausted` asks
// for it only when a Remaining header says 0 are left.
std::optional<int> RateLimitResetSeconds(const std::map<std::string, std::string>& headers, bool only_when_exhausted);

// How long a 429 asks us to wait: Retry-After, else the RateLimit reset, else "retry in N seconds" in the
// body, else 60 s. Never below 1 s.
int RetryAfterSeconds(const std::map<std::string, std::string>& headers, const std::string& body);

// Hold-offs per key (the client uses "target|category"): no request for that key before a time (epoch ms
// on the client's clock). Plain logic, thread-safe.
class RateHolds {
 public:
  // Holds `key` until `until_ms`, replacing an earlier hold.
  void Hold(const std::string& key, std::int64_t until_ms);
  // The whole seconds (rounded up) still to wait at `now_ms`, or nullopt when requests may go.
  std::optional<int> WaitSeconds(const std::string& key, std::int64_t now_ms) const;
  void Clear();

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::int64_t> until_ms_;
};

}  // namespace tessie::core::fleet
