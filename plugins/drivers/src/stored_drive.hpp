#pragma once
// Finished drives as the store reads them for the REST answers. Plain data.
#include <cstdint>
#include <optional>
#include <string>

namespace tessie::drivers {

// A finished drive as the REST answers show it.
struct DriveRow {
  std::int64_t id = 0;
  std::int64_t vehicle_id = 0;
  std::string vin;
  std::string display_name;
  std::int64_t start_ms = 0;
  std::optional<std::int64_t> end_ms;
  std::string start_place;
  std::optional<std::string> end_place;
  std::optional<double> start_latitude, start_longitude, end_latitude, end_longitude;
  std::optional<double> start_odometer_km, end_odometer_km, distance_km;
  std::optional<std::string> distance_source;
  std::optional<std::int64_t> duration_s;
  std::optional<double> energy_kwh;
  std::optional<std::string> energy_source;
  std::optional<double> efficiency_wh_per_km, max_speed_kmh, average_speed_kmh;
  std::optional<std::int64_t> start_battery_level, end_battery_level, driver_id;
  std::optional<std::string> driver_name;
  std::string attribution;
};

// A point of a drive's path (points without a position are left out).
struct PathPoint {
  std::int64_t time_ms = 0;
  double latitude = 0;
  double longitude = 0;
  std::optional<double> speed_kmh, power_kw;
  std::optional<std::int64_t> battery_level;
};

}  // namespace tessie::drivers
