#include "vehicle_sample.hpp"

namespace tessie::drivers {

DriveSample ToSample(const sdk::events::VehicleState& e) {
  const auto& d = e.data;
  DriveSample s;
  s.time_ms = e.timestamp_ms != 0 ? e.timestamp_ms : d.timestamp_ms.value_or(0);
  s.shift_state = d.shift_state;
  s.speed_kmh = d.speed_kmh;
  s.power_kw = d.power_kw;
  s.latitude = d.latitude;
  s.longitude = d.longitude;
  s.odometer_km = d.odometer_km;
  s.battery_level = d.battery_level;
  s.usable_battery_level = d.usable_battery_level;
  s.energy_remaining_kwh = d.energy_remaining_kwh;
  s.battery_range_km = d.battery_range_km;
  s.charging = d.charging_state && (*d.charging_state == "Charging" || *d.charging_state == "Starting");
  s.place = e.place;
  return s;
}

VehicleLabel LabelOf(const sdk::events::VehicleState& e) { return {e.vin, e.display_name}; }

}  // namespace tessie::drivers
