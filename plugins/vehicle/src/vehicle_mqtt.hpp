#pragma once
// The cars in Home Assistant over MQTT: device discovery, retained states and the two buttons (wake, sync).
// Topics and payloads are built by ha_discovery.hpp; this class sends them through the host's bridge.
// Thread-safe once Start has run (it is called before any job or handler can publish).
#include <cstdint>
#include <string>
#include <vector>

#include "ha_discovery.hpp"
#include "tessie/sdk/context.hpp"
#include "vehicle_commands.hpp"

namespace tessie::vehicle {

class VehicleMqtt {
 public:
  VehicleMqtt(sdk::Context& ctx, TrackedCars& cars, VehicleCommands& commands, bool imperial);

  // The host's topics and version are known from Start on.
  void Start(const std::string& version);

  void PublishDiscovery(const VehicleIdentity& identity);  // nothing when MQTT is off
  void PublishAllDiscovery(const std::vector<VehicleIdentity>& identities);
  void RemoveDiscovery(const std::string& vin);
  void PublishOnline(const std::string& vin, const std::string& state);
  void PublishStates(const std::string& vin, const sdk::VehicleData& data);

  // The car's two buttons. Called once per tracked car, never from discovery: a republish must not add a second
  // handler (one press was two wake_up calls). The bridge keeps one handler per topic.
  void SubscribeCommands(const std::string& vin, std::int64_t id);

 private:
  void OnButton(std::int64_t id, Command command, const std::string& payload);

  sdk::Context& ctx_;
  TrackedCars& cars_;
  VehicleCommands& commands_;
  DiscoveryOptions options_;
};

}  // namespace tessie::vehicle
