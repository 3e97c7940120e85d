#pragma once
// Shared by the live and history jobs: Fleet errors that only mean "later" end the run quietly.
#include <chrono>
#include <string>

#include "tessie/sdk/fleet.hpp"
#include "tessie/sdk/log.hpp"
#include "tessie/sdk/scheduler.hpp"

namespace tessie::powerwall {

// True when `error` only means "later" (sync_rules.hpp LaterDelay): the next run is delayed accordingly and
// a rate limit is logged naming `what`. False: the caller rethrows (the scheduler logs it and backs off).
bool EndRunIfLater(const sdk::FleetError& error, sdk::JobRun& run, std::chrono::milliseconds normal,
                   const std::string& what, sdk::Logger& log);

}  // namespace tessie::powerwall
