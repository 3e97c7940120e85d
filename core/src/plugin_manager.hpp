#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config.hpp"
#include "event_hub.hpp"
#include "logger.hpp"
#include "metrics.hpp"
#include "mqtt_service.hpp"
#include "openapi.hpp"
#include "plugin_loader.hpp"
#include "router.hpp"
#include "scheduler.hpp"
#include "storage.hpp"
#include "tessie/sdk/plugin.hpp"

namespace tessie::core {

enum class PluginState { kDisabled, kFailed, kLoaded, kConfigured, kRunning, kStopped };
const char* ToString(PluginState state);

// What plugins get through their context; owned by the host, outlives every plugin.
struct HostServices {
  LogSink* log = nullptr;
  Router* router = nullptr;
  JobScheduler* scheduler = nullptr;
  EventHub* events = nullptr;
  Storage* storage = nullptr;
  MqttService* mqtt = nullptr;
  const sdk::Clock* clock = nullptr;
  sdk::FleetApi* fleet = nullptr;
  std::filesystem::path data_dir;
  OpenApiDocument* openapi = nullptr;  // receives each plugin's sdk::events::OpenApiPart; may be null
  MetricsRegistry* metrics = nullptr;  // where the plugins' sdk::Metrics go; may be null (no-op)
};

struct PluginStatus {
  std::string name;
  std::string version;
  std::string description;
  std::string file;
  PluginState state = PluginState::kLoaded;
  std::string error;
  bool required = false;
  std::vector<std::string> depends_on;
};

// Loads, checks, orders, configures, starts and stops plugins; revokes every registration of a plugin
// when it stops or fails. Lifecycle calls come from one thread (the host's main thread); Status() may be
// called from any thread.
class PluginManager {
 public:
  explicit PluginManager(LogSink& log);
  ~PluginManager();

  // Loads every lib*.so in `dir` (sorted by name) that the config does not disable, checks it and creates
  // the plugin. Failures are recorded per plugin. Throws ConfigFileError when the config names a plugin
  // that is not in `dir`, or when `dir` does not exist.
  void Discover(const std::filesystem::path& dir, const ConfigDocument& config);
  // Validates plugins.<name> of every loaded plugin against its schema. Throws ConfigFileError.
  void ValidateConfigs(const ConfigDocument& config);
  // Loaded plugins that StartAll would disable because a plugin they depend on is not installed, disabled or
  // failed to load: one line each, "plugins.<name>: ...". For --check-config; changes nothing.
  std::vector<std::string> DependencyProblems() const;
  // Configures and starts plugins in dependency order. A failing plugin is disabled with its reason;
  // returns the names of failed plugins marked `required: true` (the host must not run without them).
  std::vector<std::string> StartAll(const HostServices& services);
  // Stops running plugins in reverse start order and destroys them. Idempotent.
  void StopAll();
  std::vector<PluginStatus> Status() const;
  // Only the state of each plugin, in load order: cheap enough for every /api/health.
  std::vector<PluginState> States() const;

 private:
  struct Record;
  class Context;
  void Fail(Record& record, const std::string& stage, const std::string& reason);
  void Revoke(Record& record);

  LogSink& log_;
  std::vector<std::unique_ptr<Record>> records_;
  std::vector<Record*> start_order_;
  mutable std::mutex status_mutex_;
};

}  // namespace tessie::core
