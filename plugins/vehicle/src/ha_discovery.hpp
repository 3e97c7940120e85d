#pragma once
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tessie/sdk/fleet.hpp"

namespace tessie::vehicle {

struct VehicleIdentity {
  std::int64_t id = 0;
  std::string vin;
  std::string display_name;
  std::string model;       // car_type
  std::string sw_version;  // car_version
};

struct DiscoveryOptions {
  // The bridge's Topic(): a relative topic as Home Assistant must subscribe to it ("tessie/vehicles/<vin>/x").
  std::function<std::string(const std::string&)> topic;
  std::string availability_topic;  // the host's LWT topic
  std::string origin_version;      // the host's version
  bool imperial = false;           // miles and mph instead of km and km/h
};

// Home Assistant device-based discovery for one vehicle (plain logic). Topics, relative to the bridge's base
// topic as MqttBridge::Publish and OnCommand take them (only the discovery payload names them absolute, through
// DiscoveryOptions::topic):
//   vehicles/<vin>/<key>           retained state of each entity
//   vehicles/<vin>/location        JSON {latitude, longitude, gps_accuracy} for the device_tracker
//   vehicles/<vin>/wake, /sync     button commands (never retained)
std::string DeviceId(const std::string& vin);  // "tessie_<vin lower-case>", stable across renames
std::string StateTopic(const std::string& vin, const std::string& key);
Poco::JSON::Object::Ptr BuildDiscovery(const VehicleIdentity& vehicle, const DiscoveryOptions& options);

// Retained state messages (relative topic, payload) for a vehicle_data sample; values the car did not
// report are left out (Home Assistant keeps the last one).
std::vector<std::pair<std::string, std::string>> StateMessages(const DiscoveryOptions& options, const std::string& vin,
                                                               const sdk::VehicleData& data);
// The connectivity entity alone (after a cheap state check).
std::pair<std::string, std::string> OnlineMessage(const std::string& vin, const std::string& state);

}  // namespace tessie::vehicle
