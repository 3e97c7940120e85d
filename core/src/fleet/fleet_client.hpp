#pragma once
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "fleet/token_store.hpp"
#include "fleet/usage_meter.hpp"
#include "logger.hpp"
#include "metrics.hpp"
#include "storage.hpp"
#include "tessie/sdk/clock.hpp"
#include "tessie/sdk/config.hpp"
#include "tessie/sdk/fleet.hpp"

namespace tessie::core::fleet {

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

// What /api/auth/status shows. Never holds a token.
struct AuthStatus {
  bool connected = false;
  bool broken = false;
  std::vector<std::string> scopes;
  std::int64_t access_expires_ms = 0;
  std::string region;
  std::string base_url;
  std::int64_t last_refresh_ms = 0;
  std::string last_error;
};

// Per vehicle or site: the last request and any hold-off in force.
struct TargetStatus {
  std::string target;
  std::int64_t last_request_ms = 0;
  int last_status = 0;
  std::string last_endpoint;
  std::string last_error;
  std::int64_t hold_until_ms = 0;    // no request before (429 Retry-After)
  std::int64_t last_success_ms = 0;  // the last 200
};

// The host's one Fleet API client (see sdk/fleet.hpp for the contract).
//  - tokens: refresh-token grant, single-flight; the rotated refresh token is stored (encrypted) before
//    the new access token is used; 401 → one refresh and one retry; login_required → broken until a new
//    token is stored;
//  - errors: 408 asleep (never wakes on its own), 429 holds that target and category until Retry-After,
//    5xx/timeouts retried with exponential backoff and jitter, 421 follows the region in the body;
//  - cost: every response counted per UTC day, target and billing category, persisted;
//  - cache: vehicle_data, live_status and site_info cached for cache_ttl, identical concurrent calls share
//    one request.
// Thread-safe.
class FleetClient final : public sdk::FleetApi {
 public:
  // `clock` is the host's (the simulator's in demo/test mode): token expiry, cache, holds and usage days
  // follow it.
  FleetClient(FleetConfig config, TokenStore& tokens, Storage& storage, LogSink& log, const sdk::Clock& clock);
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
  AuthStatus Status() const;
  // Sign in with Tesla: the authorize URL (with state and PKCE S256 challenge) and the code exchange.
  std::string BeginSignIn();
  void CompleteSignIn(const std::string& code, const std::string& state);
  bool SignInConfigured() const { return !config_.client_id.empty() && !config_.redirect_uri.empty(); }

  std::vector<DailyUsage> UsageOn(const std::string& day) const { return usage_.Day(day); }
  std::vector<TargetStatus> Targets() const;
  const FleetConfig& Config() const { return config_; }
  // Counts requests (tessie_fleet_*). Set once, before use.
  void SetMetrics(MetricsRegistry* metrics);

 private:
  struct Response {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
  };
  // One API call with every policy applied; returns the 200 body or throws sdk::FleetError.
  std::string Call(const std::string& method, const std::string& path, const std::string& target,
                   BillingCategory category, bool retry_server_errors = true);
  std::string Cached(const std::string& key, const std::function<std::string()>& fetch);
  template <class T>
  T CachedParse(const std::string& key, const char* what, T (*parse)(const std::string&),
                const std::function<std::string()>& call);
  Response Send(const std::string& method, const std::string& url, const std::string& token,
                const std::string& content_type, const std::string& body) const;
  std::string AccessToken(bool force_refresh);
  void RefreshLocked();
  void ExchangeToken(const std::string& form, bool is_refresh);
  void Record(const std::string& target, BillingCategory category, int status, const std::string& endpoint,
              const std::string& error);
  std::string BaseUrl() const;
  std::chrono::milliseconds Backoff(int attempt);

  FleetConfig config_;
  const sdk::Clock& clock_;
  TokenStore& tokens_;
  Storage& storage_;
  LogSink& log_;
  ComponentLogger logger_;
  UsageMeter usage_;
  MetricsRegistry* metrics_ = nullptr;

  mutable std::mutex mutex_;  // guards the fields below
  std::string access_token_;
  std::int64_t access_expires_ms_ = 0;
  std::string refresh_token_;
  bool has_token_ = false;
  bool broken_ = false;
  std::string base_url_override_;
  std::int64_t last_refresh_ms_ = 0;
  std::string last_error_;
  std::uint64_t token_generation_ = 0;
  std::map<std::string, std::int64_t> holds_;  // "target|category" → epoch ms
  std::map<std::string, TargetStatus> targets_;
  std::map<std::string, std::pair<std::int64_t, std::shared_future<std::string>>> cache_;  // key → (expires, body)
  std::map<std::string, std::pair<std::string, std::int64_t>> sign_ins_;  // state → (verifier, expires)
  std::mt19937_64 rng_{std::random_device{}()};

  std::mutex refresh_mutex_;  // single-flight refresh
};

}  // namespace tessie::core::fleet
