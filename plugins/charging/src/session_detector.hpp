#pragma once
// Detects charging sessions from the vehicle plugin's samples. Plain logic: no I/O, no clock, no locks.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "session.hpp"
#include "tessie/sdk/events/vehicle.hpp"

namespace tessie::charging {

struct DetectorConfig {
  // Data samples further apart than this are a gap: the car slept, was offline or was not polled.
  std::int64_t gap_ms = std::int64_t{30} * 60 * 1000;
  // The car counts as not driven when its odometer moved by at most this much.
  double max_odometer_delta_km = 0.5;
  // A missed charge is recorded only when the battery level rose by at least this many points (a cold
  // battery's level may creep up by one point as it warms).
  int min_missed_soc_gain = 2;
  // Usable battery capacity per VIN, for missed charges when the car does not report energy_remaining.
  std::map<std::string, double> capacity_kwh_by_vin;
  // Battery energy per rated km, for missed charges when no capacity is known.
  double wh_per_km = 150;
  // A session that ends with less energy than this is dropped (a Starting blip, a scheduled-charge check).
  double min_session_kwh = 0.05;
};

// What the detector remembers of the last data sample of a vehicle.
struct LastSeen {
  std::int64_t ts_ms = 0;
  std::string charging_state;
  std::optional<int> battery_level;
  std::optional<int> usable_battery_level;
  std::optional<double> battery_range_km;
  std::optional<double> odometer_km;
  std::optional<double> energy_remaining_kwh;
  std::optional<double> charge_energy_added_kwh;  // the car's raw counter
};

// A session in progress and the bookkeeping that turns the car's raw charge_energy_added counter (which
// resets per plug-in and may carry an earlier charge's value) into the session's energy.
struct OpenSession {
  SessionRecord record;
  std::vector<CurvePoint> curve;
  double energy_accumulated_kwh = 0;    // energy of counter segments before the last reset
  double energy_segment_start_kwh = 0;  // raw counter value the current segment counts from
  std::optional<double> energy_last_raw_kwh;
  std::int64_t last_charging_ms = 0;  // last sample with Starting/Charging
  std::optional<int> last_charging_battery_level;
  double energy_at_last_charging_kwh = 0;
  // Of the last charging sample, for the end's estimate. Not persisted: after a restart the power comes from
  // the curve and the time to full is unknown.
  std::optional<double> last_charging_power_kw;
  std::optional<double> last_time_to_full_h;
};

// Everything the detector keeps per vehicle. Persisting it (and restoring it with Restore) is enough to
// continue an open session after a restart.
struct VehicleTrack {
  std::int64_t vehicle_id = 0;
  std::string vin;
  std::optional<LastSeen> last;
  std::optional<OpenSession> open;
};

enum class ActionKind {
  kOpen,       // insert `record` (ended_ms unset) and `point`; then call AssignSessionId
  kUpdate,     // update `record`, append `point`
  kClose,      // update `record` (ended_ms set), append `point` if any; `curve` is the whole curve
  kDiscard,    // delete session `record.id` and its samples (it ended without energy)
  kEstimated,  // insert `record`, closed and estimated, without curve
};

struct Action {
  ActionKind kind = ActionKind::kUpdate;
  SessionRecord record;
  std::optional<CurvePoint> point;
  std::vector<CurvePoint> curve;  // kClose only
};

// Not thread-safe: the caller serialises Feed, Restore and AssignSessionId.
class SessionDetector {
 public:
  explicit SessionDetector(DetectorConfig config = {}) : config_(std::move(config)) {}

  // Feeds one sample (in time order per vehicle) and returns what to store, in order. Samples without data
  // and samples not newer than the last data sample of that vehicle change nothing.
  std::vector<Action> Feed(const sdk::events::VehicleState& sample);

  // The per-vehicle state to persist after Feed; nullptr for a vehicle never fed.
  const VehicleTrack* Track(std::int64_t vehicle_id) const;
  std::vector<std::int64_t> Vehicles() const;
  // Replaces a vehicle's state: at start from storage, or to roll back a Feed whose writes failed.
  void Restore(VehicleTrack track);
  void Forget(std::int64_t vehicle_id);
  // Gives the vehicle's open session (from a kOpen action) the id the store assigned.
  void AssignSessionId(std::int64_t vehicle_id, std::int64_t session_id);

  const DetectorConfig& Config() const { return config_; }

 private:
  void Open(VehicleTrack& track, const sdk::events::VehicleState& s, bool moved, std::vector<Action>& out);
  void ApplyReading(OpenSession& open, const sdk::events::VehicleState& s, bool charging);
  void CloseAtSample(VehicleTrack& track, const sdk::events::VehicleState& s, std::vector<Action>& out);
  void CloseAfterGap(VehicleTrack& track, const sdk::events::VehicleState& s, bool use_reported_energy,
                     std::vector<Action>& out);
  // Closes the open session; `point` is the closing sample's curve point to store, if it is one.
  void Finish(VehicleTrack& track, std::vector<Action>& out, std::optional<CurvePoint> point = std::nullopt);
  // When the charge stopped between the last charging sample and `s` (which no longer charges): nullopt when
  // the samples do not tell.
  static std::optional<std::int64_t> EstimateEnd(const OpenSession& open, const sdk::events::VehicleState& s);
  void MaybeEstimate(VehicleTrack& track, const sdk::events::VehicleState& s, std::vector<Action>& out);
  std::optional<double> EstimateEnergy(const LastSeen& before, const sdk::events::VehicleState& s) const;

  DetectorConfig config_;
  std::map<std::int64_t, VehicleTrack> tracks_;
};

// "AC"/"DC" and a charger type text from one sample; nullopt when the sample says nothing (unplugged).
struct ChargerClass {
  std::string kind;
  std::string type;
};
std::optional<ChargerClass> ClassifyCharger(const sdk::VehicleData& data);

}  // namespace tessie::charging
