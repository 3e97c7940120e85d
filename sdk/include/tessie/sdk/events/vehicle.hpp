#pragma once
// Events published by the vehicle plugin. Subscribers (charging, drivers) run synchronously on the
// vehicle plugin's job thread, after the sample is stored; keep handlers quick and thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tessie/sdk/fleet.hpp"

namespace tessie::sdk {
inline namespace v1 {
namespace events {

// One observation of a vehicle: either a cheap connectivity check (has_data = false: only `state` is
// known) or a full vehicle_data sample (has_data = true). Published for every poll, in time order per
// vehicle. A long gap between samples means the car was asleep, offline, or not polled.
struct VehicleState {
  static constexpr std::string_view kTopic = "vehicle.state";

  std::int64_t vehicle_id = 0;  // Tesla's id (the API's vehicle_tag), 64-bit
  std::string vin;
  std::string display_name;
  std::int64_t timestamp_ms = 0;  // when the sample was taken (the car's own timestamp when it has data)
  std::string state;              // online, asleep, offline
  bool has_data = false;
  VehicleData data;               // meaningful only when has_data
  std::string place;              // name of the configured place the car is in ("" = none or unknown)
};

// A vehicle appeared in (or disappeared from) the account.
struct VehicleDiscovered {
  static constexpr std::string_view kTopic = "vehicle.discovered";
  std::int64_t vehicle_id = 0;
  std::string vin;
  std::string display_name;
  bool removed = false;
};

}  // namespace events
}  // namespace v1
}  // namespace tessie::sdk
