#include "scenario.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "time_zone.h"

namespace tessie::sim {
namespace {

std::string Where(const YAML::Node& node) { return "line " + std::to_string(node.Mark().line + 1); }

template <typename T>
T Get(const YAML::Node& node, const char* key, T fallback) {
  const YAML::Node value = node[key];
  if (!value) return fallback;
  try {
    return value.as<T>();
  } catch (const YAML::Exception&) {
    throw ScenarioError(Where(value) + ": '" + key + "' has the wrong type");
  }
}

template <typename T>
T Require(const YAML::Node& node, const char* key) {
  if (!node[key]) throw ScenarioError(Where(node) + ": '" + key + "' is required");
  return Get<T>(node, key, T{});
}

double GetTime(const YAML::Node& node, const char* key) {
  const auto text = Require<std::string>(node, key);
  try {
    return ParseRfc3339(text);
  } catch (const std::invalid_argument& e) {
    throw ScenarioError(Where(node[key]) + ": " + e.what());
  }
}

GeoPoint GetPoint(const YAML::Node& node, const char* key) {
  const YAML::Node value = node[key];
  if (!value) throw ScenarioError(Where(node) + ": '" + key + "' ({lat, lon}) is required");
  return GeoPoint{Require<double>(value, "lat"), Require<double>(value, "lon"), Get<std::string>(value, "name", "")};
}

void CheckZone(const YAML::Node& node, const std::string& zone) {
  try {
    TimeZone{zone};
  } catch (const std::invalid_argument& e) {
    throw ScenarioError(Where(node) + ": " + e.what());
  }
}

// One schedule entry, expanded by its optional repeat: {count: N, every_h: H}.
void ParseEvent(const YAML::Node& node, std::vector<ScheduleEvent>& out) {
  ScheduleEvent event;
  const auto type = Require<std::string>(node, "type");
  event.start_s = GetTime(node, "start");
  if (type == "drive") {
    event.kind = ScheduleEvent::Kind::kDrive;
    event.duration_s = Require<double>(node, "duration_min") * 60;
    event.distance_km = Require<double>(node, "distance_km");
    event.to = GetPoint(node, "to");
    for (const auto& point : node["via"]) {
      event.via.push_back(
          GeoPoint{Require<double>(point, "lat"), Require<double>(point, "lon"), Get<std::string>(point, "name", "")});
    }
    if (event.duration_s <= 0 || event.distance_km <= 0) {
      throw ScenarioError(Where(node) + ": drive needs duration_min > 0 and distance_km > 0");
    }
  } else if (type == "charge") {
    event.kind = ScheduleEvent::Kind::kCharge;
    event.power_kw = Require<double>(node, "power_kw");
    const auto kind = Get<std::string>(node, "kind", "AC");
    if (kind != "AC" && kind != "DC") throw ScenarioError(Where(node) + ": charge kind must be AC or DC");
    event.dc = kind == "DC";
    event.target_soc_pct = Get<double>(node, "target_soc_pct", 80);
    event.site_id = Get<std::int64_t>(node, "site", 0);
    event.max_duration_s = Get<double>(node, "max_duration_min", 0) * 60;
    if (event.power_kw <= 0) throw ScenarioError(Where(node) + ": charge needs power_kw > 0");
  } else {
    throw ScenarioError(Where(node) + ": type must be drive or charge, not '" + type + "'");
  }
  const YAML::Node repeat = node["repeat"];
  const int count = repeat ? Require<int>(repeat, "count") : 1;
  const double every_s = repeat ? Require<double>(repeat, "every_h") * 3600 : 0;
  for (int i = 0; i < count; ++i) {
    out.push_back(event);
    out.back().start_s += i * every_s;
  }
}

VehicleSpec ParseVehicle(const YAML::Node& node) {
  VehicleSpec v;
  v.id = Require<std::int64_t>(node, "id");
  v.vehicle_id = Require<std::int64_t>(node, "vehicle_id");
  v.vin = Require<std::string>(node, "vin");
  v.display_name = Get<std::string>(node, "display_name", v.vin);
  v.unnamed_in_list = Get<bool>(node, "unnamed_in_list", false);
  v.car_type = Get(node, "car_type", v.car_type);
  v.trim_badging = Get(node, "trim_badging", v.trim_badging);
  v.exterior_color = Get(node, "exterior_color", v.exterior_color);
  v.wheel_type = Get(node, "wheel_type", v.wheel_type);
  v.car_version = Get(node, "car_version", v.car_version);
  v.time_zone = Get(node, "time_zone", v.time_zone);
  CheckZone(node, v.time_zone);
  v.eu_vehicle = Get(node, "eu_vehicle", v.eu_vehicle);
  v.battery_kwh = Get(node, "battery_kwh", v.battery_kwh);
  v.start_soc_pct = Get(node, "start_soc_pct", v.start_soc_pct);
  v.start_odometer_km = Get(node, "start_odometer_km", v.start_odometer_km);
  v.consumption_wh_per_km = Get(node, "consumption_wh_per_km", v.consumption_wh_per_km);
  v.rated_wh_per_km = Get(node, "rated_wh_per_km", v.rated_wh_per_km);
  if (const YAML::Node drain = node["drain"]) {
    v.drain_awake_w = Get(drain, "awake_w", v.drain_awake_w);
    v.drain_asleep_w = Get(drain, "asleep_w", v.drain_asleep_w);
    if (v.drain_awake_w < 0 || v.drain_asleep_w < 0) throw ScenarioError(Where(drain) + ": drain powers must be >= 0");
  }
  v.home = GetPoint(node, "home");
  for (const auto& event : node["schedule"]) ParseEvent(event, v.schedule);
  std::stable_sort(v.schedule.begin(), v.schedule.end(),
                   [](const auto& a, const auto& b) { return a.start_s < b.start_s; });
  return v;
}

EnergySiteSpec ParseSite(const YAML::Node& node) {
  EnergySiteSpec s;
  s.energy_site_id = Require<std::int64_t>(node, "energy_site_id");
  s.site_name = Get(node, "site_name", s.site_name);
  s.time_zone = Get(node, "time_zone", s.time_zone);
  CheckZone(node, s.time_zone);
  s.installation_date = Get(node, "installation_date", s.installation_date);
  s.location = GetPoint(node, "location");
  s.battery_count = Get(node, "battery_count", s.battery_count);
  s.battery_capacity_kwh = Get(node, "battery_capacity_kwh", s.battery_capacity_kwh);
  s.battery_power_kw = Get(node, "battery_power_kw", s.battery_power_kw);
  s.start_soc_pct = Get(node, "start_soc_pct", s.start_soc_pct);
  s.solar_peak_kw = Get(node, "solar_peak_kw", s.solar_peak_kw);
  s.base_load_w = Get(node, "base_load_w", s.base_load_w);
  s.backup_reserve_pct = Get(node, "backup_reserve_pct", s.backup_reserve_pct);
  s.wall_connectors = Get(node, "wall_connectors", s.wall_connectors);
  s.cloudy_days = Get(node, "cloudy_days", s.cloudy_days);
  for (const auto& outage : node["outages"]) {
    s.outages.push_back({GetTime(outage, "start"), Require<double>(outage, "duration_min") * 60});
  }
  return s;
}

}  // namespace

Scenario ParseScenario(const std::string& yaml_text) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw ScenarioError(std::string("not valid YAML: ") + e.what());
  }
  Scenario s;
  s.start_s = GetTime(root, "start");
  if (std::fmod(s.start_s, 300) != 0) throw ScenarioError("'start' must be aligned to 5 minutes (e.g. 00:00:00Z)");
  s.region = Get(root, "region", s.region);
  s.base_url = Get(root, "base_url", s.base_url);
  s.user_id = Get(root, "user_id", s.user_id);
  s.account_id = Get(root, "account_id", s.account_id);
  if (const YAML::Node auth = root["auth"]) {
    s.client_id = Get(auth, "client_id", s.client_id);
    s.access_token_lifetime_s = Get(auth, "access_token_lifetime_s", s.access_token_lifetime_s);
  }
  if (const YAML::Node sleep = root["sleep"]) {
    s.idle_sleep_s = Get(sleep, "idle_min", s.idle_sleep_s / 60) * 60;
    s.wake_delay_s = Get(sleep, "wake_delay_s", s.wake_delay_s);
  }
  if (const YAML::Node limits = root["rate_limits"]) {
    s.data_per_min = Get(limits, "data_per_min", s.data_per_min);
    s.commands_per_min = Get(limits, "commands_per_min", s.commands_per_min);
    s.wakes_per_min = Get(limits, "wakes_per_min", s.wakes_per_min);
  }
  for (const auto& v : root["vehicles"]) s.vehicles.push_back(ParseVehicle(v));
  for (const auto& site : root["energy_sites"]) s.energy_sites.push_back(ParseSite(site));
  if (s.vehicles.empty() && s.energy_sites.empty())
    throw ScenarioError("the scenario has no vehicles and no energy_sites");
  return s;
}

Scenario LoadScenario(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ScenarioError("cannot read scenario file " + path);
  std::stringstream text;
  text << in.rdbuf();
  try {
    return ParseScenario(text.str());
  } catch (const ScenarioError& e) {
    throw ScenarioError(path + ": " + e.what());
  }
}

}  // namespace tessie::sim
