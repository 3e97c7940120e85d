#pragma once
// What the MQTT bridge accepts from the broker, as plain logic (no I/O) so unit tests build it directly.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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

// The command topics and their handlers. Each (owner, topic) has at most one handler: registering it again
// replaces the previous one, so one message is one call however often a plugin registers (a plugin that
// registered on every republish used to wake the car once per registration). Different owners on one topic
// each get the message. Not thread-safe: the bridge holds its lock around every call.
class CommandRegistry {
 public:
  using Handler = std::function<void(const std::string& payload)>;
  struct Target {
    std::string owner;
    std::shared_ptr<const Handler> handler;  // shared: stays valid when replaced while it runs
  };

  // Registers or replaces `owner`'s handler for `topic`. Returns true when nobody had `topic` before (the
  // bridge subscribes then).
  bool Set(const std::string& owner, const std::string& topic, Handler handler);
  // The handlers for `topic`, in registration order of their owners.
  std::vector<Target> For(const std::string& topic) const;
  // Every topic someone registered, once each.
  std::vector<std::string> Topics() const;
  // Removes `owner`'s handlers; returns the topics nobody else registered (the bridge unsubscribes them).
  std::vector<std::string> RemoveOwner(const std::string& owner);

 private:
  struct Entry {
    std::string owner;
    std::string topic;
    std::shared_ptr<const Handler> handler;
  };
  std::vector<Entry> entries_;
};

}  // namespace tessie::core
