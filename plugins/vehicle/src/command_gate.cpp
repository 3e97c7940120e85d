#include "command_gate.hpp"

namespace tessie::vehicle {

const char* ToString(Command c) { return c == Command::kWake ? "wake" : "sync"; }

CommandVerdict CommandGate::Begin(Command command, std::string_view payload, std::int64_t now_ms) {
  if (payload != kPress) return CommandVerdict::kBadPayload;
  if (InFlightMs(command, now_ms)) return CommandVerdict::kInProgress;
  Since(command) = now_ms;
  return CommandVerdict::kAccept;
}

void CommandGate::End(Command command) { Since(command).reset(); }

std::optional<std::int64_t> CommandGate::InFlightMs(Command command, std::int64_t now_ms) const {
  const auto& since = Since(command);
  if (!since) return std::nullopt;
  const std::int64_t elapsed = now_ms - *since;
  // A clock that went back (the simulator was reset) ends it too.
  if (elapsed < 0 || elapsed >= window_.count()) return std::nullopt;
  return elapsed;
}

}  // namespace tessie::vehicle
