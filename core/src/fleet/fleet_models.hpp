#pragma once
// Fleet API response bodies → the typed sdk models. Pure functions, no I/O; thread-safe.
//
// Every Parse* function takes the whole HTTP body (the {"response": ...} envelope). It throws
// sdk::FleetError(kMalformed, 0, message) only when the body is not JSON or its "response" is missing,
// null or of the wrong JSON type (object vs array). Odd field values never throw: a missing, null or
// wrongly typed field becomes nullopt (or the model's default). Numeric fields accept only JSON numbers,
// boolean fields only JSON booleans, string fields only JSON strings. `raw_json` holds the "response"
// value (for lists: the item) re-serialised compactly with its key order kept.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tessie/sdk/fleet.hpp"

namespace tessie::core::fleet {

constexpr double kKmPerMile = 1.609344;

// GET /api/1/products. An item with `vin` or `vehicle_id` is a vehicle; otherwise one with
// `energy_site_id` is an energy site; anything else is skipped.
sdk::Products ParseProducts(const std::string& body);

// GET /api/1/vehicles (an array; pagination fields are ignored).
std::vector<sdk::VehicleSummary> ParseVehicleList(const std::string& body);

// GET /api/1/vehicles/{tag} and POST .../wake_up (one object). `id` falls back to the `id_s` digits when
// `id` is missing or not an integer.
sdk::VehicleSummary ParseVehicle(const std::string& body);

// GET .../vehicle_data. Miles → km (ranges, odometer, charge_rate), mph → km/h (speed).
// timestamp_ms is the newest numeric `timestamp` (epoch ms) among the sections. Position comes from
// drive_state, else from a top-level location_data section; out-of-range coordinates become nullopt.
// vehicle.display_name falls back to vehicle_state.vehicle_name when the top level has none.
// Tesla's "<invalid>" placeholder and blank strings become nullopt in the optional string fields.
sdk::VehicleData ParseVehicleData(const std::string& body);

// GET /api/1/energy_sites/{id}/live_status. Signs are kept as sent (see sdk::LiveStatus).
sdk::LiveStatus ParseLiveStatus(const std::string& body);

// GET /api/1/energy_sites/{id}/site_info. energy_site_id comes from `energy_site_id`, else `id`
// (integer or all-digit string); it stays 0 when neither is numeric (real responses carry an id like
// "1233-abcd"), so the caller sets it from the site it asked for. storm_mode_enabled is read from
// user_settings, else from the top level.
sdk::SiteInfo ParseSiteInfo(const std::string& body);

// GET .../calendar_history?kind=energy. A null or missing time_series gives no rows; a row without a
// valid RFC 3339 timestamp is skipped; a missing or non-numeric energy field counts as 0 Wh.
sdk::EnergyHistory ParseEnergyHistory(const std::string& body);

// GET .../calendar_history?kind=backup. Null or missing `events` gives no events; an event without a
// valid RFC 3339 timestamp is skipped; a missing or non-numeric duration counts as 0 s.
std::vector<sdk::BackupEvent> ParseBackupHistory(const std::string& body);

// The error envelope {"error": ..., "error_description": ...}. Never throws: fields are empty when the
// body is not a JSON object or a field is not a string.
struct ErrorBody {
  std::string error;
  std::string error_description;
};
ErrorBody ParseErrorBody(const std::string& body);

// From a 421 body ("user out of region, use base URL: https://<host>, see ...") the base URL
// "https://<host>" (scheme and host[:port] only), or "" when the body names none. Never throws.
std::string RegionRedirectFromBody(const std::string& body);

// RFC 3339 date-time ("2024-09-18T08:45:00+10:00", "...Z", optional fraction, which is truncated to ms)
// → epoch milliseconds; nullopt for anything else (including a missing offset or an impossible date).
// Whether the client may send its bearer token to a 421 redirect target: an https Tesla host
// (*.tesla.com, *.tesla.cn), or the host of the configured base URL (a simulator or the user's own proxy).
bool IsTrustedRegionRedirect(const std::string& target, const std::string& configured_base);

std::optional<std::int64_t> ParseRfc3339Ms(const std::string& text);

}  // namespace tessie::core::fleet
