#include "render.h"

#include <Poco/DateTime.h>
#include <Poco/Format.h>
#include <Poco/JSON/Array.h>
#include <Poco/NumberFormatter.h>
#include <Poco/Timestamp.h>

#include <cmath>
#include <numbers>

#include "json_templates.h"

namespace tessie::sim {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr double kKmPerMile = 1.609344;
constexpr double kRad = std::numbers::pi / 180;
constexpr double kEuSinglePhaseMaxKw = 7.4;
constexpr double kDcPackVoltsEmpty = 350;
constexpr double kDcPackVoltsFull = 400;

Object::Ptr NewObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

double Round(double value, int digits) {
  const double scale = std::pow(10, digits);
  return std::round(value * scale) / scale;
}

Poco::Int64 ToInt(double value) { return static_cast<Poco::Int64>(std::llround(value)); }
Poco::Int64 EpochMs(double t_s) { return static_cast<Poco::Int64>(t_s * 1000); }

// Diurnal outside temperature in °C, coldest at 03:00 local.
double OutsideTempC(const TimeZone& zone, double t_s) {
  const double local_hour = std::fmod(t_s + zone.OffsetS(t_s), 86400) / 3600;
  return Round(12 + 6 * std::cos((local_hour - 15) * 15 * kRad), 1);
}

// What the car reports about its charger while charging (all 0 otherwise). AC: phase-to-neutral voltage (the
// car reports ~230 V per phase on a three-phase EU supply, current per phase); EU supplies above 7.4 kW
// (32 A x 230 V) are three-phase. DC: pack voltage rising with SOC, current 0 (as reported at Superchargers).
struct ChargerElectrics {
  int voltage_v = 0;
  Poco::Int64 current_a = 0;
  int phases = 0;  // 0: not reported (null)
};

ChargerElectrics Electrics(const VehicleSpec& spec, const VehicleState& s) {
  ChargerElectrics e;
  if (!s.charging) return e;
  if (s.dc) {
    e.voltage_v = static_cast<int>(std::lround(kDcPackVoltsEmpty + (kDcPackVoltsFull - kDcPackVoltsEmpty) * s.soc));
    return e;
  }
  e.voltage_v = spec.eu_vehicle ? 230 : 240;
  e.phases = spec.eu_vehicle && s.charger_rated_kw > kEuSinglePhaseMaxKw ? 3 : 1;
  e.current_a = ToInt(s.charger_power_kw * 1000 / e.voltage_v / e.phases);
  return e;
}

Object::Ptr ChargeState(const VehicleModel& model, const VehicleState& s, const TimeZone& zone, double now_s) {
  const VehicleSpec& spec = model.Spec();
  const double range_mi = model.RangeKm(s.soc) / kKmPerMile;
  const double miles_per_kwh = 1000 / spec.rated_wh_per_km / kKmPerMile;
  const ChargerElectrics charger = Electrics(spec, s);
  Object::Ptr o = ChargeStateTemplate();
  o->set("battery_level", ToInt(s.soc * 100));
  o->set("battery_range", Round(range_mi, 2));
  o->set("charge_energy_added", Round(s.charge_energy_added_kwh, 2));
  o->set("charge_limit_soc", ToInt(s.target_soc * 100));
  o->set("charge_miles_added_ideal", Round(s.charge_energy_added_kwh * miles_per_kwh * 1.05, 1));
  o->set("charge_miles_added_rated", Round(s.charge_energy_added_kwh * miles_per_kwh, 1));
  o->set("charge_port_door_open", s.plugged_in);
  o->set("charge_port_latch", std::string(s.plugged_in ? "Engaged" : "Disengaged"));
  o->set("charge_rate", Round(s.charger_power_kw * miles_per_kwh, 1));
  o->set("charger_actual_current", charger.current_a);
  if (charger.phases > 0) o->set("charger_phases", charger.phases);
  o->set("charger_power", ToInt(s.charger_power_kw));
  o->set("charger_voltage", charger.voltage_v);
  o->set("charging_state", s.charging_state);
  o->set("conn_charge_cable", std::string(!s.plugged_in ? "<invalid>" : spec.eu_vehicle ? "IEC" : "SAE"));
  o->set("est_battery_range", Round(range_mi * 0.95, 2));
  o->set("fast_charger_brand", std::string(s.plugged_in && s.dc ? "Tesla" : "<invalid>"));
  o->set("fast_charger_present", s.plugged_in && s.dc);
  o->set("fast_charger_type", std::string(!s.plugged_in ? "<invalid>" : s.dc ? "Supercharger" : "ACSingleWireCAN"));
  o->set("ideal_battery_range", Round(range_mi * 1.05, 2));
  o->set("minutes_to_full_charge", ToInt(s.time_to_full_h * 60));
  o->set("scheduled_departure_time", ToInt(zone.LocalMidnightS(now_s) + 86400 + 7.5 * 3600));
  o->set("time_to_full_charge", Round(s.time_to_full_h, 2));
  o->set("timestamp", EpochMs(now_s));
  o->set("usable_battery_level", ToInt(s.soc * 100));
  o->set("energy_remaining", Round(s.soc * spec.battery_kwh, 2));
  o->set("lifetime_energy_used",
         Round(spec.start_odometer_km * spec.consumption_wh_per_km / 1000 + s.lifetime_drive_kwh, 3));
  return o;
}

Object::Ptr ClimateState(const VehicleState& s, const TimeZone& zone, double now_s) {
  const double outside_c = OutsideTempC(zone, now_s);
  Object::Ptr o = ClimateStateTemplate();
  o->set("fan_status", s.driving ? 3 : 0);
  o->set("inside_temp", s.driving ? 21.0 : Round(outside_c + 3, 1));
  o->set("is_auto_conditioning_on", s.driving);
  o->set("is_climate_on", s.driving);
  o->set("outside_temp", outside_c);
  o->set("timestamp", EpochMs(now_s));
  return o;
}

// shift_state: D while driving, P while parked and awake, null when asleep or offline.
Object::Ptr DriveState(const VehicleState& s, const std::string& state, bool location, double now_s) {
  Object::Ptr o = NewObject();
  if (location && s.driving) {
    o->set("active_route_destination", s.destination);
    o->set("active_route_latitude", s.route_to.lat);
    o->set("active_route_longitude", s.route_to.lon);
    o->set("active_route_miles_to_arrival", Round(s.remaining_km / kKmPerMile, 2));
    o->set("active_route_minutes_to_arrival", Round(s.remaining_s / 60, 2));
  }
  o->set("active_route_traffic_minutes_delay", 0);
  if (location) {
    o->set("gps_as_of", ToInt(now_s));
    o->set("heading", ToInt(s.heading_deg));
    o->set("latitude", Round(s.lat, 6));
    o->set("longitude", Round(s.lon, 6));
    o->set("native_latitude", Round(s.lat, 6));
    o->set("native_location_supported", 1);
    o->set("native_longitude", Round(s.lon, 6));
    o->set("native_type", std::string("wgs"));
  }
  o->set("power", ToInt(s.power_kw));
  Poco::Dynamic::Var shift;
  if (s.driving) {
    shift = std::string("D");
  } else if (state == "online") {
    shift = std::string("P");
  }
  o->set("shift_state", shift);
  o->set("speed", s.driving ? Poco::Dynamic::Var(ToInt(s.speed_kmh / kKmPerMile)) : Poco::Dynamic::Var());
  o->set("timestamp", EpochMs(now_s));
  return o;
}

Object::Ptr GuiSettings(const VehicleSpec& spec, double now_s) {
  Object::Ptr o = NewObject();
  o->set("gui_24_hour_time", spec.eu_vehicle);
  o->set("gui_charge_rate_units", std::string(spec.eu_vehicle ? "kW" : "mi/hr"));
  o->set("gui_distance_units", std::string(spec.eu_vehicle ? "km/hr" : "mi/hr"));
  o->set("gui_range_display", std::string("Rated"));
  o->set("gui_temperature_units", std::string(spec.eu_vehicle ? "C" : "F"));
  o->set("gui_tirepressure_units", std::string(spec.eu_vehicle ? "Bar" : "Psi"));
  o->set("show_range_units", false);
  o->set("timestamp", EpochMs(now_s));
  return o;
}

Object::Ptr VehicleConfig(const VehicleModel& model, double now_s) {
  const VehicleSpec& spec = model.Spec();
  Object::Ptr o = VehicleConfigTemplate();
  o->set("car_type", spec.car_type);
  o->set("charge_port_type", std::string(spec.eu_vehicle ? "CCS" : "US"));
  o->set("eu_vehicle", spec.eu_vehicle);
  o->set("exterior_color", spec.exterior_color);
  o->set("timestamp", EpochMs(now_s));
  o->set("trim_badging", spec.trim_badging);
  o->set("utc_offset", model.Zone().OffsetS(now_s));
  o->set("wheel_type", spec.wheel_type);
  return o;
}

Object::Ptr VehicleStateSection(const VehicleSpec& spec, const VehicleState& s, double now_s) {
  Object::Ptr o = VehicleStateTemplate();
  o->set("car_version", spec.car_version);
  o->set("is_user_present", s.driving);
  o->set("odometer", Round(s.odometer_km / kKmPerMile, 6));
  o->set("timestamp", EpochMs(now_s));
  for (const char* wheel : {"fl", "fr", "rl", "rr"}) {
    o->set(std::string("tpms_last_seen_pressure_time_") + wheel, ToInt(now_s - 60));
  }
  o->set("vehicle_name", spec.display_name);
  return o;
}

std::string Din(const EnergySiteSpec& spec, const char* kind, int index) {
  return Poco::format("%s-%Ld-%d", std::string(kind), static_cast<Poco::Int64>(spec.energy_site_id), index);
}

std::string SiteUuid(const EnergySiteSpec& spec) {
  return Poco::format("site-%Ld", static_cast<Poco::Int64>(spec.energy_site_id));
}

Array::Ptr WallConnectorDevices(const EnergySiteSpec& spec, bool with_part_name) {
  Array::Ptr list = new Array;
  for (int i = 1; i <= spec.wall_connectors; ++i) {
    Object::Ptr wc = NewObject();
    wc->set("device_id", Din(spec, "wc-device", i));
    wc->set("din", Din(spec, "wc", i));
    if (with_part_name) wc->set("part_name", std::string("Gen 3 Wall Connector"));
    wc->set("is_active", true);
    list->add(wc);
  }
  return list;
}

}  // namespace

std::string GatewaySerial(const EnergySiteSpec& spec) {
  return Poco::format("GW%010Ld", static_cast<Poco::Int64>(spec.energy_site_id % 10000000000LL));
}

Object::Ptr RenderVehicleSummary(const VehicleModel& model, std::int64_t account_id, const std::string& state,
                                 bool for_products, double now_s) {
  const VehicleSpec& spec = model.Spec();
  Object::Ptr o = NewObject();
  o->set("id", static_cast<Poco::Int64>(spec.id));
  o->set("user_id", static_cast<Poco::Int64>(account_id));
  o->set("vehicle_id", static_cast<Poco::Int64>(spec.vehicle_id));
  o->set("vin", spec.vin);
  o->set("color", Poco::Dynamic::Var());
  o->set("access_type", std::string("OWNER"));
  o->set("display_name", spec.unnamed_in_list ? std::string() : spec.display_name);
  o->set("option_codes", Poco::Dynamic::Var());
  o->set("cached_data", Poco::Dynamic::Var());
  Object::Ptr granular = NewObject();
  granular->set("hide_private", false);
  o->set("granular_access", granular);
  Array::Ptr tokens = new Array;
  tokens->add(Poco::NumberFormatter::formatHex(static_cast<Poco::UInt64>(spec.vehicle_id), 16));
  tokens->add(Poco::NumberFormatter::formatHex(static_cast<Poco::UInt64>(spec.id), 16));
  o->set("tokens", tokens);
  o->set("state", state);
  o->set("in_service", false);
  o->set("id_s", std::to_string(spec.id));
  o->set("calendar_enabled", true);
  o->set("api_version", 80);
  o->set("backseat_token", Poco::Dynamic::Var());
  o->set("backseat_token_updated_at", Poco::Dynamic::Var());
  o->set("ble_autopair_enrolled", false);
  if (for_products) {
    o->set("vehicle_config", VehicleConfig(model, now_s));
    o->set("command_signing", std::string("allowed"));
    o->set("release_notes_supported", true);
  }
  return o;
}

Object::Ptr RenderVehicleData(const VehicleModel& model, std::int64_t account_id, const std::string& state,
                              const std::set<std::string>& sections, double now_s) {
  const VehicleSpec& spec = model.Spec();
  const VehicleState s = model.StateAt(now_s);
  const TimeZone& zone = model.Zone();
  Object::Ptr o = RenderVehicleSummary(model, account_id, state, false, now_s);
  // vehicle_data's envelope has no display_name, option_codes or cached_data (see the fixtures).
  o->remove("display_name");
  o->remove("option_codes");
  o->remove("cached_data");
  const auto wants = [&](const char* name) { return sections.count(name) > 0; };
  if (wants("charge_state")) o->set("charge_state", ChargeState(model, s, zone, now_s));
  if (wants("climate_state")) o->set("climate_state", ClimateState(s, zone, now_s));
  if (wants("drive_state")) o->set("drive_state", DriveState(s, state, wants("location_data"), now_s));
  if (wants("gui_settings")) o->set("gui_settings", GuiSettings(spec, now_s));
  if (wants("vehicle_config")) o->set("vehicle_config", VehicleConfig(model, now_s));
  if (wants("vehicle_state") || wants("closures_state")) o->set("vehicle_state", VehicleStateSection(spec, s, now_s));
  if (wants("charge_schedule_data")) {
    Object::Ptr schedule = ChargeScheduleDataTemplate();
    schedule->getObject("timestamp")->set("seconds", ToInt(now_s));
    o->set("charge_schedule_data", schedule);
  }
  return o;
}

Object::Ptr RenderProductsSite(EnergyModel& site, double now_s) {
  const EnergySiteSpec& spec = site.Spec();
  const SiteStep* step = site.StepAt(now_s);
  const double soc_pct = site.SocPctAt(now_s);
  Object::Ptr o = ProductsSiteTemplate();
  o->set("energy_site_id", static_cast<Poco::Int64>(spec.energy_site_id));
  o->set("resource_type", std::string(spec.battery_count > 0 ? "battery" : "solar"));
  o->set("site_name", spec.site_name);
  o->set("id", SiteUuid(spec));
  o->set("gateway_id", GatewaySerial(spec));
  o->set("asset_site_id", SiteUuid(spec));
  o->set("warp_site_number", Poco::format("STE%Ld", static_cast<Poco::Int64>(spec.energy_site_id)));
  o->set("energy_left", soc_pct / 100 * site.CapacityWh());
  o->set("total_pack_energy", ToInt(site.CapacityWh()));
  o->set("percentage_charged", soc_pct);
  o->set("battery_power", step ? ToInt(step->battery_w) : 0);
  Object::Ptr components = o->getObject("components");
  components->set("battery", spec.battery_count > 0);
  components->set("solar", spec.solar_peak_kw > 0);
  Array::Ptr wall_connectors = WallConnectorDevices(spec, false);
  components->set("wall_connectors", wall_connectors);
  return o;
}

Object::Ptr RenderSiteInfo(const EnergyModel& site) {
  const EnergySiteSpec& spec = site.Spec();
  Object::Ptr o = SiteInfoTemplate();
  o->set("id", SiteUuid(spec));
  o->set("site_name", spec.site_name);
  o->set("backup_reserve_percent", ToInt(spec.backup_reserve_pct));
  o->set("installation_date", spec.installation_date);
  Object::Ptr components = o->getObject("components");
  components->set("solar", spec.solar_peak_kw > 0);
  components->set("battery", spec.battery_count > 0);
  Object::Ptr gateway = components->getArray("gateways")->getObject(0);
  gateway->set("device_id", Din(spec, "gw-device", 1));
  gateway->set("din", Din(spec, "gw", 1));
  gateway->set("serial_number", GatewaySerial(spec));
  gateway->set("site_id", SiteUuid(spec));
  Array::Ptr batteries = new Array;
  for (int i = 1; i <= spec.battery_count; ++i) {
    Object::Ptr battery = NewObject();
    battery->set("device_id", Din(spec, "pw-device", i));
    battery->set("din", Din(spec, "pw", i));
    battery->set("serial_number",
                 Poco::format("TG%010Ld%d", static_cast<Poco::Int64>(spec.energy_site_id % 10000000000LL), i));
    battery->set("part_number", std::string("3012170-10-B"));
    battery->set("part_type", 2);
    battery->set("part_name", std::string("Powerwall 2"));
    battery->set("nameplate_max_charge_power", ToInt(spec.battery_power_kw * 1000));
    battery->set("nameplate_max_discharge_power", ToInt(spec.battery_power_kw * 1000));
    battery->set("nameplate_energy", ToInt(spec.battery_capacity_kwh * 1000));
    batteries->add(battery);
  }
  components->set("batteries", batteries);
  components->set("wall_connectors", WallConnectorDevices(spec, true));
  o->set("battery_count", spec.battery_count);
  o->set("nameplate_power", ToInt(spec.battery_count * spec.battery_power_kw * 1000));
  o->set("nameplate_energy", ToInt(site.CapacityWh()));
  o->set("installation_time_zone", spec.time_zone);
  return o;
}

Object::Ptr RenderLiveStatus(EnergyModel& site, double now_s) {
  const EnergySiteSpec& spec = site.Spec();
  const SiteStep* step = site.StepAt(std::max(now_s, site.StartS()));
  const double soc_pct = site.SocPctAt(now_s);
  Object::Ptr o = NewObject();
  o->set("solar_power", ToInt(step->solar_w));
  o->set("energy_left", Round(soc_pct / 100 * site.CapacityWh(), 2));
  o->set("total_pack_energy", ToInt(site.CapacityWh()));
  o->set("percentage_charged", soc_pct);
  o->set("backup_capable", spec.battery_count > 0);
  o->set("battery_power", ToInt(step->battery_w));
  o->set("load_power", ToInt(step->load_w));
  o->set("grid_status", std::string(step->off_grid ? "Inactive" : "Active"));
  o->set("grid_services_active", false);
  o->set("grid_power", ToInt(step->grid_w));
  o->set("grid_services_power", 0);
  o->set("generator_power", 0);
  o->set("island_status", std::string(step->off_grid ? "off_grid_unintentional" : "on_grid"));
  o->set("storm_mode_active", false);
  o->set("timestamp", site.Zone().FormatRfc3339(now_s));
  Array::Ptr wall_connectors = new Array;
  for (int i = 1; i <= spec.wall_connectors; ++i) {
    Object::Ptr wc = NewObject();
    wc->set("din", Din(spec, "wc", i));
    wc->set("wall_connector_state", 2);
    wc->set("wall_connector_fault_state", 2);
    wc->set("wall_connector_power", i == 1 ? ToInt(step->wall_connector_w) : 0);
    wall_connectors->add(wc);
  }
  o->set("wall_connectors", wall_connectors);
  return o;
}

Object::Ptr RenderEnergyRow(const std::string& timestamp, const EnergyFlows& f) {
  Object::Ptr row = NewObject();
  row->set("timestamp", timestamp);
  row->set("solar_energy_exported", f.SolarWh());
  row->set("generator_energy_exported", 0);
  row->set("grid_energy_imported", f.grid_to_home_wh);
  row->set("grid_services_energy_imported", 0);
  row->set("grid_services_energy_exported", 0);
  row->set("grid_energy_exported_from_solar", f.solar_to_grid_wh);
  row->set("grid_energy_exported_from_generator", 0);
  row->set("grid_energy_exported_from_battery", 0);
  row->set("battery_energy_exported", f.battery_to_home_wh);
  row->set("battery_energy_imported_from_grid", 0);
  row->set("battery_energy_imported_from_solar", f.solar_to_battery_wh);
  row->set("battery_energy_imported_from_generator", 0);
  row->set("consumer_energy_imported_from_grid", f.grid_to_home_wh);
  row->set("consumer_energy_imported_from_solar", f.solar_to_home_wh);
  row->set("consumer_energy_imported_from_battery", f.battery_to_home_wh);
  row->set("consumer_energy_imported_from_generator", 0);
  row->set("raw_timestamp", timestamp);
  // The totals appear only when non-zero, as observed.
  const std::pair<const char*, double> totals[] = {
      {"total_home_usage", f.HomeWh()},
      {"total_battery_charge", f.solar_to_battery_wh},
      {"total_battery_discharge", f.battery_to_home_wh},
      {"total_solar_generation", f.SolarWh()},
      {"total_grid_energy_exported", f.solar_to_grid_wh},
  };
  for (const auto& [name, value] : totals) {
    if (value != 0) row->set(name, value);
  }
  return row;
}

Object::Ptr RenderEnergyHistory(EnergyModel& site, const std::string& period, double from_s, double to_s,
                                const TimeZone& zone, double now_s) {
  const auto bucket_start = [&](double t_s) {
    if (period == "day") return t_s;
    if (period == "week" || period == "month") return zone.LocalMidnightS(t_s);
    const Poco::DateTime local(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(t_s + zone.OffsetS(t_s))));
    return zone.LocalDayStartS(local.year(), period == "year" ? local.month() : 1, 1);
  };
  std::vector<std::pair<double, EnergyFlows>> rows;
  site.ForEachCompletedStep(from_s, to_s, now_s, [&](const SiteStep& step) {
    const double start_s = bucket_start(step.start_s);
    if (rows.empty() || rows.back().first != start_s) rows.emplace_back(start_s, EnergyFlows{});
    rows.back().second += step.flows;
  });
  Object::Ptr o = NewObject();
  o->set("serial_number", GatewaySerial(site.Spec()));
  o->set("period", period);
  o->set("installation_time_zone", site.Spec().time_zone);
  if (rows.empty()) {
    o->set("time_series", Poco::Dynamic::Var());
    return o;
  }
  Array::Ptr series = new Array;
  for (const auto& [start_s, flows] : rows) series->add(RenderEnergyRow(zone.FormatRfc3339(start_s), flows));
  o->set("time_series", series);
  return o;
}

Object::Ptr RenderBackupHistory(const EnergyModel& site, double from_s, double to_s, const TimeZone& zone,
                                double now_s) {
  Array::Ptr events = new Array;
  for (const Outage& outage : site.Spec().outages) {
    if (outage.start_s < from_s || outage.start_s >= to_s || outage.start_s > now_s) continue;
    Object::Ptr event = NewObject();
    event->set("timestamp", zone.FormatRfc3339(outage.start_s));
    event->set("duration", ToInt(std::min(outage.duration_s, now_s - outage.start_s)));
    events->add(event);
  }
  Object::Ptr o = NewObject();
  o->set("events", events);
  o->set("total_events", static_cast<int>(events->size()));
  return o;
}

}  // namespace tessie::sim
