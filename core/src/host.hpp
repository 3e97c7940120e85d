#pragma once
#include <atomic>
#include <chrono>
#include <memory>

#include "auth.hpp"
#include "config.hpp"
#include "event_hub.hpp"
#include "fleet/account_progress.hpp"
#include "fleet/fleet_client.hpp"
#include "fleet/token_store.hpp"
#include "http_server.hpp"
#include "logger.hpp"
#include "metrics.hpp"
#include "mqtt_service.hpp"
#include "openapi.hpp"
#include "plugin_manager.hpp"
#include "router.hpp"
#include "scheduler.hpp"
#include "storage.hpp"

namespace tessie::core {

class HostStartError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Owns every core service and drives start-up and shutdown. Built from a validated config and plugins
// already discovered and validated (so that a bad config starts nothing).
class Host {
 public:
  Host(CoreConfig config, std::unique_ptr<PluginManager> plugins, LogSink& log);
  ~Host();
  // Opens storage, starts the scheduler, MQTT, the HTTP server and the plugins. Throws HostStartError.
  void Start();
  // Graceful: stop accepting requests, stop plugins in reverse order (finishing their running jobs),
  // stop MQTT, close storage. Idempotent.
  void Stop();
  int Port() const { return http_ ? http_->Port() : 0; }
  // Test seam (tessie-stats-seams only): run by the Fleet client between receiving a refreshed token and
  // storing it. Call before Start.
  void SetFleetRefreshHook(fleet::TokenKeeper::RefreshReceivedHook hook) { fleet_refresh_hook_ = std::move(hook); }

 private:
  void AddCoreRoutes();
  void AddHostMetrics();
  // Readiness: plugins started and storage reachable. The storage probe is cached for a second, so
  // frequent health checks cost no database round trip each.
  bool StorageReachable() const;
  sdk::HttpResponse Health(const sdk::HttpRequest& request) const;
  sdk::HttpResponse Ready() const;
  sdk::HttpResponse Plugins() const;
  sdk::HttpResponse Routes() const;
  sdk::HttpResponse OpenApi() const;
  sdk::HttpResponse Login(const sdk::HttpRequest& request);
  sdk::HttpResponse Logout(const sdk::HttpRequest& request);

  CoreConfig config_;
  std::unique_ptr<PluginManager> plugins_;
  LogSink& log_;
  ComponentLogger logger_;
  std::string password_hash_;
  std::unique_ptr<RevokedTokens> revoked_;  // before tokens_, which points to it
  std::unique_ptr<TokenIssuer> tokens_;
  LoginThrottle throttle_;
  Router router_;
  OpenApiDocument openapi_;  // before the plugins' contexts that set their parts
  MetricsRegistry metrics_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<JobScheduler> scheduler_;
  std::unique_ptr<EventHub> events_;
  std::unique_ptr<MqttService> mqtt_;
  std::unique_ptr<fleet::TokenStore> token_store_;
  std::unique_ptr<fleet::FleetClient> fleet_;
  fleet::TokenKeeper::RefreshReceivedHook fleet_refresh_hook_;
  fleet::AccountProgress progress_;  // first-run status, fed by the fleet routes and the plugins' sync events
  std::unique_ptr<HttpServer> http_;
  std::unique_ptr<sdk::Clock> clock_;
  HostServices services_;
  std::chrono::steady_clock::time_point started_at_ = std::chrono::steady_clock::now();
  std::atomic<bool> ready_{false};
  std::atomic<bool> stopping_{false};
  mutable std::mutex probe_mutex_;
  mutable std::chrono::steady_clock::time_point probed_at_{};
  mutable bool probe_ok_ = false;
};

// Where plugins live when the config does not say: <dir of the executable>/../lib/tessie-stats/plugins.
std::filesystem::path DefaultPluginDir();

}  // namespace tessie::core
