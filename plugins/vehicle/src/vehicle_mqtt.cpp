#include "vehicle_mqtt.hpp"

namespace tessie::vehicle {

VehicleMqtt::VehicleMqtt(sdk::Context& ctx, TrackedCars& cars, VehicleCommands& commands, bool imperial)
    : ctx_(ctx), cars_(cars), commands_(commands) {
  options_.imperial = imperial;
}

void VehicleMqtt::Start(const std::string& version) {
  options_.topic = [this](const std::string& relative) { return ctx_.Mqtt().Topic(relative); };
  options_.availability_topic = ctx_.Mqtt().AvailabilityTopic();
  options_.origin_version = version;
}

void VehicleMqtt::PublishDiscovery(const VehicleIdentity& identity) {
  if (!ctx_.Mqtt().Enabled()) return;
  ctx_.Mqtt().PublishDiscovery(DeviceId(identity.vin), *BuildDiscovery(identity, options_));
}

void VehicleMqtt::PublishAllDiscovery(const std::vector<VehicleIdentity>& identities) {
  for (const auto& identity : identities) {
    ctx_.Mqtt().PublishDiscovery(DeviceId(identity.vin), *BuildDiscovery(identity, options_));
  }
}

void VehicleMqtt::RemoveDiscovery(const std::string& vin) { ctx_.Mqtt().RemoveDiscovery(DeviceId(vin)); }

void VehicleMqtt::PublishOnline(const std::string& vin, const std::string& state) {
  const auto [topic, payload] = OnlineMessage(vin, state);
  ctx_.Mqtt().Publish(topic, payload);
}

void VehicleMqtt::PublishStates(const std::string& vin, const sdk::VehicleData& data) {
  for (const auto& [topic, payload] : StateMessages(options_, vin, data)) {
    ctx_.Mqtt().Publish(topic, payload);
  }
}

void VehicleMqtt::SubscribeCommands(const std::string& vin, std::int64_t id) {
  if (!ctx_.Mqtt().Enabled()) return;
  ctx_.Mqtt().OnCommand(StateTopic(vin, "wake"),
                        [this, id](const std::string& payload) { OnButton(id, Command::kWake, payload); });
  ctx_.Mqtt().OnCommand(StateTopic(vin, "sync"),
                        [this, id](const std::string& payload) { OnButton(id, Command::kSync, payload); });
}

// A press of a car's button over MQTT (the bridge's thread). Every press is logged as accepted or ignored,
// naming the car and never echoing the payload.
void VehicleMqtt::OnButton(std::int64_t id, Command command, const std::string& payload) {
  auto t = cars_.Find(id);
  if (!t) {
    ctx_.Log().Info(std::string("MQTT ") + ToString(command) + " ignored: vehicle " + std::to_string(id) +
                    " is no longer tracked");
    return;
  }
  const std::string vin = t->Identity().vin;
  try {
    const auto outcome = command == Command::kWake ? commands_.Wake(id, payload) : commands_.Sync(id, payload);
    ctx_.Log().Info("MQTT " + std::string(ToString(command)) + " for " + vin + " " + outcome.message);
  } catch (const sdk::FleetError& e) {
    ctx_.Log().Warn("MQTT " + std::string(ToString(command)) + " for " + vin + " accepted but not sent: " + e.what());
  }
}

}  // namespace tessie::vehicle
