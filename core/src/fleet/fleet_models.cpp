#include "fleet/fleet_models.hpp"

#include <Poco/URI.h>

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>
#include <string_view>

namespace tessie::core::fleet {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

[[noreturn]] void ThrowMalformed(std::string_view what, const std::string& why) {
  throw sdk::FleetError(sdk::FleetErrorKind::kMalformed, 0,
                        "Fleet API " + std::string(what) + " response could not be read: " + why);
}

// Parses with key order preserved so raw_json matches what was received.
Var ParseJson(const std::string& body) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
  return parser.parse(body);
}

Object::Ptr AsObject(const Var& value) {
  if (!value.isEmpty() && value.type() == typeid(Object::Ptr)) return value.extract<Object::Ptr>();
  return nullptr;
}

Array::Ptr AsArray(const Var& value) {
  if (!value.isEmpty() && value.type() == typeid(Array::Ptr)) return value.extract<Array::Ptr>();
  return nullptr;
}

Var Field(const Object::Ptr& object, const std::string& key) {
  if (!object) return {};
  return object->get(key);
}

Object::Ptr ChildObject(const Object::Ptr& object, const std::string& key) { return AsObject(Field(object, key)); }

std::string Condense(const Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

// The envelope's "response" value; throws kMalformed when the body is not JSON or has none.
Var ResponseOf(const std::string& body, std::string_view what) {
  Var root;
  try {
    root = ParseJson(body);
  } catch (const Poco::Exception& e) {
    ThrowMalformed(what, "the body is not JSON (" + e.displayText() + ")");
  } catch (const std::exception& e) {
    ThrowMalformed(what, std::string("the body is not JSON (") + e.what() + ")");
  }
  Object::Ptr envelope = AsObject(root);
  if (!envelope) ThrowMalformed(what, "the body is not a JSON object");
  if (!envelope->has("response")) ThrowMalformed(what, "the body has no \"response\"");
  Var response = envelope->get("response");
  if (response.isEmpty()) ThrowMalformed(what, "\"response\" is null");
  return response;
}

Object::Ptr ResponseObject(const std::string& body, std::string_view what, Var& response) {
  response = ResponseOf(body, what);
  Object::Ptr object = AsObject(response);
  if (!object) ThrowMalformed(what, "\"response\" is not a JSON object");
  return object;
}

Array::Ptr ResponseArray(const std::string& body, std::string_view what) {
  Array::Ptr array = AsArray(ResponseOf(body, what));
  if (!array) ThrowMalformed(what, "\"response\" is not a JSON array");
  return array;
}

// ---- typed field access: only the matching JSON type is accepted --------------------------------

bool IsNumber(const Var& value) {
  return !value.isEmpty() && !value.isBoolean() && !value.isString() && value.isNumeric();
}

std::optional<double> Number(const Var& value) {
  if (!IsNumber(value)) return std::nullopt;
  try {
    double number = value.convert<double>();
    if (!std::isfinite(number)) return std::nullopt;
    return number;
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

// Integers; a fractional number is rounded to the nearest integer.
std::optional<std::int64_t> Integer(const Var& value) {
  if (!IsNumber(value)) return std::nullopt;
  try {
    if (value.isInteger()) return value.convert<Poco::Int64>();  // throws RangeException above int64
    double number = value.convert<double>();
    if (!std::isfinite(number) || std::fabs(number) > 9.0e18) return std::nullopt;
    return static_cast<std::int64_t>(std::llround(number));
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

std::optional<int> Int32(const Var& value) {
  std::optional<std::int64_t> number = Integer(value);
  if (!number || *number < std::numeric_limits<int>::min() || *number > std::numeric_limits<int>::max()) {
    return std::nullopt;
  }
  return static_cast<int>(*number);
}

std::optional<bool> Boolean(const Var& value) {
  if (value.isEmpty() || !value.isBoolean()) return std::nullopt;
  return value.extract<bool>();
}

std::optional<std::string> String(const Var& value) {
  if (value.isEmpty() || !value.isString()) return std::nullopt;
  return value.convert<std::string>();
}

std::optional<double> NumberAt(const Object::Ptr& object, const std::string& key) { return Number(Field(object, key)); }
std::optional<int> IntAt(const Object::Ptr& object, const std::string& key) { return Int32(Field(object, key)); }
std::optional<bool> BoolAt(const Object::Ptr& object, const std::string& key) { return Boolean(Field(object, key)); }
std::optional<std::string> StringAt(const Object::Ptr& object, const std::string& key) {
  return String(Field(object, key));
}
std::string StringOr(const Object::Ptr& object, const std::string& key) {
  return StringAt(object, key).value_or(std::string());
}

// For vehicle_data strings: Tesla sends "<invalid>" or blanks where it has no value.
std::optional<std::string> MeaningfulStringAt(const Object::Ptr& object, const std::string& key) {
  std::optional<std::string> text = StringAt(object, key);
  if (!text || *text == "<invalid>" || text->find_first_not_of(" \t") == std::string::npos) return std::nullopt;
  return text;
}

// Numbers as a person reads them: each quantity is rounded once, here, to the precision it has (the
// miles → km conversion otherwise leaves noise such as 31249.99999932941 km in REST, MQTT and the dashboard).
// Dividing by a power of ten gives the double nearest to the decimal, which JSON writes short.
std::optional<double> Rounded(std::optional<double> value, int decimals) {
  if (!value || !std::isfinite(*value)) return value;
  const double scale = std::pow(10.0, decimals);
  return std::round(*value * scale) / scale;
}

std::optional<double> MilesToKm(std::optional<double> miles) {
  if (!miles) return std::nullopt;
  return Rounded(*miles * kKmPerMile, 1);  // 0.1 km: odometer, ranges, speed, range added per hour
}

bool AllDigits(const std::string& text) {
  return !text.empty() && text.size() <= 18 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An id: an integral JSON number, or (when `allow_digit_string`) a string of digits. Exact for 64 bits.
std::optional<std::int64_t> IdFrom(const Var& value, bool allow_digit_string) {
  if (IsNumber(value)) {
    if (value.isInteger()) return Integer(value);
    std::optional<double> number = Number(value);
    // Only doubles that still hold the integer exactly (|x| < 2^53).
    if (number && std::floor(*number) == *number && std::fabs(*number) < 9007199254740992.0) {
      return static_cast<std::int64_t>(*number);
    }
    return std::nullopt;
  }
  if (allow_digit_string) {
    std::optional<std::string> text = String(value);
    if (text && AllDigits(*text)) return std::stoll(*text);
  }
  return std::nullopt;
}

bool ComponentFlag(const Object::Ptr& components, const std::string& key) {
  return BoolAt(components, key).value_or(false);
}

// ---- models -------------------------------------------------------------------------------------

sdk::VehicleSummary VehicleSummaryFrom(const Object::Ptr& item, const Var& raw) {
  sdk::VehicleSummary vehicle;
  std::optional<std::int64_t> id = IdFrom(Field(item, "id"), false);
  if (!id) id = IdFrom(Field(item, "id_s"), true);
  vehicle.id = id.value_or(0);
  vehicle.vehicle_id = IdFrom(Field(item, "vehicle_id"), false).value_or(0);
  vehicle.vin = StringOr(item, "vin");
  vehicle.display_name = StringOr(item, "display_name");
  vehicle.state = StringOr(item, "state");
  vehicle.in_service = BoolAt(item, "in_service").value_or(false);
  vehicle.access_type = StringOr(item, "access_type");
  vehicle.raw_json = Condense(raw);
  return vehicle;
}

sdk::EnergySiteSummary EnergySiteFrom(const Object::Ptr& item, const Var& raw) {
  sdk::EnergySiteSummary site;
  site.energy_site_id = IdFrom(Field(item, "energy_site_id"), true).value_or(0);
  site.site_name = StringOr(item, "site_name");
  site.resource_type = StringOr(item, "resource_type");
  Object::Ptr components = ChildObject(item, "components");
  site.has_battery = ComponentFlag(components, "battery");
  site.has_solar = ComponentFlag(components, "solar");
  site.has_grid = ComponentFlag(components, "grid");
  site.raw_json = Condense(raw);
  return site;
}

bool ValidLatitude(double value) { return value >= -90.0 && value <= 90.0; }
bool ValidLongitude(double value) { return value >= -180.0 && value <= 180.0; }

}  // namespace

sdk::Products ParseProducts(const std::string& body) {
  Array::Ptr items = ResponseArray(body, "products");
  sdk::Products products;
  for (std::size_t i = 0; i < items->size(); ++i) {
    Var raw = items->get(static_cast<unsigned>(i));
    Object::Ptr item = AsObject(raw);
    if (!item) continue;
    if (item->has("vin") || item->has("vehicle_id")) {
      products.vehicles.push_back(VehicleSummaryFrom(item, raw));
    } else if (item->has("energy_site_id")) {
      products.energy_sites.push_back(EnergySiteFrom(item, raw));
    }
  }
  return products;
}

std::vector<sdk::VehicleSummary> ParseVehicleList(const std::string& body) {
  Array::Ptr items = ResponseArray(body, "vehicle list");
  std::vector<sdk::VehicleSummary> vehicles;
  for (std::size_t i = 0; i < items->size(); ++i) {
    Var raw = items->get(static_cast<unsigned>(i));
    if (Object::Ptr item = AsObject(raw)) vehicles.push_back(VehicleSummaryFrom(item, raw));
  }
  return vehicles;
}

sdk::VehicleSummary ParseVehicle(const std::string& body) {
  Var response;
  Object::Ptr item = ResponseObject(body, "vehicle", response);
  return VehicleSummaryFrom(item, response);
}

sdk::VehicleData ParseVehicleData(const std::string& body) {
  Var response;
  Object::Ptr root = ResponseObject(body, "vehicle_data", response);
  sdk::VehicleData data;
  data.vehicle = VehicleSummaryFrom(root, response);
  data.raw_json = data.vehicle.raw_json;

  for (const std::string& name : root->getNames()) {
    Object::Ptr section = ChildObject(root, name);
    if (!section) continue;
    std::optional<std::int64_t> timestamp = Integer(Field(section, "timestamp"));
    if (timestamp && (!data.timestamp_ms || *timestamp > *data.timestamp_ms)) data.timestamp_ms = timestamp;
  }

  Object::Ptr charge = ChildObject(root, "charge_state");
  data.battery_level = IntAt(charge, "battery_level");
  data.usable_battery_level = IntAt(charge, "usable_battery_level");
  data.battery_range_km = MilesToKm(NumberAt(charge, "battery_range"));
  data.est_battery_range_km = MilesToKm(NumberAt(charge, "est_battery_range"));
  data.ideal_battery_range_km = MilesToKm(NumberAt(charge, "ideal_battery_range"));
  data.charge_limit_soc = IntAt(charge, "charge_limit_soc");
  data.charging_state = MeaningfulStringAt(charge, "charging_state");
  data.charge_energy_added_kwh = Rounded(NumberAt(charge, "charge_energy_added"), 3);
  data.charger_power_kw = Rounded(NumberAt(charge, "charger_power"), 2);
  data.charger_voltage_v = IntAt(charge, "charger_voltage");
  data.charger_actual_current_a = IntAt(charge, "charger_actual_current");
  data.charger_phases = IntAt(charge, "charger_phases");
  data.time_to_full_charge_h = Rounded(NumberAt(charge, "time_to_full_charge"), 2);
  data.fast_charger_present = BoolAt(charge, "fast_charger_present");
  data.fast_charger_type = MeaningfulStringAt(charge, "fast_charger_type");
  data.fast_charger_brand = MeaningfulStringAt(charge, "fast_charger_brand");
  data.conn_charge_cable = MeaningfulStringAt(charge, "conn_charge_cable");
  data.charge_port_door_open = BoolAt(charge, "charge_port_door_open");
  data.charge_rate_kmh = MilesToKm(NumberAt(charge, "charge_rate"));
  data.energy_remaining_kwh = Rounded(NumberAt(charge, "energy_remaining"), 3);

  Object::Ptr climate = ChildObject(root, "climate_state");
  data.inside_temp_c = Rounded(NumberAt(climate, "inside_temp"), 1);
  data.outside_temp_c = Rounded(NumberAt(climate, "outside_temp"), 1);
  data.is_climate_on = BoolAt(climate, "is_climate_on");
  data.is_preconditioning = BoolAt(climate, "is_preconditioning");

  Object::Ptr drive = ChildObject(root, "drive_state");
  Object::Ptr location = ChildObject(root, "location_data");
  data.shift_state = MeaningfulStringAt(drive, "shift_state");
  data.speed_kmh = MilesToKm(NumberAt(drive, "speed"));
  data.power_kw = Rounded(NumberAt(drive, "power"), 2);
  std::optional<double> latitude = NumberAt(drive, "latitude");
  std::optional<double> longitude = NumberAt(drive, "longitude");
  if (!latitude || !longitude) {
    latitude = NumberAt(location, "latitude");
    longitude = NumberAt(location, "longitude");
  }
  if (latitude && longitude && ValidLatitude(*latitude) && ValidLongitude(*longitude)) {
    data.latitude = latitude;
    data.longitude = longitude;
  }
  data.heading = IntAt(drive, "heading");
  if (!data.heading) data.heading = IntAt(location, "heading");
  data.gps_as_of_s = Integer(Field(drive, "gps_as_of"));
  if (!data.gps_as_of_s) data.gps_as_of_s = Integer(Field(location, "gps_as_of"));
  data.active_route_destination = MeaningfulStringAt(drive, "active_route_destination");
  data.active_route_minutes_to_arrival = NumberAt(drive, "active_route_minutes_to_arrival");
  if (!data.active_route_destination)
    data.active_route_destination = MeaningfulStringAt(location, "active_route_destination");
  if (!data.active_route_minutes_to_arrival) {
    data.active_route_minutes_to_arrival = NumberAt(location, "active_route_minutes_to_arrival");
  }

  Object::Ptr state = ChildObject(root, "vehicle_state");
  data.odometer_km = MilesToKm(NumberAt(state, "odometer"));
  data.car_version = MeaningfulStringAt(state, "car_version");
  data.locked = BoolAt(state, "locked");
  data.sentry_mode = BoolAt(state, "sentry_mode");
  data.is_user_present = BoolAt(state, "is_user_present");
  Object::Ptr update = ChildObject(state, "software_update");
  // "" is a real status (no update pending), so it is kept; a blank version is not a version.
  data.software_update_status = StringAt(update, "status");
  data.software_update_version = MeaningfulStringAt(update, "version");
  data.vehicle_name = MeaningfulStringAt(state, "vehicle_name");
  data.tpms_pressure_fl_bar = NumberAt(state, "tpms_pressure_fl");
  data.tpms_pressure_fr_bar = NumberAt(state, "tpms_pressure_fr");
  data.tpms_pressure_rl_bar = NumberAt(state, "tpms_pressure_rl");
  data.tpms_pressure_rr_bar = NumberAt(state, "tpms_pressure_rr");
  if (data.vehicle.display_name.empty() && data.vehicle_name) data.vehicle.display_name = *data.vehicle_name;

  Object::Ptr config = ChildObject(root, "vehicle_config");
  data.car_type = MeaningfulStringAt(config, "car_type");
  data.trim_badging = MeaningfulStringAt(config, "trim_badging");
  data.exterior_color = MeaningfulStringAt(config, "exterior_color");

  Object::Ptr gui = ChildObject(root, "gui_settings");
  data.gui_distance_units = MeaningfulStringAt(gui, "gui_distance_units");
  data.gui_temperature_units = MeaningfulStringAt(gui, "gui_temperature_units");
  return data;
}

namespace {

// The summed power of live_status.wall_connectors: entries without a numeric wall_connector_power add nothing,
// negative ones count as 0 (a connector draws, it never feeds); nullopt for no list or an empty one.
std::optional<double> WallConnectorPowerW(const Array::Ptr& list) {
  if (!list || list->size() == 0) return std::nullopt;
  double total_w = 0;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::optional<double> power_w =
        NumberAt(AsObject(list->get(static_cast<unsigned>(i))), "wall_connector_power");
    if (power_w) total_w += std::max(0.0, *power_w);
  }
  return total_w;
}

}  // namespace

sdk::LiveStatus ParseLiveStatus(const std::string& body) {
  Var response;
  Object::Ptr root = ResponseObject(body, "live_status", response);
  sdk::LiveStatus status;
  status.solar_power_w = Rounded(NumberAt(root, "solar_power"), 0);
  status.battery_power_w = Rounded(NumberAt(root, "battery_power"), 0);
  status.grid_power_w = Rounded(NumberAt(root, "grid_power"), 0);
  status.load_power_w = Rounded(NumberAt(root, "load_power"), 0);
  status.generator_power_w = Rounded(NumberAt(root, "generator_power"), 0);
  status.percentage_charged = Rounded(NumberAt(root, "percentage_charged"), 1);
  status.energy_left_wh = Rounded(NumberAt(root, "energy_left"), 0);
  status.total_pack_energy_wh = Rounded(NumberAt(root, "total_pack_energy"), 0);
  status.grid_status = StringAt(root, "grid_status");
  status.island_status = StringAt(root, "island_status");
  status.storm_mode_active = BoolAt(root, "storm_mode_active");
  status.backup_capable = BoolAt(root, "backup_capable");
  status.timestamp = StringAt(root, "timestamp");
  if (status.timestamp) status.timestamp_ms = ParseRfc3339Ms(*status.timestamp);
  status.wall_connector_power_w = WallConnectorPowerW(AsArray(Field(root, "wall_connectors")));
  status.raw_json = Condense(response);
  return status;
}

sdk::SiteInfo ParseSiteInfo(const std::string& body) {
  Var response;
  Object::Ptr root = ResponseObject(body, "site_info", response);
  sdk::SiteInfo info;
  std::optional<std::int64_t> id = IdFrom(Field(root, "energy_site_id"), true);
  if (!id) id = IdFrom(Field(root, "id"), true);
  info.energy_site_id = id.value_or(0);
  info.site_name = StringOr(root, "site_name");
  info.backup_reserve_percent = IntAt(root, "backup_reserve_percent");
  info.default_real_mode = StringAt(root, "default_real_mode");
  info.installation_date = StringAt(root, "installation_date");
  info.installation_time_zone = StringOr(root, "installation_time_zone");
  info.battery_count = IntAt(root, "battery_count");
  info.nameplate_power_w = NumberAt(root, "nameplate_power");
  info.nameplate_energy_wh = NumberAt(root, "nameplate_energy");
  info.storm_mode_enabled = BoolAt(ChildObject(root, "user_settings"), "storm_mode_enabled");
  if (!info.storm_mode_enabled) info.storm_mode_enabled = BoolAt(root, "storm_mode_enabled");
  Object::Ptr components = ChildObject(root, "components");
  info.has_solar = ComponentFlag(components, "solar");
  info.has_battery = ComponentFlag(components, "battery");
  info.has_grid = ComponentFlag(components, "grid");
  Array::Ptr wall_connectors = AsArray(Field(components, "wall_connectors"));
  info.wall_connector_count = wall_connectors ? static_cast<int>(wall_connectors->size()) : 0;
  info.raw_json = Condense(response);
  return info;
}

sdk::EnergyHistory ParseEnergyHistory(const std::string& body) {
  Var response;
  Object::Ptr root = ResponseObject(body, "energy history", response);
  sdk::EnergyHistory history;
  history.period = StringOr(root, "period");
  history.time_zone = StringOr(root, "installation_time_zone");
  Array::Ptr series = AsArray(Field(root, "time_series"));
  if (!series) return history;
  for (std::size_t i = 0; i < series->size(); ++i) {
    Object::Ptr item = AsObject(series->get(static_cast<unsigned>(i)));
    std::optional<std::string> timestamp = StringAt(item, "timestamp");
    std::optional<std::int64_t> timestamp_ms = timestamp ? ParseRfc3339Ms(*timestamp) : std::nullopt;
    if (!timestamp_ms) continue;
    sdk::EnergyHistoryRow row;
    row.timestamp = *timestamp;
    row.timestamp_ms = *timestamp_ms;
    auto wh = [&item](const char* key) { return NumberAt(item, key).value_or(0.0); };
    row.solar_energy_exported = wh("solar_energy_exported");
    row.generator_energy_exported = wh("generator_energy_exported");
    row.grid_energy_imported = wh("grid_energy_imported");
    row.grid_services_energy_imported = wh("grid_services_energy_imported");
    row.grid_services_energy_exported = wh("grid_services_energy_exported");
    row.grid_energy_exported_from_solar = wh("grid_energy_exported_from_solar");
    row.grid_energy_exported_from_generator = wh("grid_energy_exported_from_generator");
    row.grid_energy_exported_from_battery = wh("grid_energy_exported_from_battery");
    row.battery_energy_exported = wh("battery_energy_exported");
    row.battery_energy_imported_from_grid = wh("battery_energy_imported_from_grid");
    row.battery_energy_imported_from_solar = wh("battery_energy_imported_from_solar");
    row.battery_energy_imported_from_generator = wh("battery_energy_imported_from_generator");
    row.consumer_energy_imported_from_grid = wh("consumer_energy_imported_from_grid");
    row.consumer_energy_imported_from_solar = wh("consumer_energy_imported_from_solar");
    row.consumer_energy_imported_from_battery = wh("consumer_energy_imported_from_battery");
    row.consumer_energy_imported_from_generator = wh("consumer_energy_imported_from_generator");
    history.rows.push_back(std::move(row));
  }
  return history;
}

std::vector<sdk::BackupEvent> ParseBackupHistory(const std::string& body) {
  Var response;
  Object::Ptr root = ResponseObject(body, "backup history", response);
  std::vector<sdk::BackupEvent> events;
  Array::Ptr items = AsArray(Field(root, "events"));
  if (!items) return events;
  for (std::size_t i = 0; i < items->size(); ++i) {
    Object::Ptr item = AsObject(items->get(static_cast<unsigned>(i)));
    std::optional<std::string> timestamp = StringAt(item, "timestamp");
    std::optional<std::int64_t> timestamp_ms = timestamp ? ParseRfc3339Ms(*timestamp) : std::nullopt;
    if (!timestamp_ms) continue;
    sdk::BackupEvent event;
    event.timestamp = *timestamp;
    event.timestamp_ms = *timestamp_ms;
    event.duration_s = std::max<std::int64_t>(0, Integer(Field(item, "duration")).value_or(0));
    events.push_back(std::move(event));
  }
  return events;
}

ErrorBody ParseErrorBody(const std::string& body) {
  ErrorBody result;
  Object::Ptr root;
  try {
    root = AsObject(ParseJson(body));
  } catch (const Poco::Exception&) {
    return result;
  } catch (const std::exception&) {
    return result;
  }
  result.error = StringOr(root, "error");
  result.error_description = StringOr(root, "error_description");
  return result;
}

namespace {

std::string BaseUrlAfterMarker(const std::string& text) {
  static constexpr std::string_view kMarker = "use base URL:";
  std::size_t at = text.find(kMarker);
  if (at == std::string::npos) return {};
  std::size_t start = text.find_first_not_of(" \t", at + kMarker.size());
  if (start == std::string::npos) return {};
  // Both schemes are extracted; whether to follow is the client's decision (IsTrustedRegionRedirect).
  std::string_view kScheme = "https://";
  if (text.compare(start, kScheme.size(), kScheme) != 0) {
    kScheme = "http://";
    if (text.compare(start, kScheme.size(), kScheme) != 0) return {};
  }
  std::size_t host_start = start + kScheme.size();
  std::size_t end = host_start;
  while (end < text.size()) {
    char c = text[end];
    bool host_char =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':';
    if (!host_char) break;
    ++end;
  }
  while (end > host_start && (text[end - 1] == '.' || text[end - 1] == ':')) --end;
  if (end == host_start) return {};
  return std::string(kScheme) + text.substr(host_start, end - host_start);
}

}  // namespace

std::string RegionRedirectFromBody(const std::string& body) {
  ErrorBody error = ParseErrorBody(body);
  for (const std::string* text : {&error.error, &error.error_description}) {
    std::string url = BaseUrlAfterMarker(*text);
    if (!url.empty()) return url;
  }
  // Not a JSON envelope (or the marker sits elsewhere): look at the text itself.
  return BaseUrlAfterMarker(body);
}

bool IsTrustedRegionRedirect(const std::string& target, const std::string& configured_base) {
  try {
    const Poco::URI to(target), from(configured_base);
    std::string host = to.getHost();
    for (auto& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto ends_with = [&](const std::string& suffix) {
      return host.size() > suffix.size() && host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (to.getScheme() == "https" && (ends_with(".tesla.com") || ends_with(".tesla.cn"))) return true;
    // The same host the user configured (a simulator or a proxy of their own), another port is fine; and
    // loopback to loopback (the token stays on this machine).
    auto loopback = [](const std::string& h) { return h == "localhost" || h == "::1" || h.rfind("127.", 0) == 0; };
    if (host.empty() || to.getScheme() != from.getScheme()) return false;
    return host == from.getHost() || (loopback(host) && loopback(from.getHost()));
  } catch (const Poco::Exception&) {
    return false;
  }
}

std::optional<std::int64_t> ParseRfc3339Ms(const std::string& text) {
  std::size_t pos = 0;
  auto digits = [&](std::size_t count, int& out) {
    if (pos + count > text.size()) return false;
    out = 0;
    for (std::size_t k = 0; k < count; ++k) {
      char c = text[pos + k];
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    pos += count;
    return true;
  };
  auto literal = [&](char expected) {
    if (pos < text.size() && text[pos] == expected) {
      ++pos;
      return true;
    }
    return false;
  };

  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!digits(4, year) || !literal('-') || !digits(2, month) || !literal('-') || !digits(2, day)) return std::nullopt;
  if (!(literal('T') || literal('t') || literal(' '))) return std::nullopt;
  if (!digits(2, hour) || !literal(':') || !digits(2, minute) || !literal(':') || !digits(2, second)) {
    return std::nullopt;
  }
  int millis = 0;
  if (literal('.')) {
    int fraction_digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (fraction_digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++fraction_digits;
      ++pos;
    }
    if (fraction_digits == 0) return std::nullopt;
    for (int k = fraction_digits; k < 3; ++k) millis *= 10;
  }
  int offset_minutes = 0;
  if (!literal('Z') && !literal('z')) {
    const bool west = literal('-');
    if (!west && !literal('+')) return std::nullopt;
    int offset_hour = 0;
    int offset_minute = 0;
    if (!digits(2, offset_hour) || !literal(':') || !digits(2, offset_minute)) return std::nullopt;
    if (offset_hour > 23 || offset_minute > 59) return std::nullopt;
    offset_minutes = (west ? -1 : 1) * (offset_hour * 60 + offset_minute);
  }
  if (pos != text.size()) return std::nullopt;

  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const std::int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
  const std::int64_t seconds_of_day = (std::int64_t{hour} * 60 + minute) * 60 + second;
  const std::int64_t seconds = days * 86400 + seconds_of_day - std::int64_t{offset_minutes} * 60;
  return seconds * 1000 + millis;
}

}  // namespace tessie::core::fleet
