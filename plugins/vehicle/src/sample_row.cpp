#include "sample_row.hpp"

#include "tessie/sdk/row.hpp"

namespace tessie::vehicle {

sdk::SqlParams SampleValues(const sdk::VehicleData& d, const std::string& place) {
  return {sdk::ToSql(d.odometer_km),
          sdk::ToSql(d.battery_level),
          sdk::ToSql(d.usable_battery_level),
          sdk::ToSql(d.battery_range_km),
          sdk::ToSql(d.est_battery_range_km),
          sdk::ToSql(d.charging_state),
          sdk::ToSql(d.charge_limit_soc),
          sdk::ToSql(d.charger_power_kw),
          sdk::ToSql(d.charge_energy_added_kwh),
          sdk::ToSql(d.time_to_full_charge_h),
          sdk::ToSql(d.latitude),
          sdk::ToSql(d.longitude),
          sdk::ToSql(d.speed_kmh),
          sdk::ToSql(d.heading),
          sdk::ToSql(d.power_kw),
          sdk::ToSql(d.shift_state),
          sdk::ToSql(d.inside_temp_c),
          sdk::ToSql(d.outside_temp_c),
          sdk::ToSql(d.locked),
          sdk::ToSql(d.sentry_mode),
          sdk::ToSql(d.is_user_present),
          sdk::ToSql(d.car_version),
          sdk::ToSql(d.software_update_status),
          sdk::ToSql(d.active_route_destination),
          place,
          d.raw_json.empty() ? sdk::SqlValue() : sdk::SqlValue(d.raw_json)};
}

}  // namespace tessie::vehicle
