#include "energy_model.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace tessie::sim {
namespace {

constexpr double kRad = std::numbers::pi / 180;
constexpr double kJ2000EpochS = 946728000;  // 2000-01-01T12:00:00Z
constexpr double kCloudyFactor = 0.3;

// Sine of the sun's elevation, low-precision solar position (Astronomical Almanac approximation).
double SunElevationSin(double lat_deg, double lon_deg, double t_s) {
  const double n = (t_s - kJ2000EpochS) / 86400;
  const double mean_lon = 280.460 + 0.9856474 * n;
  const double anomaly = (357.528 + 0.9856003 * n) * kRad;
  const double ecliptic_lon = (mean_lon + 1.915 * std::sin(anomaly) + 0.020 * std::sin(2 * anomaly)) * kRad;
  const double obliquity = (23.439 - 0.0000004 * n) * kRad;
  const double declination = std::asin(std::sin(obliquity) * std::sin(ecliptic_lon));
  const double right_ascension = std::atan2(std::cos(obliquity) * std::sin(ecliptic_lon), std::cos(ecliptic_lon));
  const double gmst_deg = 280.46061837 + 360.98564736629 * n;
  const double hour_angle = (gmst_deg + lon_deg) * kRad - right_ascension;
  const double lat = lat_deg * kRad;
  return std::sin(lat) * std::sin(declination) + std::cos(lat) * std::cos(declination) * std::cos(hour_angle);
}

}  // namespace

EnergyFlows& EnergyFlows::operator+=(const EnergyFlows& o) {
  solar_to_home_wh += o.solar_to_home_wh;
  solar_to_battery_wh += o.solar_to_battery_wh;
  solar_to_grid_wh += o.solar_to_grid_wh;
  battery_to_home_wh += o.battery_to_home_wh;
  grid_to_home_wh += o.grid_to_home_wh;
  return *this;
}

EnergyModel::EnergyModel(EnergySiteSpec spec, double scenario_start_s, std::vector<WallConnectorLoad> loads)
    : spec_(std::move(spec)), zone_(spec_.time_zone), start_s_(scenario_start_s), loads_(std::move(loads)) {}

double EnergyModel::SolarPowerW(double t_s) const {
  const double elevation_sin = SunElevationSin(spec_.location.lat, spec_.location.lon, t_s);
  if (elevation_sin <= 0) return 0;
  const auto& cloudy = spec_.cloudy_days;
  const bool is_cloudy = std::find(cloudy.begin(), cloudy.end(), zone_.LocalDate(t_s)) != cloudy.end();
  return spec_.solar_peak_kw * 1000 * elevation_sin * (is_cloudy ? kCloudyFactor : 1.0);
}

double EnergyModel::HouseBaseLoadW(double t_s) const {
  const double local_hour = std::fmod(t_s + zone_.OffsetS(t_s), 86400) / 3600;
  double factor = 1.0;
  if (local_hour < 6)
    factor = 0.7;  // night
  else if (local_hour < 9)
    factor = 1.5;  // breakfast
  else if (local_hour >= 17 && local_hour < 22)
    factor = 2.0;  // evening peak
  return spec_.base_load_w * factor;
}

bool EnergyModel::InOutage(double t_s) const {
  return std::any_of(spec_.outages.begin(), spec_.outages.end(),
                     [t_s](const Outage& o) { return o.start_s <= t_s && t_s < o.start_s + o.duration_s; });
}

void EnergyModel::ExtendTo(size_t index) {
  const double capacity_wh = CapacityWh();
  const double max_power_w = spec_.battery_count * spec_.battery_power_kw * 1000;
  const double reserve_wh = capacity_wh * spec_.backup_reserve_pct / 100;
  constexpr double kStepH = kStepS / 3600;
  while (steps_.size() <= index) {
    SiteStep s;
    s.start_s = start_s_ + static_cast<double>(steps_.size()) * kStepS;
    s.soc_start_wh = steps_.empty() ? capacity_wh * spec_.start_soc_pct / 100 : steps_.back().soc_end_wh;
    const double mid_s = s.start_s + kStepS / 2;
    s.off_grid = InOutage(mid_s);
    for (const WallConnectorLoad& load : loads_) {
      const double overlap_s = std::min(load.end_s, s.start_s + kStepS) - std::max(load.start_s, s.start_s);
      if (overlap_s > 0) s.wall_connector_w += load.power_w * overlap_s / kStepS;
    }
    const double solar_w = SolarPowerW(mid_s);
    const double demand_w = HouseBaseLoadW(mid_s) + s.wall_connector_w;
    const double room_w = (capacity_wh - s.soc_start_wh) / kStepH;
    const double floor_wh = s.off_grid ? 0 : reserve_wh;
    const double available_w = std::max(0.0, (s.soc_start_wh - floor_wh) / kStepH);
    double charge_w = 0, discharge_w = 0, export_w = 0, import_w = 0;
    double solar_to_home_w = std::min(solar_w, demand_w);
    if (solar_w >= demand_w) {
      charge_w = std::min({solar_w - demand_w, max_power_w, room_w});
      export_w = s.off_grid ? 0 : solar_w - demand_w - charge_w;  // off grid: the rest is curtailed
    } else {
      discharge_w = std::min({demand_w - solar_w, max_power_w, available_w});
      import_w = s.off_grid ? 0 : demand_w - solar_w - discharge_w;  // off grid: the rest goes unserved
    }
    s.solar_w = solar_to_home_w + charge_w + export_w;
    s.load_w = solar_to_home_w + discharge_w + import_w;
    s.battery_w = discharge_w - charge_w;
    s.grid_w = import_w - export_w;
    s.soc_end_wh = s.soc_start_wh + (charge_w - discharge_w) * kStepH;
    s.flows = {solar_to_home_w * kStepH, charge_w * kStepH, export_w * kStepH, discharge_w * kStepH, import_w * kStepH};
    steps_.push_back(s);
  }
}

const SiteStep* EnergyModel::StepAt(double t_s) {
  if (t_s < start_s_) return nullptr;
  const auto index = static_cast<size_t>((t_s - start_s_) / kStepS);
  ExtendTo(index);
  return &steps_[index];
}

double EnergyModel::SocPctAt(double t_s) {
  const SiteStep* step = StepAt(t_s);
  if (step == nullptr) return spec_.start_soc_pct;
  const double f = (t_s - step->start_s) / kStepS;
  return (step->soc_start_wh + (step->soc_end_wh - step->soc_start_wh) * f) / CapacityWh() * 100;
}

std::optional<double> EnergyModel::ChargeSolarSharePct(double start_s, double end_s,
                                                       const std::function<double(double)>& energy_at_kwh) {
  if (end_s <= start_s || start_s < start_s_) return std::nullopt;
  double car_total_wh = 0;
  double green_total_wh = 0;
  for (auto index = static_cast<size_t>((start_s - start_s_) / kStepS);; ++index) {
    ExtendTo(index);
    const SiteStep& step = steps_[index];
    if (step.start_s >= end_s) break;
    const double from_s = std::max(start_s, step.start_s);
    const double to_s = std::min(end_s, step.start_s + kStepS);
    const double car_wh = (energy_at_kwh(to_s) - energy_at_kwh(from_s)) * 1000;
    if (to_s <= from_s || car_wh <= 0) continue;
    const EnergyFlows& f = step.flows;
    const double surplus_wh = f.SolarWh() + f.battery_to_home_wh - (f.HomeWh() - car_wh) - f.solar_to_battery_wh;
    car_total_wh += car_wh;
    green_total_wh += std::min(std::max(0.0, surplus_wh), car_wh);
  }
  if (car_total_wh <= 0) return std::nullopt;
  return 100 * green_total_wh / car_total_wh;
}

void EnergyModel::ForEachCompletedStep(double from_s, double to_s, double now_s,
                                       const std::function<void(const SiteStep&)>& fn) {
  const double first_s = std::max(from_s, start_s_);
  const double last_s = std::min(to_s, now_s - kStepS);  // a step is complete once it has ended
  if (last_s < first_s) return;
  auto index = static_cast<size_t>(std::ceil((first_s - start_s_) / kStepS));
  for (; start_s_ + static_cast<double>(index) * kStepS < to_s &&
         start_s_ + static_cast<double>(index) * kStepS <= last_s;
       ++index) {
    ExtendTo(index);
    fn(steps_[index]);
  }
}

}  // namespace tessie::sim
