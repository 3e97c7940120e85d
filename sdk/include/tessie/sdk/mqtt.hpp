#pragma once
#include <Poco/JSON/Object.h>

#include <functional>
#include <string>

#include "tessie/sdk/version.hpp"

namespace tessie::sdk {
inline namespace v1 {

// A plugin's view of the MQTT bridge (Home Assistant). Topics are relative to the configured base topic
// (default "tessie"): Publish("vehicles/5YJ.../state", ...) goes to "tessie/vehicles/5YJ.../state". The host
// adds the base in one place (Topic below), so a plugin never builds or strips "<base>/" itself.
// All calls are thread-safe and never block on the network: messages are queued while disconnected and
// the latest retained state of each topic is re-sent after a reconnect. When MQTT is not configured,
// Enabled() is false and every call is a no-op.
class TESSIE_SDK_API MqttBridge {
 public:
  virtual ~MqttBridge() = default;
  virtual bool Enabled() const = 0;
  virtual std::string BaseTopic() const = 0;
  // The retained "online"/"offline" topic every discovery config should name as availability.
  virtual std::string AvailabilityTopic() const = 0;

  virtual void Publish(const std::string& topic, const std::string& payload, bool retain = true) = 0;
  // Home Assistant device-based discovery: retained config at <discovery_prefix>/device/<device_id>/config.
  virtual void PublishDiscovery(const std::string& device_id, const Poco::JSON::Object& config) = 0;
  // Deletes the device from Home Assistant (empty retained config).
  virtual void RemoveDiscovery(const std::string& device_id) = 0;
  // Calls `handler` for each message on the command `topic` (relative, like Publish's). A plugin has one
  // handler per topic: registering the same topic again replaces the previous handler (it does not add a
  // second one), so a plugin may register again on every republish and one message is still one call.
  // Retained and empty messages are never commands: retained ones are ignored and cleared by the bridge.
  // Revoked when the plugin stops. The handler runs on the MQTT client's thread: return quickly (queue
  // slow work with Jobs().RunNow or Once).
  virtual void OnCommand(const std::string& topic, std::function<void(const std::string& payload)> handler) = 0;
  // Called after every (re)connect and every Home Assistant birth message: republish discovery and state.
  virtual void OnRepublish(std::function<void()> handler) = 0;
  // The absolute topic of a relative one ("vehicles/5YJ.../state" → "tessie/vehicles/5YJ.../state"): for the
  // state_topic and command_topic fields of a discovery config, which Home Assistant reads as they are. Build
  // topics relative everywhere and call this only where a payload must name one; Publish and OnCommand add
  // the base themselves (never pass them the result of this).
  virtual std::string Topic(const std::string& relative) const = 0;
};

}  // namespace v1
}  // namespace tessie::sdk
