#include "ha_discovery.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cmath>

#include "tessie/sdk/ha_discovery.hpp"

namespace tessie::powerwall {

namespace {

using sdk::ha::Number;

enum class Needs { kAlways, kSolar, kBattery, kGrid, kWallConnector };

struct Entity {
  sdk::ha::Entity ha;
  Needs needs = Needs::kAlways;
};

const std::vector<std::string> kIslandStates = {"on_grid", "off_grid_intentional", "off_grid_unintentional",
                                                "island_status_unknown"};

const std::vector<Entity>& Entities() {
  static const std::vector<Entity> entities = {
      {{"solar_power", "sensor", "Solar power", "power", "W", "measurement", "mdi:solar-power", false, 0},
       Needs::kSolar},
      {{"home_power", "sensor", "Home power", "power", "W", "measurement", "mdi:home-lightning-bolt", false, 0},
       Needs::kAlways},
      {{"battery_power", "sensor", "Battery power", "power", "W", "measurement", "mdi:home-battery", false, 0},
       Needs::kBattery},
      {{"battery_charge_power", "sensor", "Battery charging power", "power", "W", "measurement", "mdi:battery-arrow-up",
        false, 0},
       Needs::kBattery},
      {{"battery_discharge_power", "sensor", "Battery discharging power", "power", "W", "measurement",
        "mdi:battery-arrow-down", false, 0},
       Needs::kBattery},
      {{"grid_power", "sensor", "Grid power", "power", "W", "measurement", "mdi:transmission-tower", false, 0},
       Needs::kGrid},
      {{"grid_import_power", "sensor", "Grid import power", "power", "W", "measurement",
        "mdi:transmission-tower-import", false, 0},
       Needs::kGrid},
      {{"grid_export_power", "sensor", "Grid export power", "power", "W", "measurement",
        "mdi:transmission-tower-export", false, 0},
       Needs::kGrid},
      {{"car_charging_power", "sensor", "Car charging power", "power", "W", "measurement", "mdi:ev-station", false, 0},
       Needs::kWallConnector},
      {{"battery_level", "sensor", "Battery level", "battery", "%", "measurement", "", false, 1}, Needs::kBattery},
      {{"backup_reserve", "sensor", "Backup reserve", "", "%", "measurement", "mdi:battery-lock", false, 0},
       Needs::kBattery},
      {{"grid_status", "binary_sensor", "Grid status", "power", "", "", "mdi:transmission-tower", false, -1},
       Needs::kGrid},
      {{"island_status", "sensor", "Island status", "enum", "", "", "mdi:island", false, -1, kIslandStates},
       Needs::kGrid},
      {{"storm_mode", "binary_sensor", "Storm watch", "", "", "", "mdi:weather-lightning-rainy", false, -1},
       Needs::kBattery},
      {{"solar_energy", "sensor", "Solar production today", "energy", "kWh", "total_increasing", "mdi:solar-power",
        false, 2},
       Needs::kSolar},
      {{"grid_import_energy", "sensor", "Grid import today", "energy", "kWh", "total_increasing",
        "mdi:transmission-tower-import", false, 2},
       Needs::kGrid},
      {{"grid_export_energy", "sensor", "Grid export today", "energy", "kWh", "total_increasing",
        "mdi:transmission-tower-export", false, 2},
       Needs::kGrid},
      {{"battery_charge_energy", "sensor", "Battery charge today", "energy", "kWh", "total_increasing",
        "mdi:battery-arrow-up", false, 2},
       Needs::kBattery},
      {{"battery_discharge_energy", "sensor", "Battery discharge today", "energy", "kWh", "total_increasing",
        "mdi:battery-arrow-down", false, 2},
       Needs::kBattery},
      {{"home_energy", "sensor", "Home consumption today", "energy", "kWh", "total_increasing",
        "mdi:home-lightning-bolt", false, 2},
       Needs::kAlways},
      {{"car_charging_energy", "sensor", "Car charging today", "energy", "kWh", "total_increasing", "mdi:ev-station",
        false, 2},
       Needs::kWallConnector},
  };
  return entities;
}

bool Wanted(const SiteIdentity& s, Needs needs) {
  const bool unknown = !s.has_solar && !s.has_battery && !s.has_grid;
  switch (needs) {
    case Needs::kAlways:
      return true;
    case Needs::kSolar:
      return unknown || s.has_solar;
    case Needs::kBattery:
      return unknown || s.has_battery;
    case Needs::kGrid:
      return unknown || s.has_grid;
    case Needs::kWallConnector:
      return s.wall_connector_count > 0;
  }
  return true;
}

}  // namespace

std::string DeviceId(std::int64_t site_id) { return "tessie_site_" + std::to_string(site_id); }

std::string StateTopic(std::int64_t site_id, const std::string& key) {
  return "sites/" + std::to_string(site_id) + "/" + key;
}

Poco::JSON::Object::Ptr BuildDiscovery(const SiteIdentity& s, const DiscoveryOptions& o) {
  const std::string device_name = s.name.empty() ? "Energy site " + std::to_string(s.id) : s.name;
  std::string slug = sdk::ha::Slug(s.name);
  if (slug.empty()) slug = "site_" + std::to_string(s.id);
  const std::string id_base = DeviceId(s.id);

  Poco::JSON::Object::Ptr components = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& e : Entities()) {
    if (!Wanted(s, e.needs)) continue;
    components->set(e.ha.key, sdk::ha::Component(e.ha, id_base, "tesla_" + slug, o.topic(StateTopic(s.id, e.ha.key))));
  }
  return sdk::ha::DeviceConfig(
      {id_base, device_name, s.has_battery || s.battery_count > 0 ? "Powerwall" : "Solar", std::to_string(s.id), ""},
      o.origin_version, o.availability_topic, components);
}

std::vector<Message> LiveStateMessages(std::int64_t id, const sdk::LiveStatus& live,
                                       std::optional<double> wall_connector_w) {
  std::vector<Message> out;
  auto add = [&](const std::string& key, const std::string& payload) {
    out.emplace_back(StateTopic(id, key), payload);
  };
  if (live.solar_power_w) add("solar_power", Number(std::max(0.0, *live.solar_power_w), 0));
  if (live.load_power_w) add("home_power", Number(std::max(0.0, *live.load_power_w), 0));
  if (live.battery_power_w) {
    const auto split = Split(*live.battery_power_w);
    add("battery_power", Number(*live.battery_power_w, 0));  // + discharging, as the API and HA
    add("battery_charge_power", Number(split.negative_w, 0));
    add("battery_discharge_power", Number(split.positive_w, 0));
  }
  if (live.grid_power_w) {
    const auto split = Split(*live.grid_power_w);
    add("grid_power", Number(*live.grid_power_w, 0));  // + importing, as the API and HA
    add("grid_import_power", Number(split.positive_w, 0));
    add("grid_export_power", Number(split.negative_w, 0));
  }
  if (wall_connector_w) add("car_charging_power", Number(std::max(0.0, *wall_connector_w), 0));
  if (live.percentage_charged) add("battery_level", Number(std::clamp(*live.percentage_charged, 0.0, 100.0), 1));
  if (live.grid_status) {
    const auto& g = *live.grid_status;
    add("grid_status", g == "Active" ? "ON" : g == "Inactive" ? "OFF" : "None");
  }
  if (live.island_status) {
    const bool known =
        std::find(kIslandStates.begin(), kIslandStates.end(), *live.island_status) != kIslandStates.end();
    add("island_status", known ? *live.island_status : "island_status_unknown");
  }
  if (live.storm_mode_active) add("storm_mode", *live.storm_mode_active ? "ON" : "OFF");
  return out;
}

std::vector<Message> SiteInfoMessages(std::int64_t id,
                                      std::optional<int> backup_reserve_percent) {
  std::vector<Message> out;
  if (backup_reserve_percent) {
    out.emplace_back(StateTopic(id, "backup_reserve"), std::to_string(std::clamp(*backup_reserve_percent, 0, 100)));
  }
  return out;
}

double DailyCounters::Next(const std::string& key, const CivilDate& date, double value_wh) {
  double v = std::isfinite(value_wh) ? std::max(0.0, value_wh) : 0.0;
  auto it = last_.find(key);
  if (it != last_.end() && it->second.date == date) {
    v = std::max(v, it->second.value_wh);
  } else if (it != last_.end() && date < it->second.date) {
    return it->second.value_wh;  // a late answer for an earlier day: keep today's value
  }
  last_[key] = {date, v};
  return v;
}

std::optional<CivilDate> DailyCounters::LastDate(const std::string& key) const {
  const auto it = last_.find(key);
  return it == last_.end() ? std::nullopt : std::optional<CivilDate>(it->second.date);
}

std::vector<Message> DailyEnergyMessages(std::int64_t id, const CivilDate& today,
                                         const EnergyTotals& t, DailyCounters& counters) {
  const std::pair<const char*, double> values[] = {
      {"solar_energy", t.solar_produced_wh},
      {"grid_import_energy", t.grid_imported_wh},
      {"grid_export_energy", t.grid_exported_wh},
      {"battery_charge_energy", t.battery_charged_wh},
      {"battery_discharge_energy", t.battery_discharged_wh},
      {"home_energy", t.home_consumed_wh},
  };
  std::vector<Message> out;
  for (const auto& [key, wh] : values) {
    out.emplace_back(StateTopic(id, key), Number(counters.Next(key, today, wh) / 1000.0, 3));
  }
  return out;
}

Message CarChargingEnergyMessage(std::int64_t id, const CivilDate& today, double energy_wh,
                                 DailyCounters& counters) {
  return {StateTopic(id, "car_charging_energy"),
          Number(counters.Next("car_charging_energy", today, energy_wh) / 1000.0, 3)};
}

}  // namespace tessie::powerwall
