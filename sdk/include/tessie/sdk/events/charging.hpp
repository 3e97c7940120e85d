#pragma once
// Events published by the charging plugin.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tessie::sdk::events {

// A charging session was closed (or corrected later, e.g. its cost or solar share changed): subscribers
// get the session as stored. Published after the row is committed.
struct ChargingSessionClosed {
  static constexpr std::string_view kTopic = "charging.session_closed";

  std::int64_t session_id = 0;  // the charging plugin's id
  std::int64_t vehicle_id = 0;  // Tesla id
  std::string vin;
  std::int64_t started_ms = 0;
  std::int64_t ended_ms = 0;
  double energy_added_kwh = 0;
  std::optional<double> cost;  // in `currency`; nullopt when no tariff applies
  std::string currency;
  std::string charger_type;  // "AC", "DC"
  std::string place;
  bool estimated = false;  // recorded from range gained while the car was unreachable
};

// The solar plugin's answer: the share of a session's energy that came from surplus solar (and battery,
// unless configured otherwise), 0..100, and the cost that follows from it. The charging plugin stores it.
struct ChargingSolarShare {
  static constexpr std::string_view kTopic = "charging.solar_share";

  std::int64_t session_id = 0;
  double solar_percentage = 0;
  std::optional<double> cost;
};

}  // namespace tessie::sdk::events
