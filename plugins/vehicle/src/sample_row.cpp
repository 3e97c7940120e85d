#include "sample_row.hpp"

#include "local_helpers.hpp"

namespace tessie::vehicle {

sdk::SqlParams SampleValues(const sdk::VehicleData& d, const std::string& place) {
  return {Sql(d.odometer_km),
          Sql(d.battery_level),
          Sql(d.usable_battery_level),
          Sql(d.battery_range_km),
          Sql(d.est_battery_range_km),
          Sql(d.charging_state),
          Sql(d.charge_limit_soc),
          Sql(d.charger_power_kw),
          Sql(d.charge_energy_added_kwh),
          Sql(d.time_to_full_charge_h),
          Sql(d.latitude),
          Sql(d.longitude),
          Sql(d.speed_kmh),
          Sql(d.heading),
          Sql(d.power_kw),
          Sql(d.shift_state),
          Sql(d.inside_temp_c),
          Sql(d.outside_temp_c),
          Sql(d.locked),
          Sql(d.sentry_mode),
          Sql(d.is_user_present),
          Sql(d.car_version),
          Sql(d.software_update_status),
          Sql(d.active_route_destination),
          place,
          d.raw_json.empty() ? sdk::SqlValue() : sdk::SqlValue(d.raw_json)};
}

}  // namespace tessie::vehicle
