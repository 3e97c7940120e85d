#include "vehicle_model.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "time_zone.h"

namespace tessie::sim {
namespace {

double BearingDeg(const GeoPoint& a, const GeoPoint& b) {
  constexpr double kRad = std::numbers::pi / 180;
  const double dlon = (b.lon - a.lon) * kRad;
  const double y = std::sin(dlon) * std::cos(b.lat * kRad);
  const double x = std::cos(a.lat * kRad) * std::sin(b.lat * kRad) -
                   std::sin(a.lat * kRad) * std::cos(b.lat * kRad) * std::cos(dlon);
  return std::fmod(std::atan2(y, x) / kRad + 360, 360);
}

}  // namespace

VehicleModel::VehicleModel(VehicleSpec spec, double scenario_start_s)
    : spec_(std::move(spec)), zone_(spec_.time_zone) {
  double soc = spec_.start_soc_pct / 100;
  double odometer_km = spec_.start_odometer_km;
  GeoPoint position = spec_.home;
  position.name = position.name.empty() ? "Home" : position.name;
  double busy_until_s = scenario_start_s;
  const auto& events = spec_.schedule;
  for (size_t i = 0; i < events.size(); ++i) {
    const ScheduleEvent& e = events[i];
    const std::string what = spec_.vin + ": " + (e.kind == ScheduleEvent::Kind::kDrive ? "drive" : "charge") +
                             " at " + FormatUtc(e.start_s);
    if (e.start_s < busy_until_s) {
      throw ScenarioError(what + " starts before the scenario start or the previous activity ends (" +
                          FormatUtc(busy_until_s) + ")");
    }
    Activity a;
    a.kind = e.kind;
    a.start_s = e.start_s;
    a.start_soc = soc;
    a.start_odometer_km = odometer_km;
    a.from = position;
    if (e.kind == ScheduleEvent::Kind::kDrive) {
      a.end_s = e.start_s + e.duration_s;
      a.energy_kwh = e.distance_km * spec_.consumption_wh_per_km / 1000;
      a.end_soc = soc - a.energy_kwh / spec_.battery_kwh;
      if (a.end_soc < 0) throw ScenarioError(what + " needs more energy than the battery holds; add a charge before it");
      a.end_odometer_km = odometer_km + e.distance_km;
      a.to = e.to;
      a.power_kw = a.energy_kwh / (e.duration_s / 3600);
      position = e.to;
    } else {
      const double target = std::clamp(e.target_soc_pct / 100, 0.0, 1.0);
      if (target <= soc) continue;  // nothing to add: the car does not start a session
      const double full_s = (target - soc) * spec_.battery_kwh / e.power_kw * 3600;
      const double next_start_s = i + 1 < events.size() ? events[i + 1].start_s : INFINITY;
      const double stop_s = e.max_duration_s > 0 ? e.start_s + e.max_duration_s : INFINITY;
      a.end_s = std::min({e.start_s + full_s, next_start_s, stop_s});
      a.target_reached = a.end_s == e.start_s + full_s;
      a.energy_kwh = e.power_kw * (a.end_s - a.start_s) / 3600;
      a.end_soc = a.target_reached ? target : soc + a.energy_kwh / spec_.battery_kwh;
      a.end_odometer_km = odometer_km;
      a.to = position;
      a.power_kw = e.power_kw;
      a.dc = e.dc;
      a.site_id = e.site_id;
      a.target_soc = target;
    }
    soc = a.end_soc;
    odometer_km = a.end_odometer_km;
    busy_until_s = a.end_s;
    activities_.push_back(a);
  }
}

VehicleState VehicleModel::StateAt(double t_s) const {
  VehicleState s;
  s.soc = spec_.start_soc_pct / 100;
  s.odometer_km = spec_.start_odometer_km;
  s.lat = spec_.home.lat;
  s.lon = spec_.home.lon;
  const Activity* last = nullptr;
  for (const Activity& a : activities_) {
    if (a.start_s > t_s) break;
    last = &a;
    if (a.kind == ScheduleEvent::Kind::kDrive) {
      s.lifetime_drive_kwh += a.energy_kwh * std::clamp((t_s - a.start_s) / (a.end_s - a.start_s), 0.0, 1.0);
    }
  }
  if (last == nullptr) return s;
  const Activity& a = *last;
  const double f = std::clamp((t_s - a.start_s) / (a.end_s - a.start_s), 0.0, 1.0);
  const bool active = t_s < a.end_s;
  s.soc = a.start_soc + (a.end_soc - a.start_soc) * f;
  s.odometer_km = a.start_odometer_km + (a.end_odometer_km - a.start_odometer_km) * f;
  s.lat = a.from.lat + (a.to.lat - a.from.lat) * f;
  s.lon = a.from.lon + (a.to.lon - a.from.lon) * f;
  // The latest charge session's energy stays visible after unplugging, as in the real car.
  for (auto it = activities_.rbegin(); it != activities_.rend(); ++it) {
    if (it->start_s <= t_s && it->kind == ScheduleEvent::Kind::kCharge) {
      s.charge_energy_added_kwh = it->energy_kwh * std::clamp((t_s - it->start_s) / (it->end_s - it->start_s), 0.0, 1.0);
      s.target_soc = it->target_soc;
      break;
    }
  }
  if (a.kind == ScheduleEvent::Kind::kDrive) {
    if (active) {
      s.driving = true;
      s.heading_deg = BearingDeg(a.from, a.to);
      s.speed_kmh = (a.end_odometer_km - a.start_odometer_km) / ((a.end_s - a.start_s) / 3600);
      s.power_kw = a.power_kw;
      s.destination = a.to.name;
      s.route_to = a.to;
      s.remaining_km = (a.end_odometer_km - a.start_odometer_km) * (1 - f);
      s.remaining_s = a.end_s - t_s;
    }
    return s;
  }
  // Charge session: plugged in from its start until the next activity starts.
  s.plugged_in = true;
  s.dc = a.dc;
  if (active) {
    s.charging = true;
    s.charging_state = "Charging";
    s.charger_power_kw = a.power_kw;
    s.power_kw = -a.power_kw;
    s.time_to_full_h = (a.target_soc - s.soc) * spec_.battery_kwh / a.power_kw;
  } else {
    s.charging_state = a.target_reached ? "Complete" : "Stopped";
  }
  return s;
}

}  // namespace tessie::sim
