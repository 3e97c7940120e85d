#pragma once
// Samples for the drives unit tests (drive_detector_test, drive_summary_test, drive_recorder_test).
#include <cstdint>
#include <string>
#include <vector>

#include "drive_detector.hpp"

namespace tessie::drivers::test_samples {

inline constexpr std::int64_t kT0 = 1'709'280'000'000;  // 2024-03-01T08:00:00Z
inline constexpr std::int64_t kMinute = 60'000;
inline constexpr std::int64_t kVehicle = 3'744'431'234'567'890;

// A driving sample `minute` minutes after kT0, `km` km north of the start on the odometer and the map.
inline DriveSample At(double minute, const char* shift, double km, const std::string& place = "") {
  DriveSample s;
  s.time_ms = kT0 + static_cast<std::int64_t>(minute * kMinute);
  if (shift) s.shift_state = shift;
  s.latitude = 52.0 + km / 111.195;  // ~111.195 km per degree of latitude
  s.longitude = 13.0;
  s.odometer_km = 10'000 + km;
  s.speed_kmh = 50;
  s.power_kw = 12;
  s.battery_level = 80;
  s.place = place;
  return s;
}

inline std::vector<DriveEvent::Kind> Kinds(const std::vector<DriveEvent>& events) {
  std::vector<DriveEvent::Kind> out;
  out.reserve(events.size());
  for (const auto& e : events) out.push_back(e.kind);
  return out;
}

using K = DriveEvent::Kind;

}  // namespace tessie::drivers::test_samples
