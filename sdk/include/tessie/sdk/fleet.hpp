#pragma once
// The Tesla Fleet API as plugins see it: typed models (units converted to metric in one place) and the
// client interface. One client per host; it owns tokens, regions, rate limits, backoff, cost and caching.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tessie/sdk/version.hpp"

namespace tessie::sdk {
inline namespace v1 {

// ---- models -------------------------------------------------------------------------------------
// Parsed leniently: unknown fields are ignored; a missing, null or wrongly typed field becomes nullopt
// (the fixtures hold "bad value" strings); nothing here throws on odd data. `raw_json` keeps the
// response's object as received, for storage.

struct VehicleSummary {
  std::int64_t id = 0;          // the vehicle_tag for API calls (exceeds 32 bits)
  std::int64_t vehicle_id = 0;  // the id used by streaming / the car itself
  std::string vin;
  std::string display_name;
  std::string state;  // "online", "asleep", "offline" (or "" when unknown)
  bool in_service = false;
  std::string access_type;  // "OWNER", "DRIVER"
  std::string raw_json;
};

struct EnergySiteSummary {
  std::int64_t energy_site_id = 0;
  std::string site_name;
  std::string resource_type;  // "battery", "solar"
  bool has_battery = false;
  bool has_solar = false;
  bool has_grid = false;
  std::string raw_json;
};

struct Products {
  std::vector<VehicleSummary> vehicles;
  std::vector<EnergySiteSummary> energy_sites;
};

// vehicle_data, converted: miles → km, mph → km/h. Temperatures stay °C, power kW, energy kWh.
struct VehicleData {
  VehicleSummary vehicle;
  std::optional<std::int64_t> timestamp_ms;  // newest of the sections' timestamps

  // charge_state
  std::optional<int> battery_level;         // %
  std::optional<int> usable_battery_level;  // %
  std::optional<double> battery_range_km;   // rated
  std::optional<double> est_battery_range_km;
  std::optional<double> ideal_battery_range_km;
  std::optional<int> charge_limit_soc;        // %
  std::optional<std::string> charging_state;  // Disconnected, Stopped, Charging, Complete, Starting, NoPower
  std::optional<double> charge_energy_added_kwh;
  std::optional<double> charger_power_kw;
  std::optional<int> charger_voltage_v;
  std::optional<int> charger_actual_current_a;
  std::optional<int> charger_phases;
  std::optional<double> time_to_full_charge_h;
  std::optional<bool> fast_charger_present;
  std::optional<std::string> fast_charger_type;
  std::optional<std::string> fast_charger_brand;
  std::optional<std::string> conn_charge_cable;
  std::optional<bool> charge_port_door_open;
  std::optional<double> charge_rate_kmh;  // range added per hour
  std::optional<double> energy_remaining_kwh;

  // climate_state
  std::optional<double> inside_temp_c;
  std::optional<double> outside_temp_c;
  std::optional<bool> is_climate_on;
  std::optional<bool> is_preconditioning;

  // drive_state (position needs endpoints=location_data)
  std::optional<std::string> shift_state;  // P, D, R, N; nullopt when parked and asleep-ish
  std::optional<double> speed_kmh;
  std::optional<double> power_kw;  // negative = regen or charging
  std::optional<int> heading;
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::optional<std::int64_t> gps_as_of_s;
  std::optional<std::string> active_route_destination;
  std::optional<double> active_route_minutes_to_arrival;

  // vehicle_state
  std::optional<double> odometer_km;
  std::optional<std::string> car_version;
  std::optional<bool> locked;
  std::optional<bool> sentry_mode;
  std::optional<bool> is_user_present;
  std::optional<std::string> software_update_status;  // "", available, downloading, scheduled, installing
  std::optional<std::string> software_update_version;
  std::optional<std::string> vehicle_name;
  std::optional<double> tpms_pressure_fl_bar;
  std::optional<double> tpms_pressure_fr_bar;
  std::optional<double> tpms_pressure_rl_bar;
  std::optional<double> tpms_pressure_rr_bar;

  // vehicle_config / gui_settings
  std::optional<std::string> car_type;
  std::optional<std::string> trim_badging;
  std::optional<std::string> exterior_color;
  std::optional<std::string> gui_distance_units;     // "mi/hr", "km/hr"
  std::optional<std::string> gui_temperature_units;  // "F", "C"

  std::string raw_json;
};

// live_status. Signs as the API reports them, kept explicit:
//   battery_power_w  + discharging, − charging;  grid_power_w  + importing, − exporting.
struct LiveStatus {
  std::optional<double> solar_power_w;
  std::optional<double> battery_power_w;
  std::optional<double> grid_power_w;
  std::optional<double> load_power_w;
  std::optional<double> generator_power_w;
  std::optional<double> percentage_charged;
  std::optional<double> energy_left_wh;
  std::optional<double> total_pack_energy_wh;
  std::optional<std::string> grid_status;    // Active, Inactive, Unknown
  std::optional<std::string> island_status;  // on_grid, off_grid_intentional, off_grid_unintentional, ...
  std::optional<bool> storm_mode_active;
  std::optional<bool> backup_capable;
  std::optional<std::string> timestamp;  // RFC 3339 with the site's offset
  std::optional<std::int64_t> timestamp_ms;
  // Σ wall_connectors[].wall_connector_power, each below 0 counted as 0; nullopt when the site reports no
  // wall connector (no list, or an empty one).
  std::optional<double> wall_connector_power_w;
  std::string raw_json;
};

struct SiteInfo {
  std::int64_t energy_site_id = 0;
  std::string site_name;
  std::optional<int> backup_reserve_percent;
  std::optional<std::string> default_real_mode;
  std::optional<std::string> installation_date;  // RFC 3339
  std::string installation_time_zone;            // IANA; may be empty
  std::optional<int> battery_count;
  std::optional<double> nameplate_power_w;
  std::optional<double> nameplate_energy_wh;
  std::optional<bool> storm_mode_enabled;
  bool has_solar = false;
  bool has_battery = false;
  bool has_grid = false;
  int wall_connector_count = 0;  // entries of components.wall_connectors; 0 when none or unknown
  std::string raw_json;
};

// One calendar_history kind=energy row. Energy in Wh.
struct EnergyHistoryRow {
  std::string timestamp;  // RFC 3339 with offset, as sent
  std::int64_t timestamp_ms = 0;
  double solar_energy_exported = 0;
  double generator_energy_exported = 0;
  double grid_energy_imported = 0;
  double grid_services_energy_imported = 0;
  double grid_services_energy_exported = 0;
  double grid_energy_exported_from_solar = 0;
  double grid_energy_exported_from_generator = 0;
  double grid_energy_exported_from_battery = 0;
  double battery_energy_exported = 0;
  double battery_energy_imported_from_grid = 0;
  double battery_energy_imported_from_solar = 0;
  double battery_energy_imported_from_generator = 0;
  double consumer_energy_imported_from_grid = 0;
  double consumer_energy_imported_from_solar = 0;
  double consumer_energy_imported_from_battery = 0;
  double consumer_energy_imported_from_generator = 0;
};

struct EnergyHistory {
  std::string period;
  std::string time_zone;               // installation_time_zone of the response
  std::vector<EnergyHistoryRow> rows;  // empty when time_series is null
};

struct BackupEvent {
  std::string timestamp;
  std::int64_t timestamp_ms = 0;
  std::int64_t duration_s = 0;
};

// ---- errors -------------------------------------------------------------------------------------

enum class FleetErrorKind {
  kNotConnected,  // no token stored, or the user must sign in again (login_required)
  kUnauthorized,  // 401 even after a refresh
  kForbidden,     // 403: missing scopes, unsupported vehicle
  kNotFound,      // 404
  kAsleep,        // 408: the vehicle is asleep or offline; never woken on our own
  kRateLimited,   // 429 (or our own hold-off until Retry-After has passed)
  kBudget,        // the configured daily budget is spent
  kServer,        // 5xx, after retries
  kTimeout,       // no answer in time
  kMalformed,     // the response could not be parsed
  kOther,
};

class TESSIE_SDK_API FleetError : public std::runtime_error {
 public:
  FleetError(FleetErrorKind kind, int status, const std::string& message, int retry_after_s = 0)
      : std::runtime_error(message), kind_(kind), status_(status), retry_after_s_(retry_after_s) {}
  FleetErrorKind Kind() const { return kind_; }
  int Status() const { return status_; }  // HTTP status, 0 when none
  int RetryAfterSeconds() const { return retry_after_s_; }

 private:
  FleetErrorKind kind_;
  int status_;
  int retry_after_s_;
};

// ---- client -------------------------------------------------------------------------------------

enum class VehicleDataScope { kWithLocation, kWithoutLocation };

// Thread-safe. Every call may throw FleetError; none wakes a car except WakeUp.
class TESSIE_SDK_API FleetApi {
 public:
  virtual ~FleetApi() = default;
  // True when a refresh token is stored and auth is not marked broken.
  virtual bool Connected() const = 0;
  virtual Products GetProducts() = 0;
  // /api/1/vehicles, every page (100 per page).
  virtual std::vector<VehicleSummary> ListVehicles() = 0;
  // Free: the car's connectivity state without waking it.
  virtual VehicleSummary GetVehicle(std::int64_t vehicle_tag) = 0;
  // Billed (data). 408 → FleetError kAsleep. Cached for the configured time; identical concurrent calls
  // share one request.
  virtual VehicleData GetVehicleData(std::int64_t vehicle_tag,
                                     VehicleDataScope scope = VehicleDataScope::kWithLocation) = 0;
  // Billed (wakes). Only on a user's explicit request. Not sent (FleetError kBudget) when it would go over
  // today's budget, nor (kRateLimited) while Tesla's 429 or rate-limit hold for this car's wakes lasts.
  virtual VehicleSummary WakeUp(std::int64_t vehicle_tag) = 0;
  virtual LiveStatus GetLiveStatus(std::int64_t energy_site_id) = 0;
  virtual SiteInfo GetSiteInfo(std::int64_t energy_site_id) = 0;
  // kind=energy. period: day, week, month, year, lifetime. start/end RFC 3339; time_zone IANA.
  virtual EnergyHistory GetEnergyHistory(std::int64_t energy_site_id, const std::string& period,
                                         const std::string& start, const std::string& end,
                                         const std::string& time_zone) = 0;
  // kind=backup: grid outages.
  virtual std::vector<BackupEvent> GetBackupHistory(std::int64_t energy_site_id, const std::string& period,
                                                    const std::string& start, const std::string& end,
                                                    const std::string& time_zone) = 0;
  // Whether a data request for this vehicle fits today's budget (polling asks before calling).
  virtual bool WithinBudget(std::int64_t vehicle_tag) const = 0;
};

}  // namespace v1
}  // namespace tessie::sdk
