#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "fleet/fleet_config.hpp"
#include "fleet/fleet_transport.hpp"
#include "fleet/parsed_cache.hpp"
#include "fleet/rate_holds.hpp"
#include "fleet/token_keeper.hpp"
#include "fleet/token_store.hpp"
#include "fleet/usage_recorder.hpp"
#include "logger.hpp"
#include "metrics.hpp"
#include "storage.hpp"
#include "tessie/sdk/clock.hpp"
#include "tessie/sdk/fleet.hpp"

namespace tessie::core::fleet {

// What tests may put in place of the client's parts. Production leaves both empty.
struct FleetSeams {
  std::unique_ptr<HttpTransport> transport;  // empty: PooledHttpTransport with the configured timeout
  TokenKeeper::RefreshReceivedHook on_refresh_received;
};

// The host's one Fleet API client (see sdk/fleet.hpp for the contract). It composes:
//  - PooledHttpTransport: kept-alive connections per host;
//  - TokenKeeper: refresh-token grant, single-flight; the rotated refresh token is stored (encrypted) before
//    the new access token is used; login_required → broken until a new token is stored; sign-in;
//  - RateHolds: a 429 holds that target and category until Retry-After, and so does the last request a
//    rate-limit window allows;
//  - UsageRecorder: every response counted per UTC day, target and billing category, persisted, in metrics;
//  - ParsedCache: vehicle_data, live_status and site_info kept parsed for cache_ttl, identical concurrent
//    calls sharing one request.
// and applies the call policy itself: 401 → one refresh and one retry; 408 asleep (never wakes on its own);
// 5xx/timeouts retried with exponential backoff and jitter; 421 follows the region in the body.
// Thread-safe.
class FleetClient final : public sdk::FleetApi {
 public:
  // `clock` is the host's (the simulator's in demo/test mode): token expiry, cache, holds and usage days
  // follow it. Throws SecretBoxError when the stored tokens cannot be decrypted.
  FleetClient(FleetConfig config, TokenStore& tokens, Storage& storage, LogSink& log, const sdk::Clock& clock,
              FleetSeams seams = {});
  // Now on that clock, UTC epoch ms (what usage days and holds are measured against).
  std::int64_t NowMs() const;

  // sdk::FleetApi
  bool Connected() const override;
  sdk::Products GetProducts() override;
  std::vector<sdk::VehicleSummary> ListVehicles() override;
  sdk::VehicleSummary GetVehicle(std::int64_t vehicle_tag) override;
  sdk::VehicleData GetVehicleData(std::int64_t vehicle_tag, sdk::VehicleDataScope scope) override;
  sdk::VehicleSummary WakeUp(std::int64_t vehicle_tag) override;
  sdk::LiveStatus GetLiveStatus(std::int64_t energy_site_id) override;
  sdk::SiteInfo GetSiteInfo(std::int64_t energy_site_id) override;
  sdk::EnergyHistory GetEnergyHistory(std::int64_t site, const std::string& period, const std::string& start,
                                      const std::string& end, const std::string& time_zone) override;
  std::vector<sdk::BackupEvent> GetBackupHistory(std::int64_t site, const std::string& period, const std::string& start,
                                                 const std::string& end, const std::string& time_zone) override;
  bool WithinBudget(std::int64_t vehicle_tag) const override;

  // Auth management (REST).
  void StoreRefreshToken(const std::string& refresh_token);
  // Asks /api/1/users/region where this account lives and switches the base URL when it differs (and the
  // target is trusted). Quietly keeps the current one when the call fails (e.g. no user_data scope).
  void DiscoverRegion();
  void Disconnect();
  AuthStatus Status() const { return keeper_.Status(); }
  // Sign in with Tesla: the authorize URL (with state and PKCE S256 challenge) and the code exchange.
  std::string BeginSignIn() { return keeper_.BeginSignIn(); }
  void CompleteSignIn(const std::string& code, const std::string& state);
  bool SignInConfigured() const { return keeper_.SignInConfigured(); }

  std::vector<DailyUsage> UsageOn(const std::string& day) const { return usage_.UsageOn(day); }
  std::vector<TargetStatus> Targets() const { return usage_.Targets(); }
  const FleetConfig& Config() const { return config_; }
  // Counts requests (tessie_fleet_*). Set once, before use.
  void SetMetrics(MetricsRegistry* metrics) { usage_.SetMetrics(metrics); }

 private:
  struct CallState;
  // One API call with every policy applied; returns the 200 body or throws sdk::FleetError.
  std::string Call(const std::string& method, const std::string& path, const std::string& target,
                   BillingCategory category, bool retry_server_errors = true);
  // Throws when a hold or today's budget forbids the call.
  void EnsureAllowed(const CallState& call) const;
  // Sends the call once and records the response; nullopt = no answer and another attempt is due.
  std::optional<HttpAnswer> Attempt(CallState& call);
  // Whether an error answer is worth another attempt (401 once, 421 to a new region once, 5xx after a
  // backoff); throws for an untrusted region.
  bool Retry(CallState& call, const HttpAnswer& answer);
  [[noreturn]] void Fail(const CallState& call, const HttpAnswer& answer);
  void Hold(const CallState& call, int seconds);
  void ForgetAnswers();
  std::chrono::milliseconds Backoff(int attempt);

  FleetConfig config_;
  const sdk::Clock& clock_;
  ComponentLogger logger_;
  std::unique_ptr<HttpTransport> transport_;
  TokenKeeper keeper_;
  UsageRecorder usage_;
  RateHolds holds_;
  ParsedCache<sdk::VehicleData> vehicle_data_;
  ParsedCache<sdk::LiveStatus> live_status_;
  ParsedCache<sdk::SiteInfo> site_info_;
  std::mutex rng_mutex_;  // guards rng_
  std::mt19937_64 rng_{std::random_device{}()};
};

}  // namespace tessie::core::fleet
