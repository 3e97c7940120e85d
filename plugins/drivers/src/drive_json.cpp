#include "drive_json.hpp"

#include <Poco/JSON/Array.h>

#include <cmath>

#include "api_input.hpp"
#include "tessie/sdk/row.hpp"

namespace tessie::drivers {
namespace {

using sdk::ToVar;

double Round(double v, int decimals) {
  const double f = std::pow(10.0, decimals);
  return std::round(v * f) / f;
}
// A measurement rounded to what the API shows, or null when there is none.
Poco::Dynamic::Var JsonNumber(const std::optional<double>& v, int decimals) {
  return v ? Poco::Dynamic::Var(Round(*v, decimals)) : Poco::Dynamic::Var();
}

Poco::Dynamic::Var Time(const std::optional<std::int64_t>& ms) {
  return ms ? Poco::Dynamic::Var(FormatIsoUtc(*ms)) : Poco::Dynamic::Var();
}

}  // namespace

Poco::JSON::Object::Ptr DriveToJson(const DriveRow& d) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("id", d.id);
  o->set("vehicle_id", d.vehicle_id);
  o->set("vin", d.vin);
  o->set("display_name", d.display_name);
  o->set("start_time", FormatIsoUtc(d.start_ms));
  o->set("end_time", Time(d.end_ms));
  o->set("start_place", d.start_place);
  o->set("end_place", ToVar(d.end_place));
  o->set("start_latitude", JsonNumber(d.start_latitude, 6));
  o->set("start_longitude", JsonNumber(d.start_longitude, 6));
  o->set("end_latitude", JsonNumber(d.end_latitude, 6));
  o->set("end_longitude", JsonNumber(d.end_longitude, 6));
  o->set("start_odometer_km", JsonNumber(d.start_odometer_km, 3));
  o->set("end_odometer_km", JsonNumber(d.end_odometer_km, 3));
  o->set("distance_km", JsonNumber(d.distance_km, 3));
  o->set("distance_source", ToVar(d.distance_source));
  o->set("duration_s", ToVar(d.duration_s));
  o->set("energy_used_kwh", JsonNumber(d.energy_kwh, 3));
  o->set("energy_source", ToVar(d.energy_source));
  o->set("efficiency_wh_per_km", JsonNumber(d.efficiency_wh_per_km, 1));
  o->set("max_speed_kmh", JsonNumber(d.max_speed_kmh, 1));
  o->set("average_speed_kmh", JsonNumber(d.average_speed_kmh, 1));
  o->set("start_battery_level", ToVar(d.start_battery_level));
  o->set("end_battery_level", ToVar(d.end_battery_level));
  o->set("driver_id", ToVar(d.driver_id));
  o->set("driver_name", ToVar(d.driver_name));
  o->set("attribution", d.attribution);
  return o;
}

Poco::JSON::Object::Ptr DriveWithPathToJson(const DriveRow& drive, const std::vector<PathPoint>& path) {
  auto o = DriveToJson(drive);
  Poco::JSON::Array::Ptr points = new Poco::JSON::Array;
  for (const auto& p : path) {
    Poco::JSON::Object::Ptr point = new Poco::JSON::Object;
    point->set("time", FormatIsoUtc(p.time_ms));
    point->set("latitude", p.latitude);
    point->set("longitude", p.longitude);
    point->set("speed_kmh", JsonNumber(p.speed_kmh, 1));
    point->set("power_kw", JsonNumber(p.power_kw, 1));
    point->set("battery_level", ToVar(p.battery_level));
    points->add(point);
  }
  o->set("path", points);
  return o;
}

Poco::JSON::Object::Ptr DriverStatsToJson(std::int64_t driver_id, const std::string& name,
                                          std::optional<std::int64_t> from_ms, std::optional<std::int64_t> to_ms,
                                          const DriverStats& stats) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("driver_id", driver_id);
  o->set("name", name);
  o->set("from", Time(from_ms));
  o->set("to", Time(to_ms));
  o->set("drives", stats.drives);
  o->set("distance_km", Round(stats.distance_km, 3));
  o->set("duration_s", stats.duration_s);
  o->set("energy_kwh", Round(stats.energy_kwh, 3));
  o->set("efficiency_wh_per_km", JsonNumber(stats.efficiency_wh_per_km, 1));
  Poco::JSON::Object::Ptr shares = new Poco::JSON::Object;
  for (const auto& [currency, amount] : stats.cost_share) shares->set(currency, Round(amount, 2));
  if (stats.cost_share.size() == 1) {
    o->set("charging_cost_share", Round(stats.cost_share.begin()->second, 2));
    o->set("currency", stats.cost_share.begin()->first);
  } else {
    o->set("charging_cost_share", stats.cost_share.empty() ? Poco::Dynamic::Var(0.0) : Poco::Dynamic::Var());
    o->set("currency", Poco::Dynamic::Var());
  }
  o->set("charging_cost_shares", shares);
  return o;
}

}  // namespace tessie::drivers
