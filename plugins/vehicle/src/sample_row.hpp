#pragma once
// How a vehicle_data sample becomes a vehicle_states row (plain logic, no I/O).
#include <cstdint>
#include <string>

#include "tessie/sdk/fleet.hpp"
#include "tessie/sdk/storage.hpp"

namespace tessie::vehicle {

// The vehicle_states columns a sample fills besides vehicle_id, ts_ms and state, in SampleValues' order.
inline constexpr const char* kSampleColumns =
    "odometer_km, battery_level, usable_battery_level, battery_range_km, est_battery_range_km, charging_state, "
    "charge_limit_soc, charger_power_kw, charge_energy_added_kwh, time_to_full_h, latitude, longitude, speed_kmh, "
    "heading, power_kw, shift_state, inside_temp_c, outside_temp_c, locked, sentry_mode, is_user_present, "
    "car_version, software_update_status, destination_name, place, raw_data";
inline constexpr std::size_t kSampleColumnCount = 26;

// The values of kSampleColumns for `data` taken at `place` ("" = none): NULL for what the car did not
// report, booleans as 0/1, the raw response as it came (NULL when there is none).
sdk::SqlParams SampleValues(const sdk::VehicleData& data, const std::string& place);

// When the sample was taken: the car's own timestamp, else `now_ms` (the poll's time). A cached answer keeps
// its timestamp, so it is stored once.
inline std::int64_t SampleTimestampMs(const sdk::VehicleData& data, std::int64_t now_ms) {
  return data.timestamp_ms.value_or(now_ms);
}

}  // namespace tessie::vehicle
