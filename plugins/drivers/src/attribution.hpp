#pragma once
// Who drove: rules that attribute a drive to a driver. Plain logic: no I/O, no locking.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tessie/local_time.hpp"

namespace tessie::drivers {

// Matches a drive that starts on one of `weekdays` (ISO, 1 = Monday; empty = every day) at a local time in
// [from_min, to_min). When from_min > to_min the window crosses midnight: it opens on a listed weekday and
// runs into the next day (a Friday 22:00–02:00 rule matches Saturday 01:00).
struct TimeRule {
  std::vector<int> weekdays;
  int from_min = 0;                        // minutes after local midnight, 0..1439
  int to_min = 0;                          // 1..1440 (1440 = "24:00"); never equal to from_min
  std::optional<std::int64_t> vehicle_id;  // only drives of this vehicle; nullopt = any vehicle

  bool Matches(const local_time::LocalDateTime& start) const;
};

// Matches a drive that starts at the configured place `start_place` (names compare case-insensitively).
struct PlaceRule {
  std::string start_place;
  std::optional<std::int64_t> vehicle_id;
};

struct Driver {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> profile_id;
  std::vector<std::int64_t> default_for_vehicles;
  std::vector<TimeRule> time_rules;
  std::vector<PlaceRule> place_rules;
};

// Strongest first: manual > place rule > time rule > vehicle default > none.
enum class AttributionSource { kNone, kVehicleDefault, kTimeRule, kPlaceRule, kManual };
const char* ToString(AttributionSource source);
std::optional<AttributionSource> AttributionSourceFromString(const std::string& text);

struct DriveFacts {
  std::int64_t vehicle_id = 0;
  std::int64_t start_ms = 0;  // UTC epoch ms
  std::string start_place;    // "" = not at a configured place
};

struct AttributionResult {
  std::optional<std::int64_t> driver_id;
  AttributionSource source = AttributionSource::kNone;
  bool operator==(const AttributionResult&) const = default;
};

// A drive as stored, for re-attribution.
struct AttributedDrive {
  std::int64_t drive_id = 0;
  DriveFacts facts;
  AttributionResult current;
};

struct AttributionChange {
  std::int64_t drive_id = 0;
  AttributionResult result;
};

// Immutable once built; const methods are thread-safe. Within one level, a rule restricted to the drive's
// vehicle beats an unrestricted one, then the driver with the lowest id wins.
class Attribution {
 public:
  Attribution(local_time::Zone zone, std::vector<Driver> drivers)
      : zone_(std::move(zone)), drivers_(std::move(drivers)) {}

  // The rules' answer for a drive (never kManual).
  AttributionResult Attribute(const DriveFacts& drive) const;
  // Re-applies the rules to every drive that was not assigned manually; returns only the drives whose
  // driver or source changes. Manual assignments are returned untouched by construction.
  std::vector<AttributionChange> Reattribute(const std::vector<AttributedDrive>& drives) const;

  const std::vector<Driver>& Drivers() const { return drivers_; }

 private:
  local_time::Zone zone_;
  std::vector<Driver> drivers_;
};

}  // namespace tessie::drivers
