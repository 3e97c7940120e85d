#pragma once
// Building blocks for Home Assistant device-based MQTT discovery (MqttBridge::PublishDiscovery): one device,
// its components (entities) and the state payloads. Header-only; the plugins decide which entities exist.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cctype>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace tessie::sdk::ha {

// "Model Y (Home)" → "model_y_home": for default entity ids.
inline std::string Slug(const std::string& text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      out += static_cast<char>(std::tolower(u));
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

// A state payload with `precision` decimals; never "-0" or "nan" (non-finite values are sent as 0).
inline std::string Number(double v, int precision) {
  if (!std::isfinite(v) || std::fabs(v) < std::pow(10.0, -precision) / 2) v = 0;
  std::ostringstream out;
  out << std::fixed << std::setprecision(precision) << v;
  return out.str();
}

// One entity of a device: a sensor, binary_sensor, button or device_tracker.
struct Entity {
  Entity(std::string key_, std::string platform_, std::string name_, std::string device_class_ = "",
         std::string unit_ = "", std::string state_class_ = "", std::string icon_ = "", bool diagnostic_ = false,
         int precision_ = -1, std::vector<std::string> options_ = {})
      : key(std::move(key_)),
        platform(std::move(platform_)),
        name(std::move(name_)),
        device_class(std::move(device_class_)),
        unit(std::move(unit_)),
        state_class(std::move(state_class_)),
        icon(std::move(icon_)),
        diagnostic(diagnostic_),
        precision(precision_),
        options(std::move(options_)) {}

  std::string key;       // unique within the device; also the last part of its topic and ids
  std::string platform;  // "sensor", "binary_sensor", ...
  std::string name;
  std::string device_class;
  std::string unit;
  std::string state_class;
  std::string icon;
  bool diagnostic = false;
  int precision = -1;                // suggested_display_precision; -1 = none
  std::vector<std::string> options;  // for device_class enum
};

// The component of `e`: unique_id "<id_base>_<key>", default_entity_id "<platform>.<entity_prefix>_<key>", and
// the topic as state_topic (command_topic for buttons, json_attributes_topic for device trackers). Home Assistant
// reads `topic` as it is, so it is absolute: pass MqttBridge::Topic(relative), never a topic built by hand.
inline Poco::JSON::Object::Ptr Component(const Entity& e, const std::string& id_base, const std::string& entity_prefix,
                                         const std::string& topic) {
  Poco::JSON::Object::Ptr c = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  c->set("platform", e.platform);
  c->set("name", e.name);
  c->set("unique_id", id_base + "_" + e.key);
  c->set("default_entity_id", e.platform + "." + entity_prefix + "_" + e.key);
  if (e.platform == "button") {
    c->set("command_topic", topic);
  } else if (e.platform == "device_tracker") {
    c->set("json_attributes_topic", topic);
    c->set("source_type", "gps");
  } else {
    c->set("state_topic", topic);
  }
  if (!e.device_class.empty()) c->set("device_class", e.device_class);
  if (!e.unit.empty()) c->set("unit_of_measurement", e.unit);
  if (!e.state_class.empty()) c->set("state_class", e.state_class);
  if (e.precision >= 0) c->set("suggested_display_precision", e.precision);
  if (!e.icon.empty()) c->set("icon", e.icon);
  if (e.diagnostic) c->set("entity_category", "diagnostic");
  if (!e.options.empty()) {
    Poco::JSON::Array::Ptr options = new Poco::JSON::Array;
    for (const auto& o : e.options) options->add(o);
    c->set("options", options);
  }
  return c;
}

struct Device {
  std::string id;  // identifiers[0], also the discovery topic's device id
  std::string name;
  std::string model;
  std::string serial_number;
  std::string sw_version;
  // Shown by Home Assistant on the device page. Tesla for the cars and energy products; a plugin for other
  // hardware (a wall meter, a third-party charger) names its maker. Empty: not sent.
  std::string manufacturer = "Tesla";
};

// The whole discovery config: device (its manufacturer, Tesla by default), origin (this project), availability,
// components.
inline Poco::JSON::Object::Ptr DeviceConfig(const Device& d, const std::string& origin_version,
                                            const std::string& availability_topic,
                                            const Poco::JSON::Object::Ptr& components) {
  Poco::JSON::Object::Ptr device = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  Poco::JSON::Array::Ptr ids = new Poco::JSON::Array;
  ids->add(d.id);
  device->set("identifiers", ids);
  device->set("name", d.name);
  if (!d.manufacturer.empty()) device->set("manufacturer", d.manufacturer);
  if (!d.model.empty()) device->set("model", d.model);
  if (!d.serial_number.empty()) device->set("serial_number", d.serial_number);
  if (!d.sw_version.empty()) device->set("sw_version", d.sw_version);

  Poco::JSON::Object::Ptr origin = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  origin->set("name", "Tessie Stats");
  origin->set("sw_version", origin_version);

  Poco::JSON::Object::Ptr config = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  config->set("device", device);
  config->set("origin", origin);
  config->set("availability_topic", availability_topic);
  config->set("components", components);
  return config;
}

}  // namespace tessie::sdk::ha
