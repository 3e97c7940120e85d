#pragma once
#include <chrono>

#include "tessie/sdk/version.hpp"

namespace tessie::sdk {
inline namespace v1 {

// Wall-clock time in UTC. Thread-safe. Plugins take time from here so tests can substitute it.
class TESSIE_SDK_API Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
};

inline std::int64_t ToEpochMs(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace v1
}  // namespace tessie::sdk
