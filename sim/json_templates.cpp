// Field sets and JSON types follow Tesla's Fleet API documentation and the real responses in
// tests/fixtures/fleet-api; the values are the simulator's own defaults. Fields the simulation drives are
// overwritten by render.cpp.
#include "json_templates.h"

#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

namespace tessie::sim {
namespace {

Poco::JSON::Object::Ptr Parse(const char* text) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

constexpr const char* kChargeState = R"json({
  "battery_heater_on": false, "battery_level": 0, "battery_range": 0.0, "charge_amps": 16,
  "charge_current_request": 16, "charge_current_request_max": 16, "charge_enable_request": true,
  "charge_energy_added": 0.0, "charge_limit_soc": 80, "charge_limit_soc_max": 100, "charge_limit_soc_min": 50,
  "charge_limit_soc_std": 80, "charge_miles_added_ideal": 0.0, "charge_miles_added_rated": 0.0,
  "charge_port_cold_weather_mode": false, "charge_port_color": "<invalid>", "charge_port_door_open": false,
  "charge_port_latch": "Engaged", "charge_rate": 0.0, "charger_actual_current": 0, "charger_phases": null,
  "charger_pilot_current": 16, "charger_power": 0, "charger_voltage": 0, "charging_state": "Disconnected",
  "conn_charge_cable": "<invalid>", "est_battery_range": 0.0, "fast_charger_brand": "<invalid>",
  "fast_charger_present": false, "fast_charger_type": "<invalid>", "ideal_battery_range": 0.0,
  "max_range_charge_counter": 0, "minutes_to_full_charge": 0, "not_enough_power_to_heat": null,
  "off_peak_charging_enabled": false, "off_peak_charging_times": "all_week", "off_peak_hours_end_time": 360,
  "preconditioning_enabled": false, "preconditioning_times": "weekdays", "scheduled_charging_mode": "Off",
  "scheduled_charging_pending": false, "scheduled_charging_start_time": null,
  "scheduled_charging_start_time_app": 0, "scheduled_departure_time": 0, "scheduled_departure_time_minutes": 450,
  "supercharger_session_trip_planner": false, "time_to_full_charge": 0.0, "timestamp": 0, "trip_charging": false,
  "usable_battery_level": 0, "user_charge_enable_request": null, "module_temp_min": 20.0, "module_temp_max": 21.5,
  "energy_remaining": 0.0, "lifetime_energy_used": 0.0, "charging_schedule_override": false
})json";

constexpr const char* kClimateState = R"json({
  "allow_cabin_overheat_protection": true, "auto_seat_climate_left": false, "auto_seat_climate_right": false,
  "auto_steering_wheel_heat": false, "battery_heater": false, "battery_heater_no_power": null,
  "cabin_overheat_protection": "FanOnly", "cabin_overheat_protection_actively_cooling": false,
  "climate_keeper_mode": "off", "cop_activation_temperature": "Medium", "defrost_mode": 0,
  "driver_temp_setting": 21.0, "fan_status": 0, "hvac_auto_request": "On", "inside_temp": 20.0,
  "is_auto_conditioning_on": false, "is_climate_on": false, "is_front_defroster_on": false,
  "is_preconditioning": false, "is_rear_defroster_on": false, "left_temp_direction": 0, "max_avail_temp": 28.0,
  "min_avail_temp": 15.0, "outside_temp": 15.0, "passenger_temp_setting": 21.0,
  "remote_heater_control_enabled": false, "right_temp_direction": 0, "seat_heater_left": 0,
  "seat_heater_rear_center": 0, "seat_heater_rear_left": 0, "seat_heater_rear_right": 0, "seat_heater_right": 0,
  "side_mirror_heaters": false, "steering_wheel_heat_level": 0, "steering_wheel_heater": false,
  "supports_fan_only_cabin_overheat_protection": true, "timestamp": 0, "wiper_blade_heater": false
})json";

constexpr const char* kVehicleConfig = R"json({
  "aux_park_lamps": "NaPremium", "badge_version": 0, "can_accept_navigation_requests": true,
  "can_actuate_trunks": true, "car_special_type": "base", "car_type": "", "charge_port_type": "US",
  "cop_user_set_temp_supported": true, "dashcam_clip_save_supported": true, "default_charge_to_max": false,
  "driver_assist": "TeslaAP4", "ece_restrictions": false, "efficiency_package": "M32021", "eu_vehicle": false,
  "exterior_color": "", "exterior_trim": "Black", "exterior_trim_override": "", "has_air_suspension": false,
  "has_ludicrous_mode": false, "has_seat_cooling": true, "headlamp_type": "Premium", "interior_trim_type": "Black2",
  "key_version": 2, "motorized_charge_port": true, "paint_color_override": "", "performance_package": "Base",
  "plg": true, "pws": true, "rear_drive_unit": "PM216MOSFET", "rear_seat_heaters": 1, "rear_seat_type": 0,
  "rhd": false, "roof_color": "RoofColorGlass", "seat_type": null, "spoiler_type": "None",
  "sun_roof_installed": null, "supports_qr_pairing": true, "third_row_seats": "None", "timestamp": 0,
  "trim_badging": "", "use_range_badging": true, "utc_offset": 0, "webcam_selfie_supported": true,
  "webcam_supported": true, "wheel_type": ""
})json";

constexpr const char* kVehicleState = R"json({
  "api_version": 80, "autopark_state_v2": "unavailable", "calendar_supported": true, "car_version": "",
  "center_display_state": 0, "dashcam_clip_save_available": false, "dashcam_state": "Unavailable", "df": 0,
  "dr": 0, "fd_window": 0, "feature_bitmask": "fbdffbff,187f", "fp_window": 0, "ft": 0, "is_user_present": false,
  "locked": true,
  "media_info": {
    "a2dp_source_name": "Phone", "audio_volume": 3.0, "audio_volume_increment": 0.333333,
    "audio_volume_max": 10.333333, "media_playback_status": "Stopped", "now_playing_album": "",
    "now_playing_artist": "", "now_playing_duration": 0, "now_playing_elapsed": 0,
    "now_playing_source": "Bluetooth", "now_playing_station": "", "now_playing_title": ""
  },
  "media_state": {"remote_control_enabled": false}, "notifications_supported": true, "odometer": 0.0,
  "parsed_calendar_supported": true, "pf": 0, "pr": 0, "rd_window": 0, "remote_start": false,
  "remote_start_enabled": true, "remote_start_supported": true, "rp_window": 0, "rt": 0, "santa_mode": 0,
  "sentry_mode": false, "sentry_mode_available": true, "service_mode": false, "service_mode_plus": false,
  "software_update": {"download_perc": 0, "expected_duration_sec": 2700, "install_perc": 1, "status": "", "version": " "},
  "speed_limit_mode": {"active": false, "current_limit_mph": 85, "max_limit_mph": 120, "min_limit_mph": 50, "pin_code_set": false},
  "sun_roof_state": "unknown", "vehicle_state_sun_roof_percent_open": 0, "timestamp": 0,
  "tpms_hard_warning_fl": false, "tpms_hard_warning_fr": false, "tpms_hard_warning_rl": false,
  "tpms_hard_warning_rr": false, "tpms_last_seen_pressure_time_fl": 0, "tpms_last_seen_pressure_time_fr": 0,
  "tpms_last_seen_pressure_time_rl": 0, "tpms_last_seen_pressure_time_rr": 0, "tpms_pressure_fl": 2.9,
  "tpms_pressure_fr": 2.9, "tpms_pressure_rl": 2.9, "tpms_pressure_rr": 2.9, "tpms_rcp_front_value": 2.9,
  "tpms_rcp_rear_value": 2.9, "tpms_soft_warning_fl": false, "tpms_soft_warning_fr": false,
  "tpms_soft_warning_rl": false, "tpms_soft_warning_rr": false, "valet_mode": false, "valet_pin_needed": false,
  "vehicle_name": "", "vehicle_self_test_progress": 0, "vehicle_self_test_requested": false,
  "webcam_available": true
})json";

constexpr const char* kChargeScheduleData = R"json({
  "charge_schedules": [], "timestamp": {"seconds": 0, "nanos": 0}, "charge_buffer": 6,
  "max_num_charge_schedules": 100, "next_schedule": false, "show_schedule_complete_state": true
})json";

constexpr const char* kSiteInfo = R"json({
  "id": "", "site_name": "", "backup_reserve_percent": 0, "default_real_mode": "self_consumption",
  "installation_date": "",
  "user_settings": {
    "go_off_grid_test_banner_enabled": false, "storm_mode_enabled": false, "powerwall_onboarding_settings_set": true,
    "powerwall_tesla_electric_interested_in": false, "vpp_tour_enabled": false, "sync_grid_alert_enabled": true,
    "breaker_alert_enabled": true
  },
  "components": {
    "solar": true, "solar_type": "pv_panel", "battery": true, "grid": true, "backup": true, "gateway": "teg",
    "load_meter": true, "tou_capable": true, "storm_mode_capable": true, "flex_energy_request_capable": false,
    "car_charging_data_supported": false, "off_grid_vehicle_charging_reserve_supported": true,
    "vehicle_charging_performance_view_enabled": false, "vehicle_charging_solar_offset_view_enabled": false,
    "battery_solar_offset_view_enabled": true, "solar_value_enabled": true, "energy_value_header": "Energy Value",
    "energy_value_subheader": "Estimated Value", "energy_service_self_scheduling_enabled": true,
    "show_grid_import_battery_source_cards": true, "set_islanding_mode_enabled": true,
    "wifi_commissioning_enabled": true, "backup_time_remaining_enabled": true, "battery_type": "ac_powerwall",
    "configurable": true, "grid_services_enabled": false,
    "gateways": [{
      "device_id": "", "din": "", "serial_number": "", "part_number": "1152100-14-J", "part_type": 10,
      "part_name": "Tesla Backup Gateway 2", "is_active": true, "site_id": "", "firmware_version": "25.10.1 4c3b2a19",
      "updated_datetime": "2025-04-01T00:00:00.000Z"
    }],
    "batteries": [], "wall_connectors": [], "disallow_charge_from_grid_with_solar_installed": true,
    "customer_preferred_export_rule": "pv_only", "net_meter_mode": "battery_ok", "system_alerts_enabled": true
  },
  "version": "25.10.1 4c3b2a19", "battery_count": 0,
  "tou_settings": {
    "optimization_strategy": "economics",
    "schedule": [
      {"target": "off_peak", "week_days": [1, 0], "start_seconds": 0, "end_seconds": 25200},
      {"target": "peak", "week_days": [1, 0], "start_seconds": 25200, "end_seconds": 0}
    ]
  },
  "nameplate_power": 0, "nameplate_energy": 0, "installation_time_zone": "",
  "max_site_meter_power_ac": 1000000000, "min_site_meter_power_ac": -1000000000, "vpp_backup_reserve_percent": 0
})json";

constexpr const char* kProductsSite = R"json({
  "energy_site_id": 0, "resource_type": "battery", "site_name": "", "id": "", "gateway_id": "",
  "asset_site_id": "", "warp_site_number": "", "energy_left": 0.0, "total_pack_energy": 0,
  "percentage_charged": 0.0, "battery_type": "ac_powerwall", "backup_capable": true, "battery_power": 0,
  "go_off_grid_test_banner_enabled": null, "storm_mode_enabled": false, "powerwall_onboarding_settings_set": true,
  "powerwall_tesla_electric_interested_in": null, "vpp_tour_enabled": null, "sync_grid_alert_enabled": true,
  "breaker_alert_enabled": true,
  "components": {
    "battery": true, "battery_type": "ac_powerwall", "solar": true, "solar_type": "pv_panel", "grid": true,
    "load_meter": true, "market_type": "residential", "wall_connectors": []
  },
  "features": {"rate_plan_manager_no_pricing_constraint": true}
})json";

}  // namespace

Poco::JSON::Object::Ptr ChargeStateTemplate() { return Parse(kChargeState); }
Poco::JSON::Object::Ptr ClimateStateTemplate() { return Parse(kClimateState); }
Poco::JSON::Object::Ptr VehicleConfigTemplate() { return Parse(kVehicleConfig); }
Poco::JSON::Object::Ptr VehicleStateTemplate() { return Parse(kVehicleState); }
Poco::JSON::Object::Ptr ChargeScheduleDataTemplate() { return Parse(kChargeScheduleData); }
Poco::JSON::Object::Ptr SiteInfoTemplate() { return Parse(kSiteInfo); }
Poco::JSON::Object::Ptr ProductsSiteTemplate() { return Parse(kProductsSite); }

}  // namespace tessie::sim
