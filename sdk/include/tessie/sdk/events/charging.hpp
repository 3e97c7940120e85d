#pragma once
// Events published by the charging plugin.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tessie::sdk {
inline namespace v1 {
namespace events {

// A charging session was closed (or corrected later, when its solar share and cost changed): subscribers get
// the session as stored, with the solar share of a closed session already applied when it was known at once
// (see ChargingSolarShareRequest). Published after the row is committed. The solar plugin does not subscribe:
// it learns of sessions through ChargingSolarShareRequest, so the flow never comes back to the charging plugin.
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
// Published by the solar plugin when a share changes after the session was closed (intervals that arrive
// late or are corrected); the share known at closing time is the answer to ChargingSolarShareRequest.
struct ChargingSolarShare {
  static constexpr std::string_view kTopic = "charging.solar_share";

  std::int64_t session_id = 0;
  double solar_percentage = 0;
  std::optional<double> cost;
};

// A question, answered during Publish: the charging plugin publishes it once per closed session, before it
// publishes the session as ChargingSessionClosed; the solar plugin handles it synchronously (EventBus delivers
// on the publisher's thread) and sets `*answer` when it knows the share already. Nobody answering (no solar
// plugin, or intervals not stored yet) leaves `*answer` empty: the share follows as ChargingSolarShare.
// `answer` points into the publisher's stack: valid only while the handler runs.
struct ChargingSolarShareRequest {
  static constexpr std::string_view kTopic = "charging.solar_share_request";

  ChargingSessionClosed session;
  std::optional<ChargingSolarShare>* answer = nullptr;
};

}  // namespace events
}  // namespace v1
}  // namespace tessie::sdk
