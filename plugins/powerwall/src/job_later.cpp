#include "job_later.hpp"

#include "sync_rules.hpp"

namespace tessie::powerwall {

bool EndRunIfLater(const sdk::FleetError& error, sdk::JobRun& run, std::chrono::milliseconds normal,
                   const std::string& what, sdk::Logger& log) {
  const auto later = LaterDelay(error, normal);
  if (!later) return false;
  if (error.Kind() == sdk::FleetErrorKind::kRateLimited) {
    log.Info(what + ": rate limited by Tesla, next try in " + std::to_string(later->count() / 1000) + " s");
  }
  run.SetNextDelay(*later);
  return true;
}

}  // namespace tessie::powerwall
