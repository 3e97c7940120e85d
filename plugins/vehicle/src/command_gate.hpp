#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tessie::vehicle {

// The two buttons of a car (Home Assistant over MQTT, and the REST routes).
enum class Command { kWake, kSync };
const char* ToString(Command c);

enum class CommandVerdict {
  kAccept,      // go ahead; the command is now in flight
  kBadPayload,  // not "PRESS": ignored
  kInProgress,  // one of the same kind is still in flight for this car: dropped
};

// Which button presses of one car go through (plain logic, no I/O, not thread-safe: the caller holds the
// car's lock). Only the payload "PRESS" — Home Assistant's default button payload_press — is a press; an
// empty or any other payload is not. At most one command of each kind is in flight per car: a wake from
// the press until End (the wake_up was not sent, so the owner may press again) or `window` later (a car
// needs 10–60 s to wake); a sync until End (the poll run it triggered has finished) or `window` later
// (in case that run never comes). Presses while one is in flight are dropped, never queued.
class CommandGate {
 public:
  static constexpr std::string_view kPress = "PRESS";

  explicit CommandGate(std::chrono::milliseconds window = std::chrono::seconds(60)) : window_(window) {}

  // A press with `payload` at `now_ms` (the host's clock). REST callers pass kPress.
  CommandVerdict Begin(Command command, std::string_view payload, std::int64_t now_ms);
  // The command of this kind is over (or was never sent): the next press is accepted.
  void End(Command command);
  // How long the command of this kind has been in flight, or nullopt when none is.
  std::optional<std::int64_t> InFlightMs(Command command, std::int64_t now_ms) const;

 private:
  std::optional<std::int64_t>& Since(Command command) { return command == Command::kWake ? wake_since_ : sync_since_; }
  const std::optional<std::int64_t>& Since(Command command) const {
    return command == Command::kWake ? wake_since_ : sync_since_;
  }

  std::chrono::milliseconds window_;
  std::optional<std::int64_t> wake_since_;  // epoch ms of the accepted press in flight
  std::optional<std::int64_t> sync_since_;
};

}  // namespace tessie::vehicle
