#pragma once
// The charging plugin's model of a session, shared by the detector, the tariff and the store.
#include <cstdint>
#include <optional>
#include <string>

namespace tessie::charging {

inline constexpr const char* kKindAc = "AC";
inline constexpr const char* kKindDc = "DC";
inline constexpr const char* kTypeSupercharger = "Supercharger";
inline constexpr const char* kTypeWallConnector = "Wall Connector";

// One point of a session's charging curve. `energy_added_kwh` is the session's energy so far (not the
// car's raw charge_energy_added, which may count from an earlier charge on the same plug-in).
struct CurvePoint {
  std::int64_t ts_ms = 0;
  std::optional<double> power_kw;
  std::optional<int> battery_level;
  double energy_added_kwh = 0;
};

// The stored fields of a session that the detector owns (cost, currency and solar share are the plugin's).
struct SessionRecord {
  std::int64_t id = 0;  // 0 until the store assigned one
  std::int64_t vehicle_id = 0;
  std::string vin;
  std::int64_t started_ms = 0;
  std::optional<std::int64_t> ended_ms;  // nullopt while the session is open
  std::optional<int> start_battery_level;
  std::optional<int> end_battery_level;  // the latest level while open
  double energy_added_kwh = 0;
  std::optional<double> max_power_kw;
  std::optional<double> avg_power_kw;
  std::string charger_kind = kKindAc;  // "AC" or "DC"
  std::string charger_type;            // "Supercharger", "Wall Connector", "CCS", "CHAdeMO", "DC", "AC" or ""
  std::string place;                   // the vehicle plugin's place name, "" when none
  std::optional<double> latitude;
  std::optional<double> longitude;
  bool estimated = false;  // recorded from the battery gained while the car was not seen
  // The start or end lies between two samples and was estimated from them (energy the car had already
  // added and its power; time to full; energy added since the last charging sample and its power).
  bool started_estimated = false;
  bool ended_estimated = false;
};

}  // namespace tessie::charging
