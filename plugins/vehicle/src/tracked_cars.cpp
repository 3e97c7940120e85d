#include "tracked_cars.hpp"

#include "vehicle_name.hpp"

namespace tessie::vehicle {

TrackedCar::TrackedCar(VehicleIdentity identity_in, const PollingSettings& settings, std::string state_in,
                       bool list_named_in)
    : identity(std::move(identity_in)),
      policy(settings),
      state(std::move(state_in)),
      job("poll-" + identity.vin),
      list_named(list_named_in) {}

TrackedCar::StateSeen TrackedCar::NoteState(const std::string& new_state, std::int64_t now_ms) {
  std::lock_guard lock(m);
  StateSeen seen{state != new_state, identity};
  state = new_state;
  last_seen_ms = now_ms;
  return seen;
}

TrackedCar::DataSeen TrackedCar::NoteData(const sdk::VehicleData& d, std::int64_t now_ms) {
  std::lock_guard lock(m);
  DataSeen seen;
  seen.identity_changed =
      (d.car_type && *d.car_type != identity.model) || (d.car_version && *d.car_version != identity.sw_version);
  state = "online";
  last_seen_ms = now_ms;
  if (d.car_type) identity.model = *d.car_type;
  if (d.car_version) identity.sw_version = *d.car_version;
  if (!list_named) {
    const std::string name = VehicleName("", d.vehicle_name.value_or(""), identity.model, identity.vin);
    if (name != identity.display_name &&
        (d.vehicle_name || IsFallbackName(identity.display_name, identity.model, identity.vin))) {
      identity.display_name = name;
      seen.renamed = true;
      seen.identity_changed = true;
    }
  }
  seen.identity = identity;
  return seen;
}

std::optional<Outcome> TrackedCar::Press(Command command, const std::string& payload, std::int64_t now_ms) {
  std::lock_guard lock(m);
  Outcome o{identity.vin, false, false, state, ""};
  switch (commands.Begin(command, payload, now_ms)) {
    case CommandVerdict::kAccept:
      return std::nullopt;
    case CommandVerdict::kBadPayload:
      o.message = "ignored: the payload is not " + std::string(CommandGate::kPress) + " (" +
                  std::to_string(payload.size()) + " bytes)";
      return o;
    case CommandVerdict::kInProgress:
      o.in_progress = true;
      o.message = std::string("ignored: a ") + ToString(command) + " is already in progress (since " +
                  std::to_string(commands.InFlightMs(command, now_ms).value_or(0) / 1000) + " s)";
      return o;
  }
  return o;
}

void TrackedCar::EndCommand(Command command) {
  std::lock_guard lock(m);
  commands.End(command);
}

VehicleIdentity TrackedCar::Identity() {
  std::lock_guard lock(m);
  return identity;
}

TrackedCars::Tracking TrackedCars::Track(const VehicleIdentity& identity, const std::string& state, bool list_named) {
  std::lock_guard lock(mutex_);
  Tracking tracking;
  auto it = cars_.find(identity.id);
  if (it == cars_.end()) {
    tracking.car = std::make_shared<TrackedCar>(identity, settings_, state, list_named);
    tracking.added = true;
    cars_[identity.id] = tracking.car;
    return tracking;
  }
  tracking.car = it->second;
  TrackedCar& car = *it->second;
  std::lock_guard car_lock(car.m);
  const bool changed = car.identity.display_name != identity.display_name;
  car.identity.display_name = identity.display_name;
  car.identity.vin = identity.vin;
  car.list_named = list_named;
  if (changed) tracking.renamed = car.identity;
  return tracking;
}

std::shared_ptr<TrackedCar> TrackedCars::Find(std::int64_t id) const {
  std::lock_guard lock(mutex_);
  auto it = cars_.find(id);
  return it == cars_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<TrackedCar>> TrackedCars::KeepOnly(const std::set<std::int64_t>& seen) {
  std::vector<std::shared_ptr<TrackedCar>> gone;
  std::lock_guard lock(mutex_);
  for (auto it = cars_.begin(); it != cars_.end();) {
    if (!seen.count(it->first)) {
      gone.push_back(it->second);
      it = cars_.erase(it);
    } else {
      ++it;
    }
  }
  return gone;
}

std::vector<VehicleIdentity> TrackedCars::Identities() const {
  std::vector<std::shared_ptr<TrackedCar>> all;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, car] : cars_) all.push_back(car);
  }
  std::vector<VehicleIdentity> identities;
  identities.reserve(all.size());
  for (const auto& car : all) identities.push_back(car->Identity());
  return identities;
}

std::optional<PollingView> TrackedCars::Polling(std::int64_t id) const {
  auto car = Find(id);
  if (!car) return std::nullopt;
  std::lock_guard lock(car->m);
  return PollingView{car->policy.CurrentActivity(), car->policy.Suspended()};
}

}  // namespace tessie::vehicle
