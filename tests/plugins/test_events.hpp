#pragma once
#include <cstdint>
#include <string_view>

namespace test_events {
// Published by the example plugin after each job run; the listener plugin counts them.
struct Tick {
  static constexpr std::string_view kTopic = "example.tick";
  std::int64_t n = 0;
};
}  // namespace test_events
