#include "vehicle_poller.hpp"

#include <set>

#include "poll_cycle.hpp"
#include "sample_row.hpp"
#include "tessie/sdk/events/sync.hpp"
#include "tessie/sdk/events/vehicle.hpp"
#include "vehicle_name.hpp"

namespace tessie::vehicle {

namespace events = sdk::events;

namespace {

events::VehicleState StateEvent(const VehicleIdentity& identity, std::int64_t ts_ms, const std::string& state) {
  events::VehicleState ev;
  ev.vehicle_id = identity.id;
  ev.vin = identity.vin;
  ev.display_name = identity.display_name;
  ev.timestamp_ms = ts_ms;
  ev.state = state;
  return ev;
}

}  // namespace

void VehiclePoller::TrackKnown() {
  for (const auto& known : store_.LoadTracked()) Track(known.identity, known.state, true);
}

void VehiclePoller::Discover() {
  auto& api = ctx_.Tesla();
  if (!api.Connected()) return;
  const auto products = api.GetProducts();
  const auto now = sdk::ToEpochMs(ctx_.Time().Now());
  std::set<std::int64_t> seen;
  for (const auto& v : products.vehicles) {
    seen.insert(v.id);
    const bool list_named = v.display_name.find_first_not_of(" \t\r\n") != std::string::npos;
    const std::string name = list_named ? VehicleName(v.display_name, "", "", v.vin) : UnlistedName(v.id, v.vin);
    store_.UpsertListed(v, name, now);
    if (Track({v.id, v.vin, name, "", ""}, v.state, list_named)) {
      ctx_.Log().Info("tracking vehicle " + name + " (" + v.vin + ")");
      ctx_.Events().Publish(events::VehicleDiscovered{v.id, v.vin, name, false});
    }
  }
  for (const auto& t : cars_.KeepOnly(seen)) {
    ctx_.Log().Info("vehicle " + t->identity.vin + " is no longer in the account");
    store_.MarkRemoved(t->identity.id, now);
    mqtt_.RemoveDiscovery(t->identity.vin);
    ctx_.Events().Publish(events::VehicleDiscovered{t->identity.id, t->identity.vin, t->identity.display_name, true});
    // Its poll job stops finding it and ends on its own (see Poll).
  }
  ctx_.Events().Publish(events::SyncDiscovered{"vehicles", static_cast<int>(seen.size()), 0});
}

// The name of a car the account's list leaves unnamed: the one it has already (from its vehicle_name, or a real
// name from before), else model and VIN digits until its first vehicle_data tells its vehicle_name.
std::string VehiclePoller::UnlistedName(std::int64_t id, const std::string& vin) {
  std::string current, model;
  if (auto t = cars_.Find(id)) {
    const auto identity = t->Identity();
    current = identity.display_name;
    model = identity.model;
  } else if (auto stored = store_.FindNameAndModel(id)) {
    current = stored->display_name;
    model = stored->model;
  }
  return IsFallbackName(current, model, vin) ? VehicleName("", "", model, vin) : current;
}

bool VehiclePoller::Track(const VehicleIdentity& identity, const std::string& state, bool list_named) {
  const auto tracking = cars_.Track(identity, state, list_named);
  if (!tracking.added) {
    if (tracking.renamed) mqtt_.PublishDiscovery(*tracking.renamed);  // Home Assistant shows the new name
    return false;
  }
  mqtt_.PublishDiscovery(identity);
  const std::int64_t id = identity.id;
  try {
    ctx_.Jobs().Every({.name = tracking.car->job,
                       .interval = settings_.state_check,
                       .max_backoff = std::chrono::minutes(15),
                       .is_sync = true},
                      [this, id](sdk::JobRun& run) { Poll(id, run); });
  } catch (const std::invalid_argument&) {
    // The job survived a removal and re-adding of the vehicle: it picks the vehicle up again.
  }
  mqtt_.SubscribeCommands(identity.vin, id);
  return true;
}

// One step of one car's poll loop (its own job: never concurrent with itself).
void VehiclePoller::Poll(std::int64_t id, sdk::JobRun& run) {
  auto t = cars_.Find(id);
  if (!t) {
    run.SetNextDelay(std::chrono::hours(24));
    return;
  }
  // Whatever this run does, a Sync press before it has had its run: the next press is accepted.
  struct EndSync {
    TrackedCar& car;
    ~EndSync() { car.EndCommand(Command::kSync); }
  } end_sync{*t};
  const auto now = sdk::ToEpochMs(ctx_.Time().Now());
  const auto outcome = RunPoll(ctx_.Tesla(), ctx_.Log(), *t, now);
  if (outcome.state) RecordState(*t, *outcome.state, now);
  if (outcome.data) RecordData(*t, *outcome.data, now);
  run.SetNextDelay(outcome.next_delay);
}

void VehiclePoller::RecordState(TrackedCar& car, const std::string& state, std::int64_t now) {
  const auto seen = car.NoteState(state, now);
  if (seen.changed) {
    store_.SetState(seen.identity.id, state, now);
    mqtt_.PublishOnline(seen.identity.vin, state);
  }
  ctx_.Events().Publish(StateEvent(seen.identity, now, state));
}

void VehiclePoller::RecordData(TrackedCar& car, const sdk::VehicleData& d, std::int64_t now) {
  const std::int64_t ts = SampleTimestampMs(d, now);
  const std::string place = PlaceAt(places_, d.latitude, d.longitude);
  store_.InsertSample(car.Identity().id, ts, d, place, now);
  const auto seen = car.NoteData(d, now);
  if (seen.renamed) store_.Rename(seen.identity.id, seen.identity.display_name, now);
  if (seen.identity_changed) mqtt_.PublishDiscovery(seen.identity);
  mqtt_.PublishStates(seen.identity.vin, d);
  auto ev = StateEvent(seen.identity, ts, "online");
  ev.has_data = true;
  ev.data = d;
  ev.place = place;
  ctx_.Events().Publish(ev);
}

}  // namespace tessie::vehicle
