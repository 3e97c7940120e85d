#pragma once
#include <chrono>
#include <string>

#include "tessie/sdk/config.hpp"

namespace tessie::core::fleet {

// The tesla.* config section (docs/configuration.md).
struct FleetConfig {
  std::string base_url;
  std::string auth_url;       // token endpoint
  std::string authorize_url;  // browser sign-in page
  std::string client_id;
  std::string client_secret;
  std::string redirect_uri;
  std::string region;
  std::string scopes;
  std::chrono::milliseconds cache_ttl{std::chrono::seconds(60)};
  std::chrono::milliseconds timeout{std::chrono::seconds(15)};
  double daily_budget_usd = 0.10;  // per vehicle and UTC day; ≤ 0 = no limit
  int max_attempts = 3;            // for 5xx and timeouts on reads
  std::chrono::milliseconds backoff_base{std::chrono::milliseconds(500)};

  static FleetConfig From(const sdk::ConfigSection& tesla);
};

}  // namespace tessie::core::fleet
