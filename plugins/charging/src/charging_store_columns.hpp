#pragma once
// The charging_sessions columns both halves of the store read (charging_store.cpp writes and loads tracks,
// charging_store_reads.cpp serves the REST lists): one list and the index of each column in it.
#include <cstddef>

namespace tessie::charging::store_columns {

inline constexpr const char* kSessionColumns =
    "id, vehicle_id, vin, started_ms, ended_ms, start_battery_level, end_battery_level, energy_added_kwh, "
    "max_power_kw, avg_power_kw, charger_kind, charger_type, place, latitude, longitude, cost, currency, "
    "solar_percentage, estimated, started_estimated, ended_estimated";
enum SessionColumn : std::size_t {
  kId,
  kVehicleId,
  kVin,
  kStartedMs,
  kEndedMs,
  kStartLevel,
  kEndLevel,
  kEnergy,
  kMaxPower,
  kAvgPower,
  kKind,
  kType,
  kPlace,
  kLat,
  kLon,
  kCost,
  kCurrency,
  kSolar,
  kEstimated,
  kStartedEstimated,
  kEndedEstimated,
};

}  // namespace tessie::charging::store_columns
