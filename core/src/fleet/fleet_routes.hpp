#pragma once
#include "fleet/fleet_client.hpp"
#include "router.hpp"
#include "scheduler.hpp"

namespace tessie::core::fleet {

// /api/auth/token, /api/auth/status, /api/auth/tesla/{login,callback}, /api/sync/{trigger,status}.
// `client` and `scheduler` outlive the routes (the host removes them before destroying either).
void AddFleetRoutes(Router& router, FleetClient& client, JobScheduler& scheduler);

}  // namespace tessie::core::fleet
