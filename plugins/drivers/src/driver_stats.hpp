#pragma once
// A driver's totals over a period, and their share of the vehicles' charging cost. Plain logic.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tessie::drivers {

// A finished drive in the period (any driver, or none).
struct DriveRecord {
  std::int64_t vehicle_id = 0;
  std::optional<std::int64_t> driver_id;
  double distance_km = 0;
  std::int64_t duration_s = 0;
  std::optional<double> energy_kwh;
};

// A closed charging session in the period.
struct ChargingCost {
  std::int64_t vehicle_id = 0;
  std::optional<double> cost;  // nullopt when no tariff applied: not shared
  std::string currency;
};

struct DriverStats {
  int drives = 0;
  double distance_km = 0;
  std::int64_t duration_s = 0;
  double energy_kwh = 0;                       // drives with a known energy only
  std::optional<double> efficiency_wh_per_km;  // energy over the distance of those same drives
  std::map<std::string, double> cost_share;    // per currency
};

// `drives` must hold every drive of the period (all drivers), so that shares are computed against the
// whole use of each vehicle. For each vehicle the driver drove, their share of that vehicle's charging
// cost is their energy used on it divided by all energy used on it (drives with negative or unknown energy
// count as 0); when no drive of that vehicle has a positive energy, distance is used instead.
DriverStats ComputeDriverStats(std::int64_t driver_id, const std::vector<DriveRecord>& drives,
                               const std::vector<ChargingCost>& sessions);

}  // namespace tessie::drivers
