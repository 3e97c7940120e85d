#pragma once
// One run of one car's poll job, decided here and free of storage and MQTT: which Fleet API call the car's
// policy asks for, how the answer or the error feeds the policy, and what the plugin must record.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "polling_policy.hpp"
#include "tessie/sdk/fleet.hpp"
#include "tessie/sdk/log.hpp"
#include "tracked_cars.hpp"

namespace tessie::vehicle {

// What a run learned. The plugin records `state` (a state check, or a 408 as "asleep") or `data` (a sample) and
// runs the job again after `next_delay`.
struct PollOutcome {
  std::optional<std::string> state;
  std::optional<sdk::VehicleData> data;
  std::chrono::milliseconds next_delay{0};
};

// What the policy hears of a sample: driving (shift not P), charging (Charging or Starting), on a DC charger,
// someone in the car, the time to full.
PollingPolicy::DataSeen SeenIn(const sdk::VehicleData& data);

// Runs one step for `car` at `now_ms` through `api` (never concurrently for the same car: its job runs it).
// A Fleet API error is turned into the policy's answer: 408 → asleep, the budget spent meanwhile → a state
// check's cadence, 429 → wait Retry-After, not connected → 5 minutes. Any other error is rethrown (the
// scheduler logs it and retries with backoff). The first run that finds today's budget spent warns on `log`,
// once until data arrives again.
PollOutcome RunPoll(sdk::FleetApi& api, sdk::Logger& log, TrackedCar& car, std::int64_t now_ms);

}  // namespace tessie::vehicle
