#include "vehicle_model.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <tuple>

#include "time_zone.h"

namespace tessie::sim {
namespace {

constexpr double kRad = std::numbers::pi / 180;
constexpr double kEarthRadiusKm = 6371.0088;

// Charging curves.
constexpr double kAcRampS = 45;
constexpr double kAcTaperShareOfTarget = 0.05;
constexpr double kAcTaperPointsAtFull = 0.08;
constexpr double kAcTaperFloor = 0.25;
constexpr double kDcRampS = 30;
constexpr double kDcKneeSoc = 0.45;
constexpr double kDcShareAt80 = 0.35;
constexpr double kDcShareAtFull = 0.12;
constexpr size_t kMaxChargeSteps = 2'000'000;

// Drive physics (a mid-size EV); only the shape matters, the total is scaled to consumption_wh_per_km.
constexpr double kMassKg = 1900;
constexpr double kRollingN = 170;       // rolling resistance force
constexpr double kAeroNs2PerM2 = 0.30;  // 0.5 * air density * Cd * A
constexpr double kDrivetrainEfficiency = 0.9;
constexpr double kRegenEfficiency = 0.7;
constexpr double kAuxW = 300;
constexpr double kAccelMs2 = 1.5;
constexpr double kDecelMs2 = 1.8;
constexpr double kViaDipDepth = 0.5;        // speed share lost at a scenario waypoint
constexpr double kGeneratedDipDepth = 0.3;  // at a generated bend
constexpr int kGeneratedPoints = 4;

double BearingDeg(const GeoPoint& a, const GeoPoint& b) {
  const double dlon = (b.lon - a.lon) * kRad;
  const double y = std::sin(dlon) * std::cos(b.lat * kRad);
  const double x = std::cos(a.lat * kRad) * std::sin(b.lat * kRad) -
                   std::sin(a.lat * kRad) * std::cos(b.lat * kRad) * std::cos(dlon);
  return std::fmod(std::atan2(y, x) / kRad + 360, 360);
}

double HaversineKm(const GeoPoint& a, const GeoPoint& b) {
  const double dlat = (b.lat - a.lat) * kRad;
  const double dlon = (b.lon - a.lon) * kRad;
  const double h = std::pow(std::sin(dlat / 2), 2) +
                   std::cos(a.lat * kRad) * std::cos(b.lat * kRad) * std::pow(std::sin(dlon / 2), 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Same value for the same pair of points in either order.
std::uint64_t PairSeed(const GeoPoint& a, const GeoPoint& b) {
  std::uint64_t seed = 0;
  for (double v : {a.lat, a.lon, b.lat, b.lon}) seed = Mix(seed ^ static_cast<std::uint64_t>(std::llround(v * 1e6)));
  return seed;
}

double Smooth(double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return x * x * (3 - 2 * x);
}

// The drive's polyline, and per interior point how much the car slows there.
std::vector<GeoPoint> BuildPath(const GeoPoint& from, const ScheduleEvent& e, double distance_km,
                                std::vector<double>& dip_depths) {
  std::vector<GeoPoint> path{from};
  if (!e.via.empty()) {
    path.insert(path.end(), e.via.begin(), e.via.end());
    path.push_back(e.to);
    dip_depths.assign(e.via.size(), kViaDipDepth);
    return path;
  }
  // Canonical direction, so that the way back is the same road.
  const bool swap = std::tie(from.lat, from.lon) > std::tie(e.to.lat, e.to.lon);
  const GeoPoint& a = swap ? e.to : from;
  const GeoPoint& b = swap ? from : e.to;
  const std::uint64_t seed = PairSeed(a, b);
  const double km_per_deg_lon = 111.320 * std::cos(a.lat * kRad);
  const double km_per_deg_lat = 110.574;
  const double dx = (b.lon - a.lon) * km_per_deg_lon;
  const double dy = (b.lat - a.lat) * km_per_deg_lat;
  const double straight_km = std::hypot(dx, dy);
  std::vector<GeoPoint> inner;
  const auto add = [&](double x_km, double y_km) {
    inner.push_back(GeoPoint{a.lat + y_km / km_per_deg_lat, a.lon + x_km / km_per_deg_lon, ""});
  };
  if (straight_km < 1e-3) {
    // A round trip: a loop whose circumference is about the drive's distance.
    const double radius_km = std::max(0.05, distance_km / (2 * std::numbers::pi) / 1.2);
    const double side = (seed & 1) ? 1 : -1;
    for (int k = 1; k <= kGeneratedPoints + 1; ++k) {
      const double angle = 2 * std::numbers::pi * k / (kGeneratedPoints + 2);
      add(radius_km * (1 - std::cos(angle)), side * radius_km * std::sin(angle));
    }
  } else {
    const double nx = -dy / straight_km;
    const double ny = dx / straight_km;
    const double side = (seed & 1) ? 1 : -1;
    const double phase = static_cast<double>((seed >> 8) % 1000) / 1000 * 2 * std::numbers::pi;
    for (int i = 1; i <= kGeneratedPoints; ++i) {
      const double f = static_cast<double>(i) / (kGeneratedPoints + 1);
      const double offset_km = straight_km * (0.07 * side * std::sin(std::numbers::pi * f) +
                                              0.02 * std::sin(3 * std::numbers::pi * f + phase));
      add(dx * f + nx * offset_km, dy * f + ny * offset_km);
    }
  }
  if (swap) std::reverse(inner.begin(), inner.end());
  path.insert(path.end(), inner.begin(), inner.end());
  path.push_back(e.to);
  dip_depths.assign(inner.size(), kGeneratedDipDepth);
  return path;
}

// Cumulative trapezoid integral of samples at `times`.
std::vector<double> Cumulative(const std::vector<double>& times, const std::vector<double>& values) {
  std::vector<double> out(times.size(), 0);
  for (size_t i = 1; i < times.size(); ++i) {
    out[i] = out[i - 1] + (values[i - 1] + values[i]) / 2 * (times[i] - times[i - 1]);
  }
  return out;
}

Profile BuildDriveProfile(const ScheduleEvent& e, const std::vector<double>& dip_fractions,
                          const std::vector<double>& dip_depths, std::uint64_t seed, double consumption_wh_per_km) {
  const double total_s = e.duration_s;
  const double distance_km = e.distance_km;
  Profile p;
  p.step_s = VehicleModel::kDriveStepS;
  p.profile_end_s = total_s;  // relative here; the caller shifts it
  const size_t segments = std::max<size_t>(1, static_cast<size_t>(std::ceil(total_s / p.step_s - 1e-9)));
  std::vector<double> times(segments + 1);
  for (size_t i = 0; i <= segments; ++i) times[i] = std::min(static_cast<double>(i) * p.step_s, total_s);

  const double average_ms = distance_km * 1000 / total_s;
  const double accel_s = std::clamp(average_ms * 1.15 / kAccelMs2, 1.0, total_s / 4);
  const double decel_s = std::clamp(average_ms * 1.15 / kDecelMs2, 1.0, total_s / 4);
  const double phase1 = static_cast<double>(seed % 997) / 997 * 2 * std::numbers::pi;
  const double phase2 = static_cast<double>((seed >> 16) % 991) / 991 * 2 * std::numbers::pi;
  std::vector<double> shape(segments + 1);
  for (size_t i = 0; i <= segments; ++i) {
    const double t = times[i];
    const double cruise = 1 + 0.06 * std::sin(2 * std::numbers::pi * t / 300 + phase1) +
                          0.04 * std::sin(2 * std::numbers::pi * t / 110 + phase2);
    shape[i] = Smooth(t / accel_s) * Smooth((total_s - t) / decel_s) * cruise;
  }
  // Slow down around the moments the undisturbed profile passes each waypoint.
  const std::vector<double> undisturbed = Cumulative(times, shape);
  const double sigma_s = std::clamp(total_s / 40, 4.0, 20.0);
  for (size_t k = 0; k < dip_fractions.size(); ++k) {
    const double target = dip_fractions[k] * undisturbed.back();
    const size_t j = std::clamp<size_t>(
        std::lower_bound(undisturbed.begin(), undisturbed.end(), target) - undisturbed.begin(), 1, segments);
    const double span = undisturbed[j] - undisturbed[j - 1];
    const double pass_s =
        times[j - 1] + (span > 0 ? (target - undisturbed[j - 1]) / span : 0) * (times[j] - times[j - 1]);
    for (size_t i = 0; i <= segments; ++i) {
      shape[i] *= 1 - dip_depths[k] * std::exp(-std::pow((times[i] - pass_s) / sigma_s, 2));
    }
  }
  const std::vector<double> integral = Cumulative(times, shape);
  const double km_per_unit = distance_km / integral.back();  // shape unit-seconds -> km
  p.speed_kmh.resize(segments + 1);
  p.distance_km.resize(segments + 1);
  for (size_t i = 0; i <= segments; ++i) {
    p.speed_kmh[i] = shape[i] * km_per_unit * 3600;
    p.distance_km[i] = integral[i] * km_per_unit;
  }
  p.distance_km.back() = distance_km;

  // Battery power per step from speed and acceleration, then matched to the drive's energy.
  std::vector<double> raw_w(segments);
  double raw_kwh = 0;
  for (size_t i = 0; i < segments; ++i) {
    const double len_s = times[i + 1] - times[i];
    const double v0 = p.speed_kmh[i] / 3.6;
    const double v1 = p.speed_kmh[i + 1] / 3.6;
    const double v = (v0 + v1) / 2;
    const double accel = len_s > 0 ? (v1 - v0) / len_s : 0;
    const double traction_w = kMassKg * accel * v + kRollingN * v + kAeroNs2PerM2 * v * v * v;
    raw_w[i] = (traction_w >= 0 ? traction_w / kDrivetrainEfficiency : traction_w * kRegenEfficiency) + kAuxW;
    raw_kwh += raw_w[i] * len_s / 3.6e6;
  }
  const double target_kwh = distance_km * consumption_wh_per_km / 1000;
  // More energy than the physics needs goes to a constant extra load (climate, heating); less scales it down.
  const double extra_w = raw_kwh <= target_kwh ? (target_kwh - raw_kwh) * 3.6e6 / total_s : 0;
  const double scale = raw_kwh > target_kwh ? target_kwh / raw_kwh : 1;
  p.energy_kwh.assign(1, 0);
  for (size_t i = 0; i < segments; ++i) {
    const double power_kw = (raw_w[i] * scale + extra_w) / 1000;
    p.power_kw.push_back(power_kw);
    p.energy_kwh.push_back(p.energy_kwh.back() + power_kw * (times[i + 1] - times[i]) / 3600);
  }
  return p;
}

// Integrates the charging curve with the midpoint rule on kChargeStepS steps until the target; power is constant
// within a step, so the stored energy is the exact integral of the stored power. Returns the time to the target.
double BuildChargeProfile(const ScheduleEvent& e, double start_soc, double target, double battery_kwh, Profile& p) {
  const auto curve = [&](double elapsed_s, double soc) {
    return e.dc ? DcChargePowerKw(e.power_kw, elapsed_s, soc) : AcChargePowerKw(e.power_kw, elapsed_s, soc, target);
  };
  p.step_s = VehicleModel::kChargeStepS;
  p.energy_kwh.assign(1, 0);
  double soc = start_soc;
  double t = 0;
  while (true) {
    const double h = p.step_s;
    const double estimate_kw = curve(t + h / 2, soc);
    const double power_kw = curve(t + h / 2, std::min(target, soc + estimate_kw * h / 2 / 3600 / battery_kwh));
    const double need_kwh = (target - soc) * battery_kwh;
    const bool last = power_kw * h / 3600 >= need_kwh;
    const double len_s = last ? need_kwh * 3600 / power_kw : h;
    p.power_kw.push_back(power_kw);
    p.energy_kwh.push_back(p.energy_kwh.back() + power_kw * len_s / 3600);
    soc = last ? target : soc + power_kw * len_s / 3600 / battery_kwh;
    t += len_s;
    if (last) return t;
    if (p.power_kw.size() > kMaxChargeSteps) throw ScenarioError("charge at " + FormatUtc(e.start_s) + " never ends");
  }
}

struct Position {
  size_t i = 0;
  double tau_s = 0;
  double len_s = 0;
};

Position Locate(const Profile& p, double start_s, double t_s) {
  const size_t segments = p.power_kw.size();
  const double total_s = p.profile_end_s - start_s;
  const double rel_s = std::clamp(t_s - start_s, 0.0, total_s);
  const size_t i = std::min(static_cast<size_t>(rel_s / p.step_s), segments - 1);
  const double knot_s = static_cast<double>(i) * p.step_s;
  const double len_s = i + 1 == segments ? total_s - knot_s : p.step_s;
  return {i, std::clamp(rel_s - knot_s, 0.0, len_s), len_s};
}

// Point and heading at a share 0..1 of the path's length.
GeoPoint PathPoint(const Activity& a, double share, double& heading_deg) {
  const auto& km = a.path_km;
  const double target_km = std::clamp(share, 0.0, 1.0) * km.back();
  size_t j = std::upper_bound(km.begin(), km.end(), target_km) - km.begin();
  j = std::clamp<size_t>(j, 1, km.size() - 1);
  const double span = km[j] - km[j - 1];
  const double f = span > 0 ? (target_km - km[j - 1]) / span : 1;
  const GeoPoint& p0 = a.path[j - 1];
  const GeoPoint& p1 = a.path[j];
  heading_deg = BearingDeg(p0, p1);
  return GeoPoint{p0.lat + (p1.lat - p0.lat) * f, p0.lon + (p1.lon - p0.lon) * f, ""};
}

double FinalHeadingDeg(const Activity& a) {
  double heading_deg = 0;
  PathPoint(a, 1, heading_deg);
  return heading_deg;
}

}  // namespace

double AcChargePowerKw(double rated_kw, double elapsed_s, double soc, double target_soc) {
  const double ramp = std::clamp(elapsed_s / kAcRampS, 0.0, 1.0);
  const double width = target_soc >= 0.999 ? kAcTaperPointsAtFull : kAcTaperShareOfTarget * target_soc;
  const double into_taper = (soc - (target_soc - width)) / width;
  const double taper = into_taper <= 0 ? 1 : std::max(kAcTaperFloor, 1 - (1 - kAcTaperFloor) * into_taper);
  return rated_kw * ramp * taper;
}

double DcChargePowerKw(double peak_kw, double elapsed_s, double soc) {
  const double ramp = std::clamp(elapsed_s / kDcRampS, 0.0, 1.0);
  double share = 1;
  if (soc > 0.8) {
    share = std::max(kDcShareAtFull, kDcShareAt80 - (kDcShareAt80 - kDcShareAtFull) * (soc - 0.8) / 0.2);
  } else if (soc > kDcKneeSoc) {
    share = 1 - (1 - kDcShareAt80) * (soc - kDcKneeSoc) / (0.8 - kDcKneeSoc);
  }
  return peak_kw * ramp * share;
}

double Activity::EnergyAtKwh(double t_s) const {
  const Position pos = Locate(profile, start_s, std::min(t_s, end_s));
  return profile.energy_kwh[pos.i] + profile.power_kw[pos.i] * pos.tau_s / 3600;
}

double Activity::DistanceAtKm(double t_s) const {
  if (t_s >= end_s) return profile.distance_km.back();
  const Position pos = Locate(profile, start_s, t_s);
  const double v0 = profile.speed_kmh[pos.i];
  const double v1 = profile.speed_kmh[pos.i + 1];
  const double slope = pos.len_s > 0 ? (v1 - v0) / pos.len_s : 0;
  return std::min(profile.distance_km.back(),
                  profile.distance_km[pos.i] + (v0 * pos.tau_s + slope * pos.tau_s * pos.tau_s / 2) / 3600);
}

double Activity::SpeedAtKmh(double t_s) const {
  if (t_s >= end_s) return 0;
  const Position pos = Locate(profile, start_s, t_s);
  const double v0 = profile.speed_kmh[pos.i];
  const double v1 = profile.speed_kmh[pos.i + 1];
  return pos.len_s > 0 ? v0 + (v1 - v0) * pos.tau_s / pos.len_s : v0;
}

double Activity::PowerAtKw(double t_s) const {
  if (t_s < start_s || t_s >= end_s) return 0;
  return profile.power_kw[Locate(profile, start_s, t_s).i];
}

VehicleModel::VehicleModel(VehicleSpec spec, double scenario_start_s, double idle_awake_s)
    : spec_(std::move(spec)), zone_(spec_.time_zone), start_s_(scenario_start_s), idle_awake_s_(idle_awake_s) {
  const double battery_kwh = spec_.battery_kwh;
  double soc = spec_.start_soc_pct / 100;
  double odometer_km = spec_.start_odometer_km;
  GeoPoint position = spec_.home;
  position.name = position.name.empty() ? "Home" : position.name;
  double busy_until_s = scenario_start_s;
  double parked_since_s = scenario_start_s;
  bool plugged_in = false;
  double drain_total_kwh = 0;
  const auto& events = spec_.schedule;
  for (size_t i = 0; i < events.size(); ++i) {
    const ScheduleEvent& e = events[i];
    const std::string what =
        spec_.vin + ": " + (e.kind == ScheduleEvent::Kind::kDrive ? "drive" : "charge") + " at " + FormatUtc(e.start_s);
    if (e.start_s < busy_until_s) {
      throw ScenarioError(what + " starts before the scenario start or the previous activity ends (" +
                          FormatUtc(busy_until_s) + ")");
    }
    const double drain_kwh = plugged_in ? 0 : std::min(DrainKwh(e.start_s - parked_since_s), soc * battery_kwh);
    const double start_soc = soc - drain_kwh / battery_kwh;
    Activity a;
    a.kind = e.kind;
    a.start_s = e.start_s;
    a.start_soc = start_soc;
    a.start_odometer_km = odometer_km;
    a.from = position;
    a.drain_before_kwh = drain_total_kwh + drain_kwh;
    if (e.kind == ScheduleEvent::Kind::kDrive) {
      a.end_s = e.start_s + e.duration_s;
      a.energy_kwh = e.distance_km * spec_.consumption_wh_per_km / 1000;
      a.end_soc = start_soc - a.energy_kwh / battery_kwh;
      if (a.end_soc < 0)
        throw ScenarioError(what + " needs more energy than the battery holds; add a charge before it");
      a.end_odometer_km = odometer_km + e.distance_km;
      a.to = e.to;
      a.power_kw = a.energy_kwh / (e.duration_s / 3600);
      std::vector<double> dip_depths;
      a.path = BuildPath(a.from, e, e.distance_km, dip_depths);
      a.path_km.assign(1, 0);
      for (size_t k = 1; k < a.path.size(); ++k)
        a.path_km.push_back(a.path_km.back() + HaversineKm(a.path[k - 1], a.path[k]));
      std::vector<double> dip_fractions;
      for (size_t k = 1; k + 1 < a.path.size(); ++k) {
        dip_fractions.push_back(a.path_km.back() > 0 ? a.path_km[k] / a.path_km.back() : 0);
      }
      a.profile = BuildDriveProfile(e, dip_fractions, dip_depths, PairSeed(a.from, a.to) ^ Mix(std::llround(e.start_s)),
                                    spec_.consumption_wh_per_km);
      a.profile.profile_end_s += a.start_s;
      a.max_speed_kmh = *std::max_element(a.profile.speed_kmh.begin(), a.profile.speed_kmh.end());
      a.max_power_kw = *std::max_element(a.profile.power_kw.begin(), a.profile.power_kw.end());
      position = e.to;
    } else {
      const double target = std::clamp(e.target_soc_pct / 100, 0.0, 1.0);
      if (target <= start_soc) continue;  // nothing to add: the car does not start a session
      a.full_s = e.start_s + BuildChargeProfile(e, start_soc, target, battery_kwh, a.profile);
      a.profile.profile_end_s = a.full_s;
      const double next_start_s = i + 1 < events.size() ? events[i + 1].start_s : INFINITY;
      const double stop_s = e.max_duration_s > 0 ? e.start_s + e.max_duration_s : INFINITY;
      a.end_s = std::min({a.full_s, next_start_s, stop_s});
      a.target_reached = a.end_s == a.full_s;
      a.energy_kwh = a.EnergyAtKwh(a.end_s);
      a.end_soc = a.target_reached ? target : start_soc + a.energy_kwh / battery_kwh;
      a.end_odometer_km = odometer_km;
      a.to = position;
      a.power_kw = e.power_kw;
      for (size_t k = 0; k < a.profile.power_kw.size() && a.start_s + k * a.profile.step_s < a.end_s; ++k) {
        a.max_power_kw = std::max(a.max_power_kw, a.profile.power_kw[k]);
      }
      a.dc = e.dc;
      a.site_id = e.site_id;
      a.target_soc = target;
    }
    soc = a.end_soc;
    odometer_km = a.end_odometer_km;
    busy_until_s = a.end_s;
    parked_since_s = a.end_s;
    plugged_in = a.kind == ScheduleEvent::Kind::kCharge;
    drain_total_kwh += drain_kwh;
    activities_.push_back(std::move(a));
  }
}

double VehicleModel::DrainKwh(double parked_s) const {
  const double awake_s = std::clamp(parked_s, 0.0, idle_awake_s_);
  const double asleep_s = std::max(0.0, parked_s - idle_awake_s_);
  return (spec_.drain_awake_w * awake_s + spec_.drain_asleep_w * asleep_s) / 3.6e6;
}

VehicleState VehicleModel::StateAt(double t_s) const {
  const double battery_kwh = spec_.battery_kwh;
  VehicleState s;
  s.soc = spec_.start_soc_pct / 100;
  s.odometer_km = spec_.start_odometer_km;
  s.lat = spec_.home.lat;
  s.lon = spec_.home.lon;
  const Activity* last = nullptr;
  double heading_deg = 0;
  for (const Activity& a : activities_) {
    if (a.start_s > t_s) break;
    if (last != nullptr && last->kind == ScheduleEvent::Kind::kDrive) heading_deg = FinalHeadingDeg(*last);
    last = &a;
    if (a.kind == ScheduleEvent::Kind::kDrive)
      s.lifetime_drive_kwh += t_s >= a.end_s ? a.energy_kwh : a.EnergyAtKwh(t_s);
  }
  if (last == nullptr) {
    s.drain_kwh = std::min(DrainKwh(t_s - start_s_), s.soc * battery_kwh);
    s.soc -= s.drain_kwh / battery_kwh;
    return s;
  }
  const Activity& a = *last;
  const bool active = t_s < a.end_s;
  s.drain_kwh = a.drain_before_kwh;
  s.heading_deg = heading_deg;
  // The latest charge session's energy stays visible after unplugging, as in the real car.
  for (auto it = activities_.rbegin(); it != activities_.rend(); ++it) {
    if (it->start_s <= t_s && it->kind == ScheduleEvent::Kind::kCharge) {
      s.charge_energy_added_kwh = it->EnergyAtKwh(t_s);
      s.target_soc = it->target_soc;
      break;
    }
  }
  if (a.kind == ScheduleEvent::Kind::kDrive) {
    if (active) {
      const double distance_km = a.DistanceAtKm(t_s);
      const double total_km = a.end_odometer_km - a.start_odometer_km;
      const GeoPoint point = PathPoint(a, distance_km / total_km, s.heading_deg);
      s.driving = true;
      s.soc = a.start_soc - a.EnergyAtKwh(t_s) / battery_kwh;
      s.odometer_km = a.start_odometer_km + distance_km;
      s.lat = point.lat;
      s.lon = point.lon;
      s.speed_kmh = a.SpeedAtKmh(t_s);
      s.power_kw = a.PowerAtKw(t_s);
      s.destination = a.to.name;
      s.route_to = a.to;
      s.remaining_km = total_km - distance_km;
      s.remaining_s = a.end_s - t_s;
    } else {
      const double drain_kwh = std::min(DrainKwh(t_s - a.end_s), a.end_soc * battery_kwh);
      s.soc = a.end_soc - drain_kwh / battery_kwh;
      s.drain_kwh += drain_kwh;
      s.odometer_km = a.end_odometer_km;
      s.lat = a.to.lat;
      s.lon = a.to.lon;
      s.heading_deg = FinalHeadingDeg(a);
    }
    return s;
  }
  // Charge session: plugged in from its start until the next activity starts; the charger covers idle loads.
  s.soc = active ? a.start_soc + a.EnergyAtKwh(t_s) / battery_kwh : a.end_soc;
  s.odometer_km = a.start_odometer_km;
  s.lat = a.from.lat;
  s.lon = a.from.lon;
  s.plugged_in = true;
  s.dc = a.dc;
  s.charger_rated_kw = a.power_kw;
  if (active) {
    s.charging = true;
    s.charging_state = "Charging";
    s.charger_power_kw = a.PowerAtKw(t_s);
    s.power_kw = -s.charger_power_kw;
    s.time_to_full_h = (a.full_s - t_s) / 3600;
  } else {
    s.charging_state = a.target_reached ? "Complete" : "Stopped";
  }
  return s;
}

}  // namespace tessie::sim
