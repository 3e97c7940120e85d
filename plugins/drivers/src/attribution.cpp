#include "attribution.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace tessie::drivers {

namespace {

bool EqualsIgnoreCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool HasDay(const std::vector<int>& weekdays, int day) {
  return weekdays.empty() || std::find(weekdays.begin(), weekdays.end(), day) != weekdays.end();
}

// Candidate ordering within one level: vehicle-specific first, then lowest driver id.
struct Best {
  std::optional<std::tuple<int, std::int64_t>> key;
  void Offer(bool vehicle_specific, std::int64_t driver_id) {
    std::tuple<int, std::int64_t> k{vehicle_specific ? 0 : 1, driver_id};
    if (!key || k < *key) key = k;
  }
};

bool AppliesTo(const std::optional<std::int64_t>& rule_vehicle, std::int64_t vehicle_id) {
  return !rule_vehicle || *rule_vehicle == vehicle_id;
}

}  // namespace

bool TimeRule::Matches(const local_time::LocalDateTime& start) const {
  const int m = static_cast<int>(start.ms_of_day / 60'000);
  if (from_min < to_min) return HasDay(weekdays, start.weekday) && m >= from_min && m < to_min;
  const int previous_day = start.weekday == 1 ? 7 : start.weekday - 1;
  return (HasDay(weekdays, start.weekday) && m >= from_min) || (HasDay(weekdays, previous_day) && m < to_min);
}

const char* ToString(AttributionSource source) {
  switch (source) {
    case AttributionSource::kManual:
      return "manual";
    case AttributionSource::kPlaceRule:
      return "place_rule";
    case AttributionSource::kTimeRule:
      return "time_rule";
    case AttributionSource::kVehicleDefault:
      return "vehicle_default";
    case AttributionSource::kNone:
      break;
  }
  return "none";
}

std::optional<AttributionSource> AttributionSourceFromString(const std::string& text) {
  for (auto s : {AttributionSource::kNone, AttributionSource::kVehicleDefault, AttributionSource::kTimeRule,
                 AttributionSource::kPlaceRule, AttributionSource::kManual}) {
    if (text == ToString(s)) return s;
  }
  return std::nullopt;
}

AttributionResult Attribution::Attribute(const DriveFacts& drive) const {
  Best place, time, fallback;
  const local_time::LocalDateTime start = zone_.Local(drive.start_ms);
  for (const auto& d : drivers_) {
    if (!drive.start_place.empty()) {
      for (const auto& r : d.place_rules) {
        if (AppliesTo(r.vehicle_id, drive.vehicle_id) && EqualsIgnoreCase(r.start_place, drive.start_place))
          place.Offer(r.vehicle_id.has_value(), d.id);
      }
    }
    for (const auto& r : d.time_rules) {
      if (AppliesTo(r.vehicle_id, drive.vehicle_id) && r.Matches(start)) time.Offer(r.vehicle_id.has_value(), d.id);
    }
    if (std::find(d.default_for_vehicles.begin(), d.default_for_vehicles.end(), drive.vehicle_id) !=
        d.default_for_vehicles.end())
      fallback.Offer(true, d.id);
  }
  if (place.key) return {std::get<1>(*place.key), AttributionSource::kPlaceRule};
  if (time.key) return {std::get<1>(*time.key), AttributionSource::kTimeRule};
  if (fallback.key) return {std::get<1>(*fallback.key), AttributionSource::kVehicleDefault};
  return {};
}

std::vector<AttributionChange> Attribution::Reattribute(const std::vector<AttributedDrive>& drives) const {
  std::vector<AttributionChange> changes;
  for (const auto& d : drives) {
    if (d.current.source == AttributionSource::kManual) continue;
    auto result = Attribute(d.facts);
    if (!(result == d.current)) changes.push_back({d.drive_id, result});
  }
  return changes;
}

}  // namespace tessie::drivers
