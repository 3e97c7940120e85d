#pragma once
#include "fleet/account_progress.hpp"
#include "fleet/fleet_client.hpp"
#include "logger.hpp"
#include "router.hpp"
#include "scheduler.hpp"

namespace tessie::core::fleet {

// /api/auth/token, /api/auth/status, /api/auth/tesla/{login,callback}, /api/sync/{trigger,status}.
// Storing a token (POST /api/auth/token, the Sign in with Tesla callback) runs every sync job at once, so
// discovery does not wait for its interval; /api/sync/status reports `progress` from `progress`.
// `client`, `scheduler`, `progress` and `log` outlive the routes (the host removes them before destroying any).
void AddFleetRoutes(Router& router, FleetClient& client, JobScheduler& scheduler, AccountProgress& progress,
                    LogSink& log);

}  // namespace tessie::core::fleet
