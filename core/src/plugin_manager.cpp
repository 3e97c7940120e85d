#include "plugin_manager.hpp"

#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "tessie/sdk/events/openapi.hpp"

namespace tessie::core {

const char* ToString(PluginState state) {
  switch (state) {
    case PluginState::kDisabled:
      return "disabled";
    case PluginState::kFailed:
      return "failed";
    case PluginState::kLoaded:
      return "loaded";
    case PluginState::kConfigured:
      return "configured";
    case PluginState::kRunning:
      return "running";
    case PluginState::kStopped:
      return "stopped";
  }
  return "unknown";
}

struct PluginManager::Record {
  std::string name;
  std::filesystem::path path;
  std::optional<PluginLibrary> library;
  sdk::Plugin* plugin = nullptr;  // created and destroyed by the library
  sdk::PluginInfo info;
  sdk::ConfigSection config;
  bool required = false;
  std::unique_ptr<PluginManager::Context> context;
  PluginStatus status;
};

// The per-plugin sdk::Context: every registration is tagged with the plugin's name so that Revoke can
// remove all of them.
class PluginManager::Context final : public sdk::Context,
                                     sdk::HttpRoutes,
                                     sdk::Scheduler,
                                     sdk::EventBus,
                                     sdk::MqttBridge {
 public:
  Context(const HostServices& services, std::string name, sdk::ConfigSection config)
      : services_(services),
        name_(std::move(name)),
        config_(std::move(config)),
        logger_(*services.log, name_),
        db_(*services.storage, name_),
        metrics_(services.metrics, name_) {}

  // sdk::Context
  const std::string& PluginName() const override { return name_; }
  const sdk::ConfigSection& Config() const override { return config_; }
  sdk::Logger& Log() override { return logger_; }
  const sdk::Clock& Time() const override { return *services_.clock; }
  sdk::HttpRoutes& Http() override { return *this; }
  sdk::Scheduler& Jobs() override { return *this; }
  sdk::EventBus& Events() override { return *this; }
  sdk::Database& Db() override { return db_; }
  sdk::MqttBridge& Mqtt() override { return *this; }
  sdk::FleetApi& Tesla() override { return *services_.fleet; }
  std::filesystem::path DataDir() override {
    auto dir = services_.data_dir / "plugins" / name_;
    std::filesystem::create_directories(dir);
    return dir;
  }
  sdk::Metrics& Metrics() override { return metrics_; }

  // sdk::HttpRoutes
  void Add(const std::string& method, const std::string& path, sdk::HttpHandler handler,
           sdk::RouteOptions options) override {
    services_.router->Add(Route{method, path, name_, std::move(handler), std::move(options)});
  }

  // sdk::Scheduler
  void Every(const sdk::JobOptions& options, sdk::JobFunction job) override {
    services_.scheduler->AddPeriodic(name_, options, std::move(job));
  }
  void Once(const std::string& name, std::chrono::milliseconds delay, std::function<void()> job) override {
    services_.scheduler->AddOnce(name_, name, delay, std::move(job));
  }
  bool RunNow(const std::string& name) override { return services_.scheduler->RunNow(name_, name); }

  // sdk::EventBus
  void PublishRaw(std::string_view topic, const void* event) override {
    if (topic == sdk::events::OpenApiPart::kTopic) {  // for the host only: kept until the plugin stops
      if (!services_.openapi) return;
      const auto refused = services_.openapi->SetPart(name_, static_cast<const sdk::events::OpenApiPart*>(event)->yaml);
      if (!refused.empty()) logger_.Error(refused + "; GET /api/openapi.json lists its routes without details");
      return;
    }
    services_.events->Publish(name_, topic, event);
  }
  void SubscribeRaw(std::string_view topic, std::function<void(const void*)> handler) override {
    services_.events->Subscribe(name_, topic, std::move(handler));
  }

  // sdk::MqttBridge
  bool Enabled() const override { return services_.mqtt->Enabled(); }
  std::string BaseTopic() const override { return services_.mqtt->BaseTopic(); }
  std::string AvailabilityTopic() const override { return services_.mqtt->AvailabilityTopic(); }
  void Publish(const std::string& topic, const std::string& payload, bool retain) override {
    services_.mqtt->Publish(services_.mqtt->Topic(topic), payload, retain);
  }
  void PublishDiscovery(const std::string& device_id, const Poco::JSON::Object& config) override {
    std::ostringstream out;
    config.stringify(out);
    services_.mqtt->Publish(DiscoveryTopic(device_id), out.str(), true);
  }
  void RemoveDiscovery(const std::string& device_id) override {
    services_.mqtt->Publish(DiscoveryTopic(device_id), "", true);
  }
  void OnCommand(const std::string& topic, std::function<void(const std::string&)> handler) override {
    services_.mqtt->OnCommand(name_, services_.mqtt->Topic(topic), std::move(handler));
  }
  void OnRepublish(std::function<void()> handler) override { services_.mqtt->OnRepublish(name_, std::move(handler)); }
  std::string Topic(const std::string& relative) const override { return services_.mqtt->Topic(relative); }

  void Revoke() {
    services_.router->RemoveOwner(name_);
    services_.scheduler->RemoveOwner(name_);
    services_.events->RemoveOwner(name_);
    services_.mqtt->RemoveOwner(name_);
    if (services_.openapi) services_.openapi->RemovePart(name_);
    metrics_.Revoke();
  }

 private:
  std::string DiscoveryTopic(const std::string& device_id) const {
    return services_.mqtt->DiscoveryPrefix() + "/device/" + device_id + "/config";
  }

  const HostServices& services_;
  std::string name_;
  sdk::ConfigSection config_;
  ComponentLogger logger_;
  PluginDatabase db_;
  PluginMetrics metrics_;
};

PluginManager::PluginManager(LogSink& log) : log_(log) {}

PluginManager::~PluginManager() { StopAll(); }

void PluginManager::Discover(const std::filesystem::path& dir, const ConfigDocument& config) {
  if (!std::filesystem::is_directory(dir)) {
    throw ConfigFileError(config.FileName() + ": plugin_dir: " + dir.string() + " is not a directory");
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const auto file = entry.path().filename().string();
    if (entry.is_regular_file() && file.rfind("lib", 0) == 0 && entry.path().extension() == ".so")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());

  std::set<std::string> found;
  for (const auto& path : files) {
    auto record = std::make_unique<Record>();
    const auto stem = path.stem().string();
    record->name = stem.substr(3);
    record->path = path;
    found.insert(record->name);
    auto& st = record->status;
    st.name = record->name;
    st.file = path.string();

    const YAML::Node section = config.PluginSection(record->name);
    bool enabled = true;
    if (section && section.IsMap()) {
      for (const char* key : {"enabled", "required"}) {
        const auto node = section[key];
        bool value = false;
        if (node && (!node.IsScalar() || !YAML::convert<bool>::decode(node, value))) {
          throw ConfigFileError(config.Where(node) + ": plugins." + record->name + "." + key +
                                ": expected true or false");
        }
        if (node && std::string(key) == "enabled") enabled = value;
        if (node && std::string(key) == "required") record->required = value;
      }
    }
    st.required = record->required;
    if (!enabled) {
      st.state = PluginState::kDisabled;
      st.error = "disabled in the config (plugins." + record->name + ".enabled: false)";
      log_.Write(sdk::LogLevel::kInfo, "plugins", record->name + ": " + st.error);
      records_.push_back(std::move(record));
      continue;
    }
    try {
      record->library = LoadPluginLibrary(path);
      record->plugin = record->library->create();
      if (!record->plugin) throw PluginLoadError("create returned no plugin");
      record->info = record->plugin->Info();
      if (record->info.name != record->name) {
        throw PluginLoadError("calls itself '" + record->info.name + "' but its file is " + path.filename().string() +
                              "; the name and the file must match");
      }
      st.version = record->info.version;
      st.description = record->info.description;
      st.depends_on = record->info.depends_on;
      st.state = PluginState::kLoaded;
    } catch (const std::exception& e) {
      Fail(*record, "load", e.what());
    } catch (...) {
      Fail(*record, "load", "unknown exception");
    }
    records_.push_back(std::move(record));
  }

  for (const auto& name : config.PluginNames()) {
    if (!found.count(name)) {
      throw ConfigFileError(config.Where(config.Root()["plugins"][name]) + ": plugins." + name + ": no plugin named '" +
                            name + "' in " + dir.string());
    }
  }
}

void PluginManager::ValidateConfigs(const ConfigDocument& config) {
  for (auto& record : records_) {
    if (record->status.state != PluginState::kLoaded) continue;
    record->config = config.Validate(config.PluginSection(record->name), record->info.config, "plugins." + record->name,
                                     {"enabled", "required"});
    // Before the plugin can log anything: a secret field's value never reaches a log line, whoever writes it.
    for (const auto& secret : SecretValues(record->config, record->info.config)) log_.AddSecret(secret);
  }
}

std::vector<std::string> PluginManager::DependencyProblems() const {
  std::map<std::string, const Record*> by_name;
  for (const auto& r : records_) by_name[r->name] = r.get();
  std::vector<std::string> problems;
  for (const auto& r : records_) {
    if (r->status.state != PluginState::kLoaded) continue;
    for (const auto& dep : r->info.depends_on) {
      auto it = by_name.find(dep);
      std::string why;
      if (it == by_name.end()) {
        why = "which is not installed";
      } else if (it->second->status.state == PluginState::kDisabled) {
        why = "which is disabled (plugins." + dep + ".enabled: false)";
      } else if (it->second->status.state != PluginState::kLoaded) {
        why = "which is " + std::string(ToString(it->second->status.state));
      }
      if (why.empty()) continue;
      problems.push_back("plugins." + r->name + ": depends on plugin '" + dep + "', " + why + "; " +
                         (r->required ? "the host will not start (it is required)"
                                      : "it will not run (enable " + dep + " or disable " + r->name + ")"));
    }
  }
  return problems;
}

void PluginManager::Fail(Record& record, const std::string& stage, const std::string& reason) {
  {
    std::lock_guard lock(status_mutex_);
    record.status.state = PluginState::kFailed;
    record.status.error = stage + " failed: " + reason;
  }
  log_.Write(sdk::LogLevel::kError, "plugins",
             "plugin '" + record.name + "' disabled: " + stage + " failed: " + reason +
                 (record.required ? " (it is required)" : "; the host keeps running without it"));
  Revoke(record);
  if (record.plugin && record.library) {
    try {
      record.library->destroy(record.plugin);
    } catch (...) {
      log_.Write(sdk::LogLevel::kError, "plugins", "plugin '" + record.name + "' threw while being destroyed");
    }
    record.plugin = nullptr;
  }
}

void PluginManager::Revoke(Record& record) {
  if (record.context) record.context->Revoke();
}

std::vector<std::string> PluginManager::StartAll(const HostServices& services) {
  std::map<std::string, Record*> by_name;
  for (auto& r : records_) by_name[r->name] = r.get();

  // Depth-first topological order; a cycle or a missing/failed dependency disables the dependant.
  std::vector<Record*> order;
  std::map<std::string, int> mark;  // 1 = visiting, 2 = done
  std::function<bool(Record*, std::vector<std::string>&)> visit = [&](Record* r,
                                                                      std::vector<std::string>& path) -> bool {
    if (mark[r->name] == 2) return r->status.state == PluginState::kLoaded;
    if (mark[r->name] == 1) {
      std::string cycle;
      for (const auto& p : path) cycle += p + " -> ";
      Fail(*r, "dependency check", "dependency cycle " + cycle + r->name);
      return false;
    }
    mark[r->name] = 1;
    path.push_back(r->name);
    bool ok = r->status.state == PluginState::kLoaded;
    if (ok) {
      for (const auto& dep : r->info.depends_on) {
        auto it = by_name.find(dep);
        if (it == by_name.end()) {
          Fail(*r, "dependency check", "it depends on plugin '" + dep + "', which is not installed");
          ok = false;
          break;
        }
        if (!visit(it->second, path)) {
          if (r->status.state == PluginState::kLoaded)
            Fail(*r, "dependency check",
                 "it depends on plugin '" + dep + "', which is " + ToString(it->second->status.state));
          ok = false;
          break;
        }
      }
    }
    path.pop_back();
    mark[r->name] = 2;
    if (ok) order.push_back(r);
    return ok;
  };
  for (auto& r : records_) {
    std::vector<std::string> path;
    if (!mark[r->name]) visit(r.get(), path);
  }

  for (Record* r : order) {
    // A dependency may have failed to start after this one was ordered.
    bool deps_running = true;
    for (const auto& dep : r->info.depends_on) {
      if (by_name[dep]->status.state != PluginState::kRunning) {
        Fail(*r, "dependency check",
             "it depends on plugin '" + dep + "', which is " + ToString(by_name[dep]->status.state));
        deps_running = false;
        break;
      }
    }
    if (!deps_running) continue;
    r->context = std::make_unique<Context>(services, r->name, r->config);
    std::string stage = "configure";
    try {
      r->plugin->Configure(*r->context);
      {
        std::lock_guard lock(status_mutex_);
        r->status.state = PluginState::kConfigured;
      }
      stage = "start";
      r->plugin->Start(*r->context);
      {
        std::lock_guard lock(status_mutex_);
        r->status.state = PluginState::kRunning;
      }
      start_order_.push_back(r);
      log_.Write(sdk::LogLevel::kInfo, "plugins", "started " + r->name + " " + r->info.version);
    } catch (const std::exception& e) {
      if (stage == "start") {
        try {
          r->plugin->Stop();
        } catch (...) {
        }
      }
      Fail(*r, stage, e.what());
    } catch (...) {
      Fail(*r, stage, "unknown exception");
    }
  }

  std::vector<std::string> missing_required;
  for (auto& r : records_)
    if (r->required && r->status.state != PluginState::kRunning) missing_required.push_back(r->name);
  return missing_required;
}

void PluginManager::StopAll() {
  for (auto it = start_order_.rbegin(); it != start_order_.rend(); ++it) {
    Record& r = **it;
    try {
      r.plugin->Stop();
    } catch (const std::exception& e) {
      log_.Write(sdk::LogLevel::kError, "plugins", "plugin '" + r.name + "' threw in Stop: " + e.what());
    } catch (...) {
      log_.Write(sdk::LogLevel::kError, "plugins", "plugin '" + r.name + "' threw in Stop");
    }
    Revoke(r);  // even when Stop threw
    {
      std::lock_guard lock(status_mutex_);
      r.status.state = PluginState::kStopped;
    }
    log_.Write(sdk::LogLevel::kInfo, "plugins", "stopped " + r.name);
  }
  start_order_.clear();
  for (auto& r : records_) {
    if (r->plugin && r->library) {
      try {
        r->library->destroy(r->plugin);
      } catch (...) {
      }
      r->plugin = nullptr;
    }
    r->context.reset();
  }
  // Libraries stay loaded: records_ (and their shared_library objects) live until the manager is destroyed
  // at process exit.
}

std::vector<PluginState> PluginManager::States() const {
  std::lock_guard lock(status_mutex_);
  std::vector<PluginState> out;
  out.reserve(records_.size());
  for (const auto& r : records_) out.push_back(r->status.state);
  return out;
}

std::vector<PluginStatus> PluginManager::Status() const {
  std::lock_guard lock(status_mutex_);
  std::vector<PluginStatus> out;
  for (const auto& r : records_) out.push_back(r->status);
  return out;
}

}  // namespace tessie::core
