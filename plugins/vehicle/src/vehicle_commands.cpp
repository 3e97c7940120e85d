#include "vehicle_commands.hpp"

#include "tessie/sdk/plugin.hpp"

namespace tessie::vehicle {

std::shared_ptr<TrackedCar> VehicleCommands::Tracked(std::int64_t id) {
  auto car = cars_.Find(id);
  if (!car) throw sdk::HttpError::NotFound("vehicle " + std::to_string(id) + " is not tracked");
  return car;
}

Outcome VehicleCommands::Wake(std::int64_t id, const std::string& payload) {
  auto t = Tracked(id);
  if (auto ignored = t->Press(Command::kWake, payload, sdk::ToEpochMs(ctx_.Time().Now()))) return *ignored;
  sdk::VehicleSummary summary;
  try {
    summary = ctx_.Tesla().WakeUp(id);
  } catch (...) {
    t->EndCommand(Command::kWake);
    throw;
  }
  // Look again once it had time to connect (10-60 s).
  std::lock_guard lock(t->m);
  t->policy.RequestData();
  ctx_.Jobs().Once("after-wake-" + t->identity.vin, std::chrono::seconds(20),
                   [this, job = t->job] { ctx_.Jobs().RunNow(job); });
  return {t->identity.vin, true, false, summary.state,
          "accepted: wake_up sent (the car answered " + summary.state + ")"};
}

Outcome VehicleCommands::Sync(std::int64_t id, const std::string& payload) {
  auto t = Tracked(id);
  if (auto ignored = t->Press(Command::kSync, payload, sdk::ToEpochMs(ctx_.Time().Now()))) return *ignored;
  {
    std::lock_guard lock(t->m);
    t->policy.RequestData();
  }
  if (!ctx_.Jobs().RunNow(t->job)) {
    std::lock_guard lock(t->m);
    t->commands.End(Command::kSync);
    return {t->identity.vin, false, false, t->state, "ignored: the car has no poll job"};
  }
  std::lock_guard lock(t->m);
  return {t->identity.vin, true, false, t->state, "accepted: polling now"};
}

}  // namespace tessie::vehicle
