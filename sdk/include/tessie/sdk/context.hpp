#pragma once
#include <filesystem>
#include <string>

#include "tessie/sdk/clock.hpp"
#include "tessie/sdk/config.hpp"
#include "tessie/sdk/events.hpp"
#include "tessie/sdk/fleet.hpp"
#include "tessie/sdk/http.hpp"
#include "tessie/sdk/log.hpp"
#include "tessie/sdk/metrics.hpp"
#include "tessie/sdk/mqtt.hpp"
#include "tessie/sdk/scheduler.hpp"
#include "tessie/sdk/storage.hpp"
#include "tessie/sdk/version.hpp"

namespace tessie::sdk {
inline namespace v1 {

// Everything a plugin may use, scoped to that plugin. Owned by the host; valid from Configure until after
// Stop. The host records every registration made through it and revokes them all when the plugin stops.
// Accessors are thread-safe.
class TESSIE_SDK_API Context {
 public:
  virtual ~Context() = default;
  virtual const std::string& PluginName() const = 0;
  virtual const ConfigSection& Config() const = 0;
  virtual Logger& Log() = 0;
  virtual const Clock& Time() const = 0;
  virtual HttpRoutes& Http() = 0;
  virtual Scheduler& Jobs() = 0;
  virtual EventBus& Events() = 0;
  virtual Database& Db() = 0;
  virtual MqttBridge& Mqtt() = 0;
  // The host's Tesla Fleet API client (shared by all plugins; tokens, limits and cost are the host's).
  virtual FleetApi& Tesla() = 0;
  // A directory of this plugin's own under the host's data_dir, created on first use.
  virtual std::filesystem::path DataDir() = 0;
  // This plugin's metrics on GET /metrics; its families are removed when it stops.
  virtual sdk::Metrics& Metrics() = 0;
};

}  // namespace v1
}  // namespace tessie::sdk
