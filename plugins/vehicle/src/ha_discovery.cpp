#include "ha_discovery.hpp"

#include <Poco/JSON/Array.h>

#include <cctype>
#include <sstream>

#include "tessie/sdk/ha_discovery.hpp"

namespace tessie::vehicle {

namespace {

using sdk::ha::Entity;
using sdk::ha::Number;

constexpr double kMilesPerKm = 1 / 1.609344;

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const std::vector<std::string> kChargingStates = {"Disconnected", "Starting", "Charging",
                                                  "Stopped",      "Complete", "NoPower"};

}  // namespace

std::string DeviceId(const std::string& vin) { return "tessie_" + Lower(vin); }

std::string StateTopic(const std::string& vin, const std::string& key) {
  return "vehicles/" + vin + "/" + key;
}

Poco::JSON::Object::Ptr BuildDiscovery(const VehicleIdentity& v, const DiscoveryOptions& o) {
  const std::string dist = o.imperial ? "mi" : "km";
  const std::string speed = o.imperial ? "mph" : "km/h";
  const std::vector<Entity> entities = {
      {"battery_level", "sensor", "Battery level", "battery", "%", "measurement", ""},
      {"usable_battery_level", "sensor", "Usable battery level", "battery", "%", "measurement", ""},
      {"range", "sensor", "Range", "distance", dist, "measurement", "mdi:map-marker-distance"},
      {"est_range", "sensor", "Estimated range", "distance", dist, "measurement", "mdi:map-marker-distance"},
      {"charging_state", "sensor", "Charging state", "enum", "", "", "mdi:ev-station", false, -1, kChargingStates},
      {"charger_power", "sensor", "Charger power", "power", "kW", "measurement", ""},
      {"charge_energy_added", "sensor", "Charge energy added", "energy", "kWh", "total_increasing", ""},
      {"charge_limit", "sensor", "Charge limit", "", "%", "measurement", "mdi:battery-charging-80"},
      {"time_to_full", "sensor", "Time to full charge", "duration", "h", "measurement", ""},
      {"plugged_in", "binary_sensor", "Plugged in", "plug", "", "", ""},
      {"charging", "binary_sensor", "Charging", "battery_charging", "", "", ""},
      {"online", "binary_sensor", "Online", "connectivity", "", "", "", true},
      {"locked", "binary_sensor", "Doors", "lock", "", "", ""},
      {"sentry_mode", "binary_sensor", "Sentry mode", "", "", "", "mdi:cctv"},
      {"inside_temp", "sensor", "Inside temperature", "temperature", "°C", "measurement", ""},
      {"outside_temp", "sensor", "Outside temperature", "temperature", "°C", "measurement", ""},
      {"odometer", "sensor", "Odometer", "distance", dist, "total_increasing", "mdi:counter"},
      {"speed", "sensor", "Speed", "speed", speed, "measurement", ""},
      {"heading", "sensor", "Heading", "", "°", "", "mdi:compass"},
      {"shift_state", "sensor", "Shift state", "", "", "", "mdi:car-shift-pattern"},
      {"software_version", "sensor", "Software version", "", "", "", "mdi:update", true},
      {"update_available", "binary_sensor", "Software update", "update", "", "", "", true},
  };
  const std::string prefix = "tesla_" + sdk::ha::Slug(v.display_name.empty() ? v.vin : v.display_name);
  const std::string id_base = DeviceId(v.vin);

  Poco::JSON::Object::Ptr components = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& e : entities)
    components->set(e.key, sdk::ha::Component(e, id_base, prefix, o.topic(StateTopic(v.vin, e.key))));
  const Entity location{"location", "device_tracker", "Location"};
  components->set("location", sdk::ha::Component(location, id_base, prefix, o.topic(StateTopic(v.vin, "location"))));
  for (const Entity& button : {Entity{"wake", "button", "Wake", "", "", "", "mdi:sleep-off"},
                               Entity{"sync", "button", "Sync now", "", "", "", "mdi:refresh"}}) {
    components->set(button.key, sdk::ha::Component(button, id_base, prefix, o.topic(StateTopic(v.vin, button.key))));
  }
  return sdk::ha::DeviceConfig({id_base, v.display_name.empty() ? v.vin : v.display_name, v.model, v.vin, v.sw_version},
                               o.origin_version, o.availability_topic, components);
}

std::vector<std::pair<std::string, std::string>> StateMessages(const DiscoveryOptions& o, const std::string& vin,
                                                               const sdk::VehicleData& d) {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](const std::string& key, const std::string& payload) {
    out.emplace_back(StateTopic(vin, key), payload);
  };
  auto distance = [&](double km) { return o.imperial ? km * kMilesPerKm : km; };
  auto on_off = [](bool b) { return std::string(b ? "ON" : "OFF"); };

  if (d.battery_level) add("battery_level", std::to_string(*d.battery_level));
  if (d.usable_battery_level) add("usable_battery_level", std::to_string(*d.usable_battery_level));
  if (d.battery_range_km) add("range", Number(distance(*d.battery_range_km), 1));
  if (d.est_battery_range_km) add("est_range", Number(distance(*d.est_battery_range_km), 1));
  if (d.charging_state) {
    for (const auto& s : kChargingStates)
      if (s == *d.charging_state) add("charging_state", s);
    add("plugged_in", on_off(*d.charging_state != "Disconnected"));
    add("charging", on_off(*d.charging_state == "Charging" || *d.charging_state == "Starting"));
  }
  if (d.charger_power_kw) add("charger_power", Number(*d.charger_power_kw, 2));
  if (d.charge_energy_added_kwh) add("charge_energy_added", Number(std::max(0.0, *d.charge_energy_added_kwh), 3));
  if (d.charge_limit_soc) add("charge_limit", std::to_string(*d.charge_limit_soc));
  if (d.time_to_full_charge_h) add("time_to_full", Number(std::max(0.0, *d.time_to_full_charge_h), 2));
  add("online", "ON");
  if (d.locked) add("locked", on_off(!*d.locked));  // device_class lock: ON means unlocked
  if (d.sentry_mode) add("sentry_mode", on_off(*d.sentry_mode));
  if (d.inside_temp_c) add("inside_temp", Number(*d.inside_temp_c, 1));
  if (d.outside_temp_c) add("outside_temp", Number(*d.outside_temp_c, 1));
  if (d.odometer_km) add("odometer", Number(distance(*d.odometer_km), 1));
  const bool moving = d.shift_state && *d.shift_state != "P";
  add("speed", Number(moving && d.speed_kmh ? distance(*d.speed_kmh) : 0.0, 0));
  if (d.heading) add("heading", std::to_string(*d.heading));
  add("shift_state", d.shift_state ? *d.shift_state : "P");
  if (d.car_version) add("software_version", *d.car_version);
  if (d.software_update_status) {
    const auto& s = *d.software_update_status;
    add("update_available", on_off(s == "available" || s == "downloading" || s == "scheduled" || s == "installing" ||
                                   s == "downloading_wifi_wait"));
  }
  if (d.latitude && d.longitude) {
    Poco::JSON::Object loc(Poco::JSON_PRESERVE_KEY_ORDER);
    loc.set("latitude", *d.latitude);
    loc.set("longitude", *d.longitude);
    loc.set("gps_accuracy", 10);
    std::ostringstream s;
    loc.stringify(s);
    add("location", s.str());
  }
  return out;
}

std::pair<std::string, std::string> OnlineMessage(const std::string& vin, const std::string& state) {
  return {StateTopic(vin, "online"), state == "online" ? "ON" : "OFF"};
}

}  // namespace tessie::vehicle
