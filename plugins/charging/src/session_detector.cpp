#include "session_detector.hpp"

#include <algorithm>
#include <cmath>

namespace tessie::charging {

namespace {

using sdk::VehicleData;
using sdk::events::VehicleState;

constexpr double kEnergyEpsilonKwh = 0.005;  // the API rounds charge_energy_added to 0.01 kWh
constexpr double kMsPerHour = 3'600'000.0;

bool IsCharging(const std::string& state) { return state == "Charging" || state == "Starting"; }
bool IsEnd(const std::string& state) {
  return state == "Complete" || state == "Stopped" || state == "Disconnected" || state == "NoPower";
}
bool IsPluggedIdle(const std::string& state) { return state == "Complete" || state == "Stopped" || state == "NoPower"; }

std::optional<double> NonNegative(const std::optional<double>& v) {
  if (v && std::isfinite(*v) && *v >= 0) return v;
  return std::nullopt;
}

std::optional<double> PowerKw(const VehicleData& d) {
  if (auto p = NonNegative(d.charger_power_kw)) return p;
  if (d.charger_voltage_v && d.charger_actual_current_a) {
    const int phases = std::max(1, d.charger_phases.value_or(1));
    const double p = *d.charger_voltage_v * static_cast<double>(*d.charger_actual_current_a) * phases / 1000.0;
    if (p >= 0) return p;
  }
  return std::nullopt;
}

std::optional<double> OdometerDelta(const std::optional<LastSeen>& last, const VehicleData& d) {
  if (!last || !last->odometer_km || !d.odometer_km) return std::nullopt;
  return std::abs(*d.odometer_km - *last->odometer_km);
}

LastSeen ToLastSeen(const VehicleState& s) {
  const auto& d = s.data;
  LastSeen l;
  l.ts_ms = s.timestamp_ms;
  l.charging_state = d.charging_state.value_or("");
  l.battery_level = d.battery_level;
  l.usable_battery_level = d.usable_battery_level;
  l.battery_range_km = d.battery_range_km;
  l.odometer_km = d.odometer_km;
  l.energy_remaining_kwh = NonNegative(d.energy_remaining_kwh);
  l.charge_energy_added_kwh = NonNegative(d.charge_energy_added_kwh);
  return l;
}

std::optional<double> AveragePowerKw(double energy_kwh, std::int64_t from_ms, std::int64_t to_ms) {
  if (to_ms <= from_ms) return std::nullopt;
  return energy_kwh / (static_cast<double>(to_ms - from_ms) / kMsPerHour);
}

// Energy over time, never above the peak: samples that missed part of a session (its start, a gap) would
// otherwise make an average higher than any power seen.
std::optional<double> AveragePowerKw(const SessionRecord& r, double energy_kwh, std::int64_t to_ms) {
  auto avg = AveragePowerKw(energy_kwh, r.started_ms, to_ms);
  if (avg && r.max_power_kw) avg = std::min(*avg, *r.max_power_kw);
  return avg;
}

bool Known(const std::optional<std::string>& s) { return s && !s->empty() && *s != "<invalid>"; }

}  // namespace

std::optional<ChargerClass> ClassifyCharger(const VehicleData& d) {
  const std::string type = Known(d.fast_charger_type) ? *d.fast_charger_type : "";
  const std::string brand = Known(d.fast_charger_brand) ? *d.fast_charger_brand : "";
  const bool dc_type = type == "Supercharger" || type == "Tesla" || type == "CHAdeMO" || type == "Combo" ||
                       type == "CCS" || type == "GB" || type == "MCSingleWireCAN";
  if (d.fast_charger_present.value_or(false) || dc_type) {
    if (type == "Supercharger" || type == "Tesla" || brand == "Tesla") return ChargerClass{kKindDc, kTypeSupercharger};
    if (type == "CHAdeMO") return ChargerClass{kKindDc, "CHAdeMO"};
    if (type == "Combo" || type == "CCS") return ChargerClass{kKindDc, "CCS"};
    if (type == "GB") return ChargerClass{kKindDc, "GB/T"};
    return ChargerClass{kKindDc, kKindDc};
  }
  // Tesla's own AC equipment talks to the car over single-wire CAN.
  if (type == "ACSingleWireCAN") return ChargerClass{kKindAc, kTypeWallConnector};
  if (d.charging_state && *d.charging_state != "Disconnected") return ChargerClass{kKindAc, kKindAc};
  return std::nullopt;
}

std::vector<Action> SessionDetector::Feed(const VehicleState& s) {
  std::vector<Action> out;
  if (!s.has_data) return out;
  VehicleTrack& track = tracks_[s.vehicle_id];
  track.vehicle_id = s.vehicle_id;
  if (!s.vin.empty()) track.vin = s.vin;
  if (track.last && s.timestamp_ms <= track.last->ts_ms) return out;

  const auto& d = s.data;
  const std::string state = d.charging_state.value_or("");
  const bool charging = IsCharging(state);
  const bool gap = track.last && s.timestamp_ms - track.last->ts_ms > config_.gap_ms;
  const auto odometer_delta = OdometerDelta(track.last, d);
  const bool moved = odometer_delta && *odometer_delta > config_.max_odometer_delta_km;

  if (gap && track.open) {
    const OpenSession& open = *track.open;
    const auto raw = NonNegative(d.charge_energy_added_kwh);
    const double reference = open.energy_last_raw_kwh.value_or(open.energy_segment_start_kwh);
    const bool counter_reset = raw && *raw < reference - kEnergyEpsilonKwh;
    // Charging again after a gap without driving or a new plug-in: the same session went on.
    if (!charging || moved || counter_reset) {
      CloseAfterGap(track, s, !charging && !moved && !counter_reset, out);
    }
  } else if (!track.open && !charging && (gap || IsPluggedIdle(state))) {
    // After a gap, or a charge that began and finished between two polls (seen only as Complete or
    // Stopped, e.g. a short Supercharger stop while the car was left to sleep).
    MaybeEstimate(track, s, out);
  }

  if (track.open) {
    ApplyReading(*track.open, s, charging);
    if (IsEnd(state)) {
      CloseAtSample(track, s, out);
    } else {
      out.push_back({ActionKind::kUpdate, track.open->record, track.open->curve.back(), {}});
    }
  } else if (charging) {
    Open(track, s, moved, out);
  }
  track.last = ToLastSeen(s);
  return out;
}

void SessionDetector::Open(VehicleTrack& track, const VehicleState& s, bool moved, std::vector<Action>& out) {
  const auto& d = s.data;
  OpenSession open;
  SessionRecord& r = open.record;
  r.vehicle_id = track.vehicle_id;
  r.vin = track.vin;
  r.started_ms = s.timestamp_ms;
  r.start_battery_level = d.battery_level;
  r.end_battery_level = d.battery_level;
  // The raw counter keeps the previous charge's value until the next plug-in resets it: on the same plug-in
  // (car not driven, counter not lower) this session counts from the last value seen before it.
  const auto raw = NonNegative(d.charge_energy_added_kwh);
  const auto before = track.last ? track.last->charge_energy_added_kwh : std::nullopt;
  if (before && !moved && (!raw || *raw >= *before - kEnergyEpsilonKwh)) open.energy_segment_start_kwh = *before;
  track.open = std::move(open);
  ApplyReading(*track.open, s, true);
  // The charge began before this first sample when it has already added energy: at the power seen, it began
  // energy / power earlier (never before the previous sample).
  SessionRecord& opened = track.open->record;
  const auto power_kw = PowerKw(d);
  if (opened.energy_added_kwh > kEnergyEpsilonKwh && power_kw && *power_kw > 0.1) {
    const auto unseen_ms = static_cast<std::int64_t>(opened.energy_added_kwh / *power_kw * kMsPerHour);
    const std::int64_t earliest = track.last ? track.last->ts_ms + 1 : s.timestamp_ms - config_.gap_ms;
    opened.started_ms = std::max(earliest, s.timestamp_ms - unseen_ms);
    opened.started_estimated = opened.started_ms != s.timestamp_ms;
    opened.avg_power_kw = AveragePowerKw(opened, opened.energy_added_kwh, s.timestamp_ms);
    // And the level it started from: the energy already added, in points of the usable capacity.
    if (opened.started_estimated && d.battery_level && d.energy_remaining_kwh && d.usable_battery_level &&
        *d.usable_battery_level > 0 && *d.energy_remaining_kwh > 0) {
      const double capacity_kwh = *d.energy_remaining_kwh / *d.usable_battery_level * 100.0;
      const int gained = static_cast<int>(std::lround(opened.energy_added_kwh / capacity_kwh * 100.0));
      opened.start_battery_level = std::max(0, *d.battery_level - gained);
    }
  }
  out.push_back({ActionKind::kOpen, track.open->record, track.open->curve.back(), {}});
}

void SessionDetector::ApplyReading(OpenSession& open, const VehicleState& s, bool charging) {
  const auto& d = s.data;
  SessionRecord& r = open.record;
  if (auto raw = NonNegative(d.charge_energy_added_kwh)) {
    const double reference = open.energy_last_raw_kwh.value_or(open.energy_segment_start_kwh);
    if (*raw < reference - kEnergyEpsilonKwh) {
      // The counter was reset (a new plug-in counts from 0): keep what the earlier segment added.
      open.energy_accumulated_kwh += std::max(0.0, reference - open.energy_segment_start_kwh);
      open.energy_segment_start_kwh = 0;
    }
    open.energy_last_raw_kwh = *raw;
    r.energy_added_kwh =
        std::max(r.energy_added_kwh, open.energy_accumulated_kwh + std::max(0.0, *raw - open.energy_segment_start_kwh));
  }
  const auto power_kw = PowerKw(d);
  if (charging && power_kw) r.max_power_kw = std::max(r.max_power_kw.value_or(0.0), *power_kw);
  if (d.battery_level) r.end_battery_level = d.battery_level;
  if (!r.start_battery_level) r.start_battery_level = d.battery_level;

  if (auto c = ClassifyCharger(d)) {
    if (c->kind == kKindDc && r.charger_kind != kKindDc) {
      r.charger_kind = c->kind;
      r.charger_type = c->type;
    } else if (c->kind == r.charger_kind && (r.charger_type.empty() || r.charger_type == r.charger_kind)) {
      r.charger_type = c->type;
    }
  }
  if (!r.latitude && d.latitude && d.longitude) {
    r.latitude = d.latitude;
    r.longitude = d.longitude;
  }
  if (r.place.empty()) r.place = s.place;

  if (charging) {
    open.last_charging_ms = s.timestamp_ms;
    if (d.battery_level) open.last_charging_battery_level = d.battery_level;
    open.energy_at_last_charging_kwh = r.energy_added_kwh;
    open.last_charging_power_kw = power_kw;
    open.last_time_to_full_h = NonNegative(d.time_to_full_charge_h);
    r.avg_power_kw = AveragePowerKw(r, r.energy_added_kwh, s.timestamp_ms);
  }
  open.curve.push_back({s.timestamp_ms, power_kw, d.battery_level, r.energy_added_kwh});
}

void SessionDetector::CloseAtSample(VehicleTrack& track, const VehicleState& s, std::vector<Action>& out) {
  SessionRecord& r = track.open->record;
  r.ended_ms = s.timestamp_ms;
  if (auto end = EstimateEnd(*track.open, s)) {
    r.ended_ms = *end;
    r.ended_estimated = true;
  }
  r.avg_power_kw = AveragePowerKw(r, r.energy_added_kwh, *r.ended_ms);
  // The closing sample (applied just before) is the curve's last point.
  std::optional<CurvePoint> point;
  if (!track.open->curve.empty() && track.open->curve.back().ts_ms == s.timestamp_ms) point = track.open->curve.back();
  Finish(track, out, point);
}

std::optional<std::int64_t> SessionDetector::EstimateEnd(const OpenSession& open, const VehicleState& s) {
  const std::int64_t last_ms = open.last_charging_ms;
  if (last_ms <= 0 || last_ms < open.record.started_ms || s.timestamp_ms <= last_ms) return std::nullopt;
  auto power_kw = open.last_charging_power_kw;
  if (!power_kw) {  // restored after a restart: the curve has the last charging sample
    for (const auto& p : open.curve)
      if (p.ts_ms == last_ms) power_kw = p.power_kw;
  }
  std::optional<double> hours;
  if (s.data.charging_state.value_or("") == "Complete" && open.last_time_to_full_h && *open.last_time_to_full_h > 0) {
    hours = *open.last_time_to_full_h;  // the charge limit was reached: when the car said it would be
  } else if (power_kw && *power_kw > 0.1) {
    // Stopped, unplugged or complete without a time to full: the energy added since, at the last power.
    hours = std::max(0.0, open.record.energy_added_kwh - open.energy_at_last_charging_kwh) / *power_kw;
  }
  if (!hours) return std::nullopt;
  const auto end = last_ms + static_cast<std::int64_t>(*hours * kMsPerHour);
  return std::clamp(end, last_ms, s.timestamp_ms);
}

void SessionDetector::CloseAfterGap(VehicleTrack& track, const VehicleState& s, bool use_reported_energy,
                                    std::vector<Action>& out) {
  OpenSession& open = *track.open;
  SessionRecord& r = open.record;
  r.ended_ms = std::max(open.last_charging_ms, r.started_ms);
  if (open.last_charging_battery_level) r.end_battery_level = open.last_charging_battery_level;
  // The average covers what was seen while charging: the time after the last sample is unknown.
  r.avg_power_kw = AveragePowerKw(r, open.energy_at_last_charging_kwh, *r.ended_ms);
  const auto raw = NonNegative(s.data.charge_energy_added_kwh);
  if (use_reported_energy && raw) {
    // Still on the same plug-in: the car's counter includes what was added after the last sample.
    const double reported = open.energy_accumulated_kwh + std::max(0.0, *raw - open.energy_segment_start_kwh);
    if (reported > r.energy_added_kwh + kEnergyEpsilonKwh) {
      r.energy_added_kwh = reported;
      if (s.data.battery_level) r.end_battery_level = s.data.battery_level;
    }
    // It went on charging after the last sample: when it stopped, from the same samples as at a close.
    if (auto end = EstimateEnd(open, s); end && *end > *r.ended_ms) {
      r.ended_ms = *end;
      r.ended_estimated = true;
      r.avg_power_kw = AveragePowerKw(r, r.energy_added_kwh, *r.ended_ms);
    }
  }
  Finish(track, out);
}

void SessionDetector::Finish(VehicleTrack& track, std::vector<Action>& out, std::optional<CurvePoint> point) {
  OpenSession& open = *track.open;
  if (open.record.energy_added_kwh < config_.min_session_kwh) {
    out.push_back({ActionKind::kDiscard, open.record, std::nullopt, {}});
  } else {
    out.push_back({ActionKind::kClose, open.record, point, std::move(open.curve)});
  }
  track.open.reset();
}

void SessionDetector::MaybeEstimate(VehicleTrack& track, const VehicleState& s, std::vector<Action>& out) {
  const LastSeen& before = *track.last;
  const auto& d = s.data;
  if (!before.battery_level || !d.battery_level) return;
  if (*d.battery_level - *before.battery_level < config_.min_missed_soc_gain) return;
  // Only when the car provably did not drive: an unknown odometer is no proof.
  const auto delta = OdometerDelta(track.last, d);
  if (!delta || *delta > config_.max_odometer_delta_km) return;
  const auto energy_kwh = EstimateEnergy(before, s);
  if (!energy_kwh || *energy_kwh < config_.min_session_kwh) return;

  SessionRecord r;
  r.vehicle_id = track.vehicle_id;
  r.vin = track.vin;
  r.started_ms = before.ts_ms;
  r.ended_ms = s.timestamp_ms;
  r.start_battery_level = before.battery_level;
  r.end_battery_level = d.battery_level;
  r.energy_added_kwh = *energy_kwh;
  r.estimated = true;
  if (auto c = ClassifyCharger(d); c && d.charging_state && IsPluggedIdle(*d.charging_state)) {
    r.charger_kind = c->kind;
    r.charger_type = c->type;
  }
  r.latitude = d.latitude;
  r.longitude = d.longitude;
  if (!r.latitude || !r.longitude) r.latitude = r.longitude = std::nullopt;
  r.place = s.place;
  out.push_back({ActionKind::kEstimated, r, std::nullopt, {}});
}

std::optional<double> SessionDetector::EstimateEnergy(const LastSeen& before, const VehicleState& s) const {
  const auto& d = s.data;
  // 1. The car's own counter, when it is still plugged in after the charge.
  const auto raw = NonNegative(d.charge_energy_added_kwh);
  if (raw && d.charging_state && IsPluggedIdle(*d.charging_state)) {
    const bool same_plug_in = (IsPluggedIdle(before.charging_state) || IsCharging(before.charging_state)) &&
                              before.charge_energy_added_kwh && *raw >= *before.charge_energy_added_kwh;
    const double added = same_plug_in ? *raw - *before.charge_energy_added_kwh : *raw;
    if (added > kEnergyEpsilonKwh) return added;
  }
  // 2. The level gained times the usable capacity.
  std::optional<double> capacity_kwh;
  if (d.energy_remaining_kwh && d.usable_battery_level && *d.usable_battery_level > 0) {
    capacity_kwh = *d.energy_remaining_kwh / *d.usable_battery_level * 100.0;
  } else if (before.energy_remaining_kwh && before.usable_battery_level && *before.usable_battery_level > 0) {
    capacity_kwh = *before.energy_remaining_kwh / *before.usable_battery_level * 100.0;
  } else if (auto it = config_.capacity_kwh_by_vin.find(s.vin); it != config_.capacity_kwh_by_vin.end()) {
    capacity_kwh = it->second;
  }
  if (capacity_kwh && std::isfinite(*capacity_kwh) && *capacity_kwh > 0) {
    const int gained = (d.usable_battery_level && before.usable_battery_level)
                           ? *d.usable_battery_level - *before.usable_battery_level
                           : *d.battery_level - *before.battery_level;
    if (gained > 0) return *capacity_kwh * gained / 100.0;
  }
  // 3. Range gained times consumption.
  if (d.battery_range_km && before.battery_range_km && *d.battery_range_km > *before.battery_range_km) {
    return (*d.battery_range_km - *before.battery_range_km) * config_.wh_per_km / 1000.0;
  }
  return std::nullopt;
}

const VehicleTrack* SessionDetector::Track(std::int64_t vehicle_id) const {
  auto it = tracks_.find(vehicle_id);
  return it == tracks_.end() ? nullptr : &it->second;
}

std::vector<std::int64_t> SessionDetector::Vehicles() const {
  std::vector<std::int64_t> ids;
  for (const auto& [id, track] : tracks_) ids.push_back(id);
  return ids;
}

void SessionDetector::Restore(VehicleTrack track) {
  const auto id = track.vehicle_id;
  tracks_[id] = std::move(track);
}

void SessionDetector::Forget(std::int64_t vehicle_id) { tracks_.erase(vehicle_id); }

void SessionDetector::AssignSessionId(std::int64_t vehicle_id, std::int64_t session_id) {
  auto it = tracks_.find(vehicle_id);
  if (it != tracks_.end() && it->second.open) it->second.open->record.id = session_id;
}

}  // namespace tessie::charging
