#pragma once
// The cars the plugin polls: each car's identity, connectivity, polling policy and command gate, and the
// decisions made on them when a state, a sample or a button press comes in (plain logic, no I/O).
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "command_gate.hpp"
#include "ha_discovery.hpp"
#include "polling_policy.hpp"
#include "tessie/sdk/fleet.hpp"

namespace tessie::vehicle {

// What became of a Wake or Sync press (REST answers and log lines).
struct Outcome {
  std::string vin;
  bool sent = false;         // accepted and acted on
  bool in_progress = false;  // dropped: one of the same kind is in flight (it will do the work)
  std::string state;         // wake: the car's state wake_up answered, else the last known one
  std::string message;       // for the owner: "accepted: ..." or "ignored: ..."
};

// One tracked car. `m` guards every field after construction: the poll job, discovery, MQTT commands and REST
// handlers run on different threads. The methods below take `m` themselves; callers that read fields directly
// hold it. Network calls are made without holding it.
struct TrackedCar {
  TrackedCar(VehicleIdentity identity, const PollingSettings& settings, std::string state, bool list_named);

  // A connectivity state seen at `now_ms`: whether it differs from the last one, and the identity to publish.
  struct StateSeen {
    bool changed = false;
    VehicleIdentity identity;
  };
  StateSeen NoteState(const std::string& state, std::int64_t now_ms);

  // A vehicle_data sample seen at `now_ms`: the car is online, its model and software version are taken, and
  // a car the account's list leaves unnamed is called what it is called in the car.
  struct DataSeen {
    VehicleIdentity identity;
    bool renamed = false;           // display_name changed: store it
    bool identity_changed = false;  // Home Assistant's device needs publishing again
  };
  DataSeen NoteData(const sdk::VehicleData& data, std::int64_t now_ms);

  // The car's gate decides whether a press at `now_ms` goes through (payload PRESS, one of a kind in flight).
  // nullopt when accepted (the command is then in flight until EndCommand), else what became of it.
  std::optional<Outcome> Press(Command command, const std::string& payload, std::int64_t now_ms);
  void EndCommand(Command command);

  VehicleIdentity Identity();

  std::mutex m;
  VehicleIdentity identity;
  PollingPolicy policy;
  std::string state;  // last connectivity state
  std::int64_t last_seen_ms = 0;
  const std::string job;       // the name of its poll job, "poll-<vin>" (fixed when it is first tracked)
  CommandGate commands;        // which Wake and Sync presses go through (one of each in flight)
  bool budget_warned = false;  // the owner was told today's budget is spent (until data arrives again)
  bool list_named = true;      // the account's vehicle list names the car; else vehicle_state.vehicle_name does
};

// How a car polls now, for GET /api/vehicles.
struct PollingView {
  Activity activity = Activity::kUnknown;
  bool suspended = false;
};

// The registry of tracked cars by id. Thread-safe; each car has its own lock besides (see TrackedCar). Cars
// are shared: a removed car stays valid for whoever still holds it.
class TrackedCars {
 public:
  explicit TrackedCars(PollingSettings settings) : settings_(settings) {}

  struct Tracking {
    std::shared_ptr<TrackedCar> car;
    bool added = false;                      // was not tracked before: publish it, start its job
    std::optional<VehicleIdentity> renamed;  // a known car with a new name: publish it again
  };
  // Tracks a car, or updates the name, VIN and naming source of one tracked already. `list_named`: the
  // account's list gave its name.
  Tracking Track(const VehicleIdentity& identity, const std::string& state, bool list_named);

  std::shared_ptr<TrackedCar> Find(std::int64_t id) const;
  // Stops tracking every car not in `seen` and returns them.
  std::vector<std::shared_ptr<TrackedCar>> KeepOnly(const std::set<std::int64_t>& seen);
  std::vector<VehicleIdentity> Identities() const;
  std::optional<PollingView> Polling(std::int64_t id) const;

 private:
  const PollingSettings settings_;
  mutable std::mutex mutex_;  // guards cars_ (the map; each car has its own mutex)
  std::map<std::int64_t, std::shared_ptr<TrackedCar>> cars_;
};

}  // namespace tessie::vehicle
