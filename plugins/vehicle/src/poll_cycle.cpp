#include "poll_cycle.hpp"

#include <algorithm>
#include <utility>

namespace tessie::vehicle {

using std::chrono::milliseconds;

PollingPolicy::DataSeen SeenIn(const sdk::VehicleData& data) {
  return {.driving = data.shift_state && *data.shift_state != "P",
          .charging = data.charging_state && (*data.charging_state == "Charging" || *data.charging_state == "Starting"),
          .fast_charging = data.fast_charger_present.value_or(false),
          .user_present = data.is_user_present.value_or(false),
          .time_to_full_h = data.time_to_full_charge_h};
}

PollOutcome RunPoll(sdk::FleetApi& api, sdk::Logger& log, TrackedCar& car, std::int64_t now_ms) {
  PollOutcome out;
  const std::int64_t id = car.Identity().id;
  if (!api.Connected()) {
    out.next_delay = std::chrono::minutes(5);
    return out;
  }
  // The policy is only touched under the car's lock; the Fleet API is called without it.
  auto locked = [&car](auto f) {
    std::lock_guard lock(car.m);
    return f(car.policy);
  };
  try {
    if (locked([&](PollingPolicy& p) { return p.Next(now_ms); }) == PollAction::kCheckState) {
      const auto summary = api.GetVehicle(id);
      locked([&](PollingPolicy& p) { p.OnState(summary.state, now_ms); });
      out.state = summary.state;
    } else if (!api.WithinBudget(id)) {
      // Today's budget is spent: a state check instead, at the policy's state-check cadence (the policy must
      // hear of it, or it asks for data again at once), and tell the owner once.
      if (!std::exchange(car.budget_warned, true)) {
        std::lock_guard lock(car.m);
        log.Warn(car.identity.vin + ": daily Fleet API budget spent; only state checks until tomorrow");
      }
      const auto summary = api.GetVehicle(id);
      locked([&](PollingPolicy& p) { p.OnBudgetSpent(summary.state, now_ms); });
      out.state = summary.state;
    } else {
      auto data = api.GetVehicleData(id);
      {
        std::lock_guard lock(car.m);
        car.budget_warned = false;
        car.policy.OnData(SeenIn(data), now_ms);
      }
      out.data = std::move(data);
    }
  } catch (const sdk::FleetError& e) {
    switch (e.Kind()) {
      case sdk::FleetErrorKind::kAsleep:
        locked([&](PollingPolicy& p) { p.OnAsleep(now_ms); });
        out.state = "asleep";
        break;
      case sdk::FleetErrorKind::kBudget: {  // spent between WithinBudget and the request
        std::lock_guard lock(car.m);
        car.policy.OnBudgetSpent(car.state, now_ms);
        break;
      }
      case sdk::FleetErrorKind::kRateLimited:
        out.next_delay = milliseconds(std::max(1, e.RetryAfterSeconds()) * 1000LL);
        return out;
      case sdk::FleetErrorKind::kNotConnected:
        out.next_delay = std::chrono::minutes(5);
        return out;
      default:
        throw;
    }
  }
  out.next_delay = locked([](PollingPolicy& p) { return p.Delay(); });
  return out;
}

}  // namespace tessie::vehicle
