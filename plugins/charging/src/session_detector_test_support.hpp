#pragma once
// Samples and helpers the session detector's tests share (session_detector_test.cpp, session_gap_test.cpp).
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "session_detector.hpp"

namespace tessie::charging::detector_test {

using sdk::events::VehicleState;

constexpr std::int64_t kT0 = 1'780'000'000'000;  // 2026-05-28
constexpr std::int64_t kMin = 60'000;
constexpr std::int64_t kHour = 60 * kMin;
constexpr std::int64_t kVehicle = 42;
constexpr const char* kVin = "5YJ3E7EB0KF000001";

inline VehicleState Sample(std::int64_t t_ms, const std::string& state, int level, std::optional<double> energy_kwh,
                    double power_kw = 0) {
  VehicleState s;
  s.vehicle_id = kVehicle;
  s.vin = kVin;
  s.timestamp_ms = t_ms;
  s.state = "online";
  s.has_data = true;
  s.place = "Home";
  auto& d = s.data;
  d.charging_state = state;
  d.battery_level = level;
  d.usable_battery_level = level;
  d.battery_range_km = level * 5.0;
  d.charge_energy_added_kwh = energy_kwh;
  d.charger_power_kw = power_kw;
  d.odometer_km = 12'345.0;
  d.latitude = 52.5;
  d.longitude = 13.4;
  d.fast_charger_present = false;
  d.fast_charger_type = "<invalid>";
  d.conn_charge_cable = state == "Disconnected" ? "<invalid>" : "IEC";
  return s;
}

inline VehicleState Dc(VehicleState s, const std::string& type = "Supercharger", const std::string& brand = "Tesla") {
  s.data.fast_charger_present = true;
  s.data.fast_charger_type = type;
  s.data.fast_charger_brand = brand;
  return s;
}

inline std::vector<ActionKind> Kinds(const std::vector<Action>& actions) {
  std::vector<ActionKind> out;
  out.reserve(actions.size());
  for (const auto& a : actions) out.push_back(a.kind);
  return out;
}

// Feeds samples and returns every action, in order.
inline std::vector<Action> FeedAll(SessionDetector& d, const std::vector<VehicleState>& samples) {
  std::vector<Action> all;
  for (const auto& s : samples) {
    auto actions = d.Feed(s);
    for (auto& a : actions) {
      if (a.kind == ActionKind::kOpen) d.AssignSessionId(s.vehicle_id, 100 + static_cast<int>(all.size()));
      all.push_back(std::move(a));
    }
  }
  return all;
}

inline const Action* Last(const std::vector<Action>& actions, ActionKind kind) {
  for (auto it = actions.rbegin(); it != actions.rend(); ++it)
    if (it->kind == kind) return &*it;
  return nullptr;
}


}  // namespace tessie::charging::detector_test
