#pragma once
// What the MQTT bridge accepts from the broker, as plain logic (no I/O) so unit tests build it directly.
#include <chrono>
#include <cstddef>
#include <optional>

namespace tessie::core {

// The largest payload the bridge accepts on any topic it subscribes to (command topics, whose payload is
// "PRESS", and Home Assistant's status topic, "online"/"offline"). Anything larger is dropped and logged
// before it is looked at.
inline constexpr std::size_t kMaxInboundPayloadBytes = 256;

// Home Assistant births (and reconnects) ask for a full republish of discovery and state; a flood of them
// must not become a flood of republishes. At most one republish starts per `quiet` period: a request when
// none ran during the last `quiet` runs at once; a request during the quiet period schedules exactly one
// trailing republish at its end, and further requests until then join that one.
// Not thread-safe: the bridge holds its lock around every call.
class RepublishCoalescer {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RepublishCoalescer(std::chrono::milliseconds quiet) : quiet_(quiet) {}

  // A republish is wanted at `now`. Returns true when this request scheduled one (false when it joined
  // the pending one).
  bool Request(Clock::time_point now);
  // When the pending republish is due, or nullopt when none is pending.
  std::optional<Clock::time_point> Due() const { return due_; }
  // The pending republish starts at `now`.
  void Started(Clock::time_point now);

 private:
  std::chrono::milliseconds quiet_;
  std::optional<Clock::time_point> last_start_;
  std::optional<Clock::time_point> due_;
};

}  // namespace tessie::core
