#include "drive_detector.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <numbers>

namespace tessie::drivers {

namespace {
// Speed assumed over the part of a drive polling did not see: most of the speed seen next to it (the car
// accelerated from or decelerated to a stop), at least 15 km/h.
double UnseenSpeedKmh(const DriveSample& seen) { return std::max(15.0, 0.8 * seen.speed_kmh.value_or(0)); }
}  // namespace

const char* ToString(EnergySource source) {
  switch (source) {
    case EnergySource::kEnergyRemaining:
      return "energy_remaining";
    case EnergySource::kUsableBatteryLevel:
      return "usable_battery_level";
    case EnergySource::kRatedRange:
      return "rated_range";
    case EnergySource::kNone:
      break;
  }
  return "none";
}

const char* ToString(DistanceSource source) { return source == DistanceSource::kOdometer ? "odometer" : "path"; }

double HaversineKm(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kEarthRadiusKm = 6371.0088;
  constexpr double kRad = std::numbers::pi / 180.0;
  const double dlat = (lat2 - lat1) * kRad;
  const double dlon = (lon2 - lon1) * kRad;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

namespace {

// First and last sample for which `get` has a value, when they are two different samples.
template <class Get>
std::optional<std::pair<double, double>> Endpoints(const std::vector<DriveSample>& samples, Get get) {
  const DriveSample* first = nullptr;
  const DriveSample* last = nullptr;
  for (const auto& s : samples) {
    if (!get(s)) continue;
    if (!first) first = &s;
    last = &s;
  }
  if (!first || first == last) return std::nullopt;
  return std::make_pair(static_cast<double>(*get(*first)), static_cast<double>(*get(*last)));
}

}  // namespace

std::optional<DriveSummary> Summarise(const std::vector<DriveSample>& samples, const DriveOptions& options) {
  if (samples.empty()) return std::nullopt;
  DriveSummary d;
  const DriveSample& first = samples.front();
  const DriveSample& last = samples.back();
  d.start_ms = first.time_ms;
  d.end_ms = last.time_ms;
  // The parked sample that ended the drive came some time after the car stopped: estimate the stop from
  // the distance covered since the last driving sample.
  if (samples.size() >= 2 && !last.IsDriving()) {
    const auto& before = samples[samples.size() - 2];
    if (before.IsDriving() && before.odometer_km && last.odometer_km && *last.odometer_km >= *before.odometer_km) {
      const auto unseen_ms =
          static_cast<std::int64_t>((*last.odometer_km - *before.odometer_km) / UnseenSpeedKmh(before) * 3.6e6);
      d.end_ms = std::clamp(before.time_ms + unseen_ms, before.time_ms, last.time_ms);
    }
  }
  d.start_place = first.place;
  d.end_place = last.place;
  d.duration_s = (d.end_ms - d.start_ms) / 1000;

  double path_km = 0;
  const DriveSample* previous = nullptr;
  for (const auto& s : samples) {
    if (s.speed_kmh) d.max_speed_kmh = std::max(d.max_speed_kmh.value_or(*s.speed_kmh), *s.speed_kmh);
    if (!s.HasPosition()) continue;
    ++d.positions;
    if (previous)
      path_km += HaversineKm(*previous->latitude, *previous->longitude, *s.latitude, *s.longitude);
    else {
      d.start_latitude = s.latitude;
      d.start_longitude = s.longitude;
    }
    d.end_latitude = s.latitude;
    d.end_longitude = s.longitude;
    previous = &s;
  }
  if (d.positions < 2) return std::nullopt;

  for (const auto& s : samples) {
    if (!s.odometer_km) continue;
    if (!d.start_odometer_km) d.start_odometer_km = s.odometer_km;
    d.end_odometer_km = s.odometer_km;
  }
  auto odometer = Endpoints(samples, [](const DriveSample& s) { return s.odometer_km; });
  if (odometer && odometer->second >= odometer->first) {
    d.distance_km = odometer->second - odometer->first;
    d.distance_source = DistanceSource::kOdometer;
  } else {
    d.distance_km = path_km;
    d.distance_source = DistanceSource::kPath;
  }
  if (d.distance_km < options.min_distance_km) return std::nullopt;

  for (const auto& s : samples) {
    if (!s.battery_level) continue;
    if (!d.start_battery_level) d.start_battery_level = s.battery_level;
    d.end_battery_level = s.battery_level;
  }
  // The stretch the car was seen on the road: from the first sample in motion (an origin has speed 0) to the
  // last one whose battery is not being charged.
  std::vector<DriveSample> road;
  {
    auto first = std::find_if(samples.begin(), samples.end(),
                              [](const DriveSample& s) { return s.IsDriving() && s.speed_kmh.value_or(1) > 0; });
    auto last = samples.end();
    while (last != first && std::prev(last)->charging) --last;
    road.assign(first, last);
  }
  const auto road_km = Endpoints(road, [](const DriveSample& s) { return s.odometer_km; });
  const bool use_road = d.distance_source == DistanceSource::kOdometer && road_km &&
                        road_km->second - road_km->first >= std::max(0.5, 0.5 * d.distance_km);
  // Energy lost between two samples' values of one source, scaled from the road stretch to the distance.
  auto used = [&](auto get) -> std::optional<double> {
    if (use_road) {
      const DriveSample* a = nullptr;
      const DriveSample* b = nullptr;
      for (const auto& s : road) {
        if (!get(s) || !s.odometer_km) continue;
        if (!a) a = &s;
        b = &s;
      }
      if (a && b && a != b && *b->odometer_km - *a->odometer_km >= std::max(0.5, 0.5 * d.distance_km)) {
        return (static_cast<double>(*get(*a)) - static_cast<double>(*get(*b))) * d.distance_km /
               (*b->odometer_km - *a->odometer_km);
      }
    }
    if (auto e = Endpoints(samples, get)) return e->first - e->second;
    return std::nullopt;
  };
  if (auto e = used([](const DriveSample& s) { return s.energy_remaining_kwh; })) {
    d.energy_used_kwh = *e;
    d.energy_source = EnergySource::kEnergyRemaining;
  } else if (auto u = used([](const DriveSample& s) { return s.usable_battery_level; })) {
    d.energy_used_kwh = *u / 100.0 * options.battery_capacity_kwh;
    d.energy_source = EnergySource::kUsableBatteryLevel;
  } else if (auto r = used([](const DriveSample& s) { return s.battery_range_km; })) {
    d.energy_used_kwh = *r * options.rated_wh_per_km / 1000.0;
    d.energy_source = EnergySource::kRatedRange;
  }
  if (d.energy_used_kwh && d.distance_km > 0) d.efficiency_wh_per_km = *d.energy_used_kwh * 1000.0 / d.distance_km;
  if (d.duration_s > 0) d.average_speed_kmh = d.distance_km / (static_cast<double>(d.duration_s) / 3600.0);
  return d;
}

DriveEvent DriveDetector::Close(std::int64_t vehicle_id) {
  auto it = open_.find(vehicle_id);
  DriveEvent e;
  e.vehicle_id = vehicle_id;
  e.drive_key = it->second.drive_key;
  e.summary = Summarise(it->second.samples, options_);
  e.kind = e.summary ? DriveEvent::Kind::kFinished : DriveEvent::Kind::kDiscarded;
  open_.erase(it);
  return e;
}

std::vector<DriveEvent> DriveDetector::OnSample(std::int64_t vehicle_id, const DriveSample& sample,
                                                std::optional<std::int64_t> received_ms) {
  std::vector<DriveEvent> events;
  auto [last, inserted] = last_time_ms_.try_emplace(vehicle_id, sample.time_ms);
  if (!inserted) {
    if (sample.time_ms <= last->second) return events;
    last->second = sample.time_ms;
  }

  auto open = open_.find(vehicle_id);
  if (open != open_.end() && sample.time_ms - open->second.samples.back().time_ms > options_.max_gap_ms) {
    events.push_back(Close(vehicle_id));
    open = open_.end();
  }

  if (open != open_.end()) {
    open->second.samples.push_back(sample);
    open->second.received_ms = received_ms.value_or(sample.time_ms);
    events.push_back({DriveEvent::Kind::kExtended, vehicle_id, open->second.drive_key, sample, std::nullopt});
    if (!sample.IsDriving()) events.push_back(Close(vehicle_id));
  } else if (sample.IsDriving()) {
    std::optional<DriveSample> origin;
    if (auto parked = last_parked_.find(vehicle_id); parked != last_parked_.end()) {
      origin = DriveOrigin(parked->second, sample);
    }
    if (origin) {
      open_[vehicle_id] = OpenDrive{0, {*origin, sample}, received_ms.value_or(sample.time_ms)};
      events.push_back({DriveEvent::Kind::kStarted, vehicle_id, 0, *origin, std::nullopt});
      events.push_back({DriveEvent::Kind::kExtended, vehicle_id, 0, sample, std::nullopt});
    } else {
      open_[vehicle_id] = OpenDrive{0, {sample}, received_ms.value_or(sample.time_ms)};
      events.push_back({DriveEvent::Kind::kStarted, vehicle_id, 0, sample, std::nullopt});
    }
  }
  if (!sample.IsDriving()) last_parked_[vehicle_id] = sample;
  return events;
}

void DriveDetector::RestoreParked(std::int64_t vehicle_id, const DriveSample& sample) {
  if (sample.IsDriving()) return;
  auto it = last_parked_.find(vehicle_id);
  if (it == last_parked_.end() || it->second.time_ms < sample.time_ms) last_parked_[vehicle_id] = sample;
}

std::optional<DriveSample> DriveOrigin(const DriveSample& parked, const DriveSample& first_driving) {
  if (!parked.odometer_km || !first_driving.odometer_km || parked.time_ms >= first_driving.time_ms) return std::nullopt;
  const double covered_km = *first_driving.odometer_km - *parked.odometer_km;
  const double hours = static_cast<double>(first_driving.time_ms - parked.time_ms) / 3.6e6;
  if (covered_km < 0 || covered_km > 250 * hours) return std::nullopt;
  DriveSample origin = parked;
  origin.shift_state = first_driving.shift_state;
  origin.speed_kmh = 0.0;
  const auto unseen_ms = static_cast<std::int64_t>(covered_km / UnseenSpeedKmh(first_driving) * 3.6e6);
  origin.time_ms = std::max(parked.time_ms + 1, first_driving.time_ms - unseen_ms);
  return origin;
}

std::vector<DriveEvent> DriveDetector::OnState(std::int64_t vehicle_id, std::int64_t /*time_ms*/,
                                               const std::string& state) {
  std::vector<DriveEvent> events;
  if (state == "asleep" && open_.count(vehicle_id)) events.push_back(Close(vehicle_id));
  return events;
}

std::vector<DriveEvent> DriveDetector::Sweep(std::int64_t now_ms) {
  std::vector<std::int64_t> stale;
  for (const auto& [vehicle_id, drive] : open_) {
    if (now_ms - drive.received_ms > options_.max_gap_ms) stale.push_back(vehicle_id);
  }
  std::vector<DriveEvent> events;
  events.reserve(stale.size());
  for (auto vehicle_id : stale) events.push_back(Close(vehicle_id));
  return events;
}

void DriveDetector::SetDriveKey(std::int64_t vehicle_id, std::int64_t drive_key) {
  auto it = open_.find(vehicle_id);
  if (it != open_.end()) it->second.drive_key = drive_key;
}

void DriveDetector::Restore(std::int64_t vehicle_id, std::int64_t drive_key, std::vector<DriveSample> samples,
                            std::int64_t received_ms) {
  if (samples.empty()) return;
  auto& last = last_time_ms_[vehicle_id];
  last = std::max(last, samples.back().time_ms);
  open_[vehicle_id] = OpenDrive{drive_key, std::move(samples), received_ms};
}

}  // namespace tessie::drivers
