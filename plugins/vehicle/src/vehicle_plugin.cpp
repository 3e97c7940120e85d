// The vehicle plugin: discovers the account's cars, polls them without keeping them awake, stores every
// sample, publishes typed events for the charging and drivers plugins, serves /api/vehicles and puts
// each car into Home Assistant over MQTT.
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

#include "command_gate.hpp"
#include "ha_discovery.hpp"
#include "openapi_part.hpp"
#include "places.hpp"
#include "polling_policy.hpp"
#include "tessie/sdk/events/openapi.hpp"
#include "tessie/sdk/events/sync.hpp"
#include "tessie/sdk/events/vehicle.hpp"
#include "tessie/sdk/plugin.hpp"
#include "tessie/sdk/query.hpp"
#include "tessie/sdk/resolution.hpp"
#include "vehicle_name.hpp"

namespace tessie::vehicle {
namespace {

using namespace tessie::sdk;
using std::chrono::milliseconds;

std::string Iso(std::int64_t ms) {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(ms * 1000), "%Y-%m-%dT%H:%M:%SZ");
}

// History times: "2026-06-01" (UTC midnight), RFC 3339 ("2026-06-01T07:00:00Z", "...+02:00"), a UTC wall time
// without zone ("2026-06-01T07:00:00") or epoch ms. Anything else is a 400 naming the parameter.
const query::TimeFormat& HistoryTimeFormat() {
  static const query::TimeFormat format = [] {
    query::TimeFormat f;
    f.epoch_ms = true;
    f.wall_time = query::TimeFormat::WallTime::kUtc;
    return f;
  }();
  return format;
}

Poco::Dynamic::Var Opt(const std::optional<double>& v) { return v ? Poco::Dynamic::Var(*v) : Poco::Dynamic::Var(); }
Poco::Dynamic::Var Opt(const std::optional<int>& v) { return v ? Poco::Dynamic::Var(*v) : Poco::Dynamic::Var(); }
Poco::Dynamic::Var Opt(const std::optional<bool>& v) { return v ? Poco::Dynamic::Var(*v) : Poco::Dynamic::Var(); }
Poco::Dynamic::Var Opt(const std::optional<std::string>& v) {
  return v ? Poco::Dynamic::Var(*v) : Poco::Dynamic::Var();
}
SqlValue Sql(const std::optional<double>& v) { return v ? SqlValue(*v) : SqlValue(); }
SqlValue Sql(const std::optional<int>& v) { return v ? SqlValue(static_cast<std::int64_t>(*v)) : SqlValue(); }
SqlValue Sql(const std::optional<bool>& v) { return v ? SqlValue(static_cast<std::int64_t>(*v ? 1 : 0)) : SqlValue(); }
SqlValue Sql(const std::optional<std::string>& v) { return v ? SqlValue(*v) : SqlValue(); }

// History columns a client may ask for (the only names that reach SQL).
const std::vector<std::string> kHistoryFields = {"battery_level",
                                                 "usable_battery_level",
                                                 "battery_range_km",
                                                 "est_battery_range_km",
                                                 "odometer_km",
                                                 "speed_kmh",
                                                 "power_kw",
                                                 "charger_power_kw",
                                                 "charge_energy_added_kwh",
                                                 "inside_temp_c",
                                                 "outside_temp_c",
                                                 "latitude",
                                                 "longitude"};

const std::vector<Migration> kMigrations = {
    {1, "vehicles and samples",
     "CREATE TABLE vehicles (id BIGINT PRIMARY KEY, vin TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL DEFAULT '', "
     "model TEXT NOT NULL DEFAULT '', trim TEXT NOT NULL DEFAULT '', color TEXT NOT NULL DEFAULT '', "
     "state TEXT NOT NULL DEFAULT '', last_seen_ms BIGINT NOT NULL DEFAULT 0, last_data_ms BIGINT NOT NULL DEFAULT 0, "
     "removed INTEGER NOT NULL DEFAULT 0, created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL);"
     "CREATE TABLE vehicle_states (id {{pk}}, vehicle_id BIGINT NOT NULL, ts_ms BIGINT NOT NULL, state TEXT NOT NULL, "
     "odometer_km {{real}}, battery_level INTEGER, usable_battery_level INTEGER, battery_range_km {{real}}, "
     "est_battery_range_km {{real}}, charging_state TEXT, charge_limit_soc INTEGER, charger_power_kw {{real}}, "
     "charge_energy_added_kwh {{real}}, time_to_full_h {{real}}, latitude {{real}}, longitude {{real}}, "
     "speed_kmh {{real}}, heading INTEGER, power_kw {{real}}, shift_state TEXT, inside_temp_c {{real}}, "
     "outside_temp_c {{real}}, locked INTEGER, sentry_mode INTEGER, is_user_present INTEGER, car_version TEXT, "
     "software_update_status TEXT, destination_name TEXT, place TEXT, raw_data {{json}});"
     "CREATE UNIQUE INDEX vehicle_states_vehicle_ts ON vehicle_states (vehicle_id, ts_ms)"},
};

// One tracked car. `m` guards every field after construction: the poll job, discovery, MQTT commands and
// REST handlers run on different threads. Network calls are made without holding it.
struct Tracked {
  std::mutex m;
  VehicleIdentity identity;
  std::unique_ptr<PollingPolicy> policy;
  std::string state;  // last connectivity state
  std::int64_t last_seen_ms = 0;
  std::string job;
  CommandGate commands;        // which Wake and Sync presses go through (one of each in flight)
  bool budget_warned = false;  // only the poll job touches it
  bool list_named = true;      // the account's vehicle list names the car; else vehicle_state.vehicle_name does
};

class VehiclePlugin final : public Plugin {
 public:
  PluginInfo Info() const override {
    auto duration = [](const char* key, const char* desc, std::int64_t ms) {
      return ConfigField{key,
                         ConfigType::kDuration,
                         desc,
                         Poco::Int64(ms),
                         false,
                         false,
                         [](const Poco::Dynamic::Var& v) -> std::string {
                           return v.convert<Poco::Int64>() >= 100 ? "" : "must be at least 100ms";
                         }};
    };
    return {"vehicle",
            "0.1.0",
            "discovers vehicles, polls them sleep-friendly, stores states, Home Assistant entities",
            {},
            {
                {"polling", ConfigType::kString, "adaptive (sleep-friendly) or fixed", std::string("adaptive"), false,
                 false,
                 [](const Poco::Dynamic::Var& v) -> std::string {
                   return v.toString() == "adaptive" || v.toString() == "fixed" ? "" : "use adaptive or fixed";
                 }},
                duration("interval", "polling: fixed — vehicle_data every interval", 5 * 60'000),
                duration("state_check_interval", "adaptive: connectivity checks (free) while asleep or parked", 60'000),
                duration("driving_interval", "adaptive: vehicle_data while driving", 5 * 60'000),
                duration("charging_interval", "adaptive: vehicle_data while charging (AC)", 15 * 60'000),
                duration("fast_charging_interval", "adaptive: vehicle_data while charging on a DC charger", 2 * 60'000),
                duration("after_drive_interval", "adaptive: vehicle_data after a drive ended (is a charge starting?)",
                         2 * 60'000),
                duration("after_drive_window", "adaptive: how long after a drive to keep looking", 6 * 60'000),
                duration("user_present_interval", "adaptive: vehicle_data while someone is in the car", 5 * 60'000),
                duration("sleep_after", "how long the car needs without requests to fall asleep", 15 * 60'000),
                duration("discovery_interval", "how often the account's vehicle list is refreshed", 3600'000),
                {"units", ConfigType::kString, "metric or imperial (Home Assistant range, odometer, speed)",
                 std::string("metric"), false, false,
                 [](const Poco::Dynamic::Var& v) -> std::string {
                   return v.toString() == "metric" || v.toString() == "imperial" ? "" : "use metric or imperial";
                 }},
                // A list of maps; the host checks each item against the places[] keys below, naming its position.
                {"places", ConfigType::kAny, "named places: a list of {name, latitude, longitude, radius_m}"},
                {"places[].name",
                 ConfigType::kString,
                 "the place's name, shown in drives and charging sessions",
                 {},
                 true,
                 false,
                 [](const Poco::Dynamic::Var& v) -> std::string {
                   return v.toString().empty() ? "must not be empty" : "";
                 }},
                {"places[].latitude",
                 ConfigType::kDouble,
                 "degrees north, -90 to 90",
                 {},
                 true,
                 false,
                 [](const Poco::Dynamic::Var& v) -> std::string {
                   const double d = v.convert<double>();
                   return d >= -90 && d <= 90 ? "" : "must be between -90 and 90";
                 }},
                {"places[].longitude",
                 ConfigType::kDouble,
                 "degrees east, -180 to 180",
                 {},
                 true,
                 false,
                 [](const Poco::Dynamic::Var& v) -> std::string {
                   const double d = v.convert<double>();
                   return d >= -180 && d <= 180 ? "" : "must be between -180 and 180";
                 }},
                {"places[].radius_m", ConfigType::kDouble, "how far from the point the place reaches, in metres", 100.0,
                 false, false,
                 [](const Poco::Dynamic::Var& v) -> std::string {
                   const double d = v.convert<double>();
                   return d > 0 && d <= 100'000 ? "" : "must be between 0 and 100000 (metres)";
                 }},
            }};
  }

  void Configure(Context& ctx) override {
    // This plugin's routes in GET /api/openapi.json (openapi.yaml, embedded at build time).
    ctx.Events().Publish(::tessie::sdk::events::OpenApiPart{kOpenApiYaml});
    ctx_ = &ctx;
    const auto& c = ctx.Config();
    settings_.adaptive = c.GetString("polling") == "adaptive";
    settings_.fixed_interval = c.GetDuration("interval");
    settings_.state_check = c.GetDuration("state_check_interval");
    settings_.driving = c.GetDuration("driving_interval");
    settings_.charging = c.GetDuration("charging_interval");
    settings_.fast_charging = c.GetDuration("fast_charging_interval");
    settings_.after_drive = c.GetDuration("after_drive_interval");
    settings_.after_drive_window = c.GetDuration("after_drive_window");
    settings_.user_present = c.GetDuration("user_present_interval");
    settings_.sleep_after = c.GetDuration("sleep_after");
    discovery_interval_ = c.GetDuration("discovery_interval");
    options_.imperial = c.GetString("units") == "imperial";
    if (c.Has("places")) {
      auto arr = c.GetRaw("places").extract<Poco::JSON::Array::Ptr>();
      for (std::size_t i = 0; i < arr->size(); ++i) {
        auto p = arr->getObject(static_cast<unsigned>(i));
        places_.push_back({p->getValue<std::string>("name"), p->getValue<double>("latitude"),
                           p->getValue<double>("longitude"), p->optValue<double>("radius_m", 100.0)});
      }
    }
    ctx.Db().Migrate(kMigrations);
    AddRoutes(ctx);
  }

  void Start(Context& ctx) override {
    options_.base_topic = ctx.Mqtt().BaseTopic();
    options_.availability_topic = ctx.Mqtt().AvailabilityTopic();
    options_.origin_version = Info().version;
    // Known vehicles first, so polling resumes at once after a restart even if the API is unreachable.
    const auto rows = ctx.Db().Query("SELECT id, vin, display_name, model, state FROM vehicles WHERE removed = 0");
    for (const auto& r : rows.rows) Track({r.Int(0), r.String(1), r.String(2), r.String(3), ""}, r.String(4));
    ctx.Jobs().Every(
        {.name = "discover", .interval = discovery_interval_, .jitter = milliseconds(30'000), .is_sync = true},
        [this](JobRun&) { Discover(); });
    if (ctx.Mqtt().Enabled()) {
      ctx.Mqtt().OnRepublish([this] { PublishAllDiscovery(); });
    }
  }

  void Stop() override {}

 private:
  // ---- discovery and polling -------------------------------------------------------------------

  void Discover() {
    auto& api = ctx_->Tesla();
    if (!api.Connected()) return;
    const auto products = api.GetProducts();
    const auto now = ToEpochMs(ctx_->Time().Now());
    std::set<std::int64_t> seen;
    for (const auto& v : products.vehicles) {
      seen.insert(v.id);
      const bool list_named = v.display_name.find_first_not_of(" \t\r\n") != std::string::npos;
      const std::string name = list_named ? VehicleName(v.display_name, "", "", v.vin) : UnlistedName(v.id, v.vin);
      ctx_->Db().Execute(
          "INSERT INTO vehicles (id, vin, display_name, state, last_seen_ms, created_ms, updated_ms) "
          "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET vin = excluded.vin, "
          "display_name = excluded.display_name, state = excluded.state, removed = 0, updated_ms = excluded.updated_ms",
          {v.id, v.vin, name, v.state, now, now, now});
      const bool added = Track({v.id, v.vin, name, "", ""}, v.state, list_named);
      if (added) {
        ctx_->Log().Info("tracking vehicle " + name + " (" + v.vin + ")");
        ctx_->Events().Publish(events::VehicleDiscovered{v.id, v.vin, name, false});
      }
    }
    std::vector<std::shared_ptr<Tracked>> gone;
    {
      std::lock_guard lock(mutex_);
      for (auto it = vehicles_.begin(); it != vehicles_.end();) {
        if (!seen.count(it->first)) {
          gone.push_back(it->second);
          it = vehicles_.erase(it);
        } else {
          ++it;
        }
      }
    }
    for (const auto& t : gone) {
      ctx_->Log().Info("vehicle " + t->identity.vin + " is no longer in the account");
      ctx_->Db().Execute("UPDATE vehicles SET removed = 1, updated_ms = ? WHERE id = ?", {now, t->identity.id});
      ctx_->Mqtt().RemoveDiscovery(DeviceId(t->identity.vin));
      ctx_->Events().Publish(
          events::VehicleDiscovered{t->identity.id, t->identity.vin, t->identity.display_name, true});
      // Its poll job stops finding it and ends on its own (see Poll).
    }
    ctx_->Events().Publish(events::SyncDiscovered{"vehicles", static_cast<int>(seen.size()), 0});
  }

  // The name of a car the account's list leaves unnamed: the one it has already (from its vehicle_name, or a
  // real name from before), else model and VIN digits until its first vehicle_data tells its vehicle_name.
  std::string UnlistedName(std::int64_t id, const std::string& vin) {
    std::string current, model;
    if (auto t = Find(id)) {
      std::lock_guard lock(t->m);
      current = t->identity.display_name;
      model = t->identity.model;
    } else {
      const auto r = ctx_->Db().Query("SELECT display_name, model FROM vehicles WHERE id = ?", {id});
      if (!r.rows.empty()) {
        current = r.rows[0].String(0);
        model = r.rows[0].String(1);
      }
    }
    return IsFallbackName(current, model, vin) ? VehicleName("", "", model, vin) : current;
  }

  // Returns true when the vehicle was not tracked before. `list_named`: the account's list gave its name.
  bool Track(const VehicleIdentity& identity, const std::string& state, bool list_named = true) {
    std::shared_ptr<Tracked> t;
    bool known = false;
    std::optional<VehicleIdentity> renamed;  // a known car with a new name
    {
      std::lock_guard lock(mutex_);
      auto it = vehicles_.find(identity.id);
      known = it != vehicles_.end();
      if (known) {
        std::lock_guard tlock(it->second->m);
        const bool changed = it->second->identity.display_name != identity.display_name;
        it->second->identity.display_name = identity.display_name;
        it->second->identity.vin = identity.vin;
        it->second->list_named = list_named;
        if (changed) renamed = it->second->identity;
      } else {
        t = std::make_shared<Tracked>();
        t->identity = identity;
        t->list_named = list_named;
        t->policy = std::make_unique<PollingPolicy>(settings_);
        t->state = state;
        t->job = "poll-" + identity.vin;
        vehicles_[identity.id] = t;
      }
    }
    if (known) {
      if (renamed) PublishDiscovery(*renamed);  // Home Assistant shows the new name (no lock held)
      return false;
    }
    PublishDiscovery(identity);
    const std::int64_t id = identity.id;
    try {
      ctx_->Jobs().Every(
          {.name = t->job, .interval = settings_.state_check, .max_backoff = std::chrono::minutes(15), .is_sync = true},
          [this, id](JobRun& run) { Poll(id, run); });
    } catch (const std::invalid_argument&) {
      // The job survived a removal and re-adding of the vehicle: it picks the vehicle up again.
    }
    SubscribeCommands(identity.vin, id);
    return true;
  }

  std::shared_ptr<Tracked> Find(std::int64_t id) {
    std::lock_guard lock(mutex_);
    auto it = vehicles_.find(id);
    return it == vehicles_.end() ? nullptr : it->second;
  }

  // One step of one vehicle's poll loop (its own job: never concurrent with itself).
  void Poll(std::int64_t id, JobRun& run) {
    auto t = Find(id);
    if (!t) {
      run.SetNextDelay(std::chrono::hours(24));
      return;
    }
    // Whatever this run does, a Sync press before it has had its run: the next press is accepted.
    struct EndSync {
      Tracked& t;
      ~EndSync() {
        std::lock_guard lock(t.m);
        t.commands.End(Command::kSync);
      }
    } end_sync{*t};
    auto& api = ctx_->Tesla();
    if (!api.Connected()) {
      run.SetNextDelay(std::chrono::minutes(5));
      return;
    }
    auto locked = [&t](auto f) {
      std::lock_guard lock(t->m);
      return f(*t->policy);
    };
    const auto now = ToEpochMs(ctx_->Time().Now());
    try {
      const auto action = locked([&](PollingPolicy& p) { return p.Next(now); });
      if (action == PollAction::kCheckState) {
        const auto summary = api.GetVehicle(id);
        locked([&](PollingPolicy& p) {
          p.OnState(summary.state, now);
          return 0;
        });
        OnState(*t, summary.state, now);
      } else if (!api.WithinBudget(id)) {
        // Today's budget is spent: a state check instead, at the policy's state-check cadence (the policy
        // must hear of it, or it asks for data again at once), and tell the owner once.
        if (!std::exchange(t->budget_warned, true)) {
          std::lock_guard lock(t->m);
          ctx_->Log().Warn(t->identity.vin + ": daily Fleet API budget spent; only state checks until tomorrow");
        }
        const auto summary = api.GetVehicle(id);
        locked([&](PollingPolicy& p) {
          p.OnBudgetSpent(summary.state, now);
          return 0;
        });
        OnState(*t, summary.state, now);
      } else {
        const auto data = api.GetVehicleData(id);
        t->budget_warned = false;
        const bool driving = data.shift_state && *data.shift_state != "P";
        const bool charging =
            data.charging_state && (*data.charging_state == "Charging" || *data.charging_state == "Starting");
        locked([&](PollingPolicy& p) {
          p.OnData({.driving = driving,
                    .charging = charging,
                    .fast_charging = data.fast_charger_present.value_or(false),
                    .user_present = data.is_user_present.value_or(false),
                    .time_to_full_h = data.time_to_full_charge_h},
                   now);
          return 0;
        });
        OnData(*t, data, now);
      }
    } catch (const FleetError& e) {
      switch (e.Kind()) {
        case FleetErrorKind::kAsleep:
          locked([&](PollingPolicy& p) {
            p.OnAsleep(now);
            return 0;
          });
          OnState(*t, "asleep", now);
          break;
        case FleetErrorKind::kBudget: {  // spent between WithinBudget and the request
          locked([&](PollingPolicy& p) {
            p.OnBudgetSpent(t->state, now);
            return 0;
          });
          break;
        }
        case FleetErrorKind::kRateLimited:
          run.SetNextDelay(milliseconds(std::max(1, e.RetryAfterSeconds()) * 1000LL));
          return;
        case FleetErrorKind::kNotConnected:
          run.SetNextDelay(std::chrono::minutes(5));
          return;
        default:
          throw;  // logged by the scheduler, retried with backoff
      }
    }
    run.SetNextDelay(locked([](PollingPolicy& p) { return p.Delay(); }));
  }

  void OnState(Tracked& t, const std::string& state, std::int64_t now) {
    bool changed = false;
    VehicleIdentity identity;
    {
      std::lock_guard lock(t.m);
      changed = t.state != state;
      t.state = state;
      t.last_seen_ms = now;
      identity = t.identity;
    }
    if (changed) {
      ctx_->Db().Execute("UPDATE vehicles SET state = ?, last_seen_ms = ?, updated_ms = ? WHERE id = ?",
                         {state, now, now, identity.id});
      const auto [topic, payload] = OnlineMessage(options_, identity.vin, state);
      ctx_->Mqtt().Publish(RelativeTopic(topic), payload);
    }
    events::VehicleState ev;
    ev.vehicle_id = identity.id;
    ev.vin = identity.vin;
    ev.display_name = identity.display_name;
    ev.timestamp_ms = now;
    ev.state = state;
    ctx_->Events().Publish(ev);
  }

  void OnData(Tracked& t, const VehicleData& d, std::int64_t now) {
    const std::int64_t ts = d.timestamp_ms.value_or(now);
    const std::string place = PlaceAt(places_, d.latitude, d.longitude);
    ctx_->Db().InTransaction([&](Transaction& tx) {
      // A cached sample (same car timestamp) is stored once.
      tx.Execute(
          "INSERT INTO vehicle_states (vehicle_id, ts_ms, state, odometer_km, battery_level, usable_battery_level, "
          "battery_range_km, est_battery_range_km, charging_state, charge_limit_soc, charger_power_kw, "
          "charge_energy_added_kwh, time_to_full_h, latitude, longitude, speed_kmh, heading, power_kw, shift_state, "
          "inside_temp_c, outside_temp_c, locked, sentry_mode, is_user_present, car_version, software_update_status, "
          "destination_name, place, raw_data) VALUES (?, ?, 'online', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "?, "
          "?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (vehicle_id, ts_ms) DO NOTHING",
          {t.identity.id,
           ts,
           Sql(d.odometer_km),
           Sql(d.battery_level),
           Sql(d.usable_battery_level),
           Sql(d.battery_range_km),
           Sql(d.est_battery_range_km),
           Sql(d.charging_state),
           Sql(d.charge_limit_soc),
           Sql(d.charger_power_kw),
           Sql(d.charge_energy_added_kwh),
           Sql(d.time_to_full_charge_h),
           Sql(d.latitude),
           Sql(d.longitude),
           Sql(d.speed_kmh),
           Sql(d.heading),
           Sql(d.power_kw),
           Sql(d.shift_state),
           Sql(d.inside_temp_c),
           Sql(d.outside_temp_c),
           Sql(d.locked),
           Sql(d.sentry_mode),
           Sql(d.is_user_present),
           Sql(d.car_version),
           Sql(d.software_update_status),
           Sql(d.active_route_destination),
           place,
           d.raw_json.empty() ? SqlValue() : SqlValue(d.raw_json)});
      tx.Execute(
          "UPDATE vehicles SET state = 'online', last_seen_ms = ?, last_data_ms = ?, model = COALESCE(?, model), "
          "trim = COALESCE(?, trim), color = COALESCE(?, color), updated_ms = ? WHERE id = ?",
          {now, ts, Sql(d.car_type), Sql(d.trim_badging), Sql(d.exterior_color), now, t.identity.id});
    });
    bool identity_changed = false, renamed = false;
    VehicleIdentity identity;
    {
      std::lock_guard lock(t.m);
      identity_changed =
          (d.car_type && *d.car_type != t.identity.model) || (d.car_version && *d.car_version != t.identity.sw_version);
      t.state = "online";
      t.last_seen_ms = now;
      if (d.car_type) t.identity.model = *d.car_type;
      if (d.car_version) t.identity.sw_version = *d.car_version;
      // A car the account's list leaves unnamed is called what it is called in the car.
      if (!t.list_named) {
        const std::string name = VehicleName("", d.vehicle_name.value_or(""), t.identity.model, t.identity.vin);
        if (name != t.identity.display_name &&
            (d.vehicle_name || IsFallbackName(t.identity.display_name, t.identity.model, t.identity.vin))) {
          t.identity.display_name = name;
          renamed = true;
        }
      }
      identity = t.identity;
    }
    if (renamed) {
      ctx_->Db().Execute("UPDATE vehicles SET display_name = ?, updated_ms = ? WHERE id = ?",
                         {identity.display_name, now, identity.id});
      identity_changed = true;
    }
    if (identity_changed) PublishDiscovery(identity);
    for (const auto& [topic, payload] : StateMessages(options_, identity.vin, d)) {
      ctx_->Mqtt().Publish(RelativeTopic(topic), payload);
    }
    events::VehicleState ev;
    ev.vehicle_id = identity.id;
    ev.vin = identity.vin;
    ev.display_name = identity.display_name;
    ev.timestamp_ms = ts;
    ev.state = "online";
    ev.has_data = true;
    ev.data = d;
    ev.place = place;
    ctx_->Events().Publish(ev);
  }

  // ---- MQTT ----------------------------------------------------------------------------------

  std::string RelativeTopic(const std::string& absolute) const {
    return absolute.substr(options_.base_topic.size() + 1);
  }

  void PublishDiscovery(const VehicleIdentity& identity) {
    if (!ctx_->Mqtt().Enabled()) return;
    ctx_->Mqtt().PublishDiscovery(DeviceId(identity.vin), *BuildDiscovery(identity, options_));
  }

  // The car's two buttons. Called once per tracked car (Track), never from discovery: a republish must not
  // add a second handler (one press was two wake_up calls). The bridge keeps one handler per topic.
  void SubscribeCommands(const std::string& vin, std::int64_t id) {
    if (!ctx_->Mqtt().Enabled()) return;
    ctx_->Mqtt().OnCommand(RelativeTopic(StateTopic(options_, vin, "wake")),
                           [this, id](const std::string& payload) { OnButton(id, Command::kWake, payload); });
    ctx_->Mqtt().OnCommand(RelativeTopic(StateTopic(options_, vin, "sync")),
                           [this, id](const std::string& payload) { OnButton(id, Command::kSync, payload); });
  }

  // A press of a car's button over MQTT (the bridge's thread). Every press is logged as accepted or ignored,
  // naming the car and never echoing the payload.
  void OnButton(std::int64_t id, Command command, const std::string& payload) {
    auto t = Find(id);
    if (!t) {
      ctx_->Log().Info(std::string("MQTT ") + ToString(command) + " ignored: vehicle " + std::to_string(id) +
                       " is no longer tracked");
      return;
    }
    std::string vin;
    {
      std::lock_guard lock(t->m);
      vin = t->identity.vin;
    }
    try {
      const auto outcome = command == Command::kWake ? Wake(id, payload) : SyncNow(id, payload);
      ctx_->Log().Info("MQTT " + std::string(ToString(command)) + " for " + vin + " " + outcome.message);
    } catch (const FleetError& e) {
      ctx_->Log().Warn("MQTT " + std::string(ToString(command)) + " for " + vin +
                       " accepted but not sent: " + e.what());
    }
  }

  void PublishAllDiscovery() {
    std::vector<std::shared_ptr<Tracked>> all;
    {
      std::lock_guard lock(mutex_);
      for (const auto& [id, t] : vehicles_) all.push_back(t);
    }
    for (const auto& t : all) {
      VehicleIdentity identity;
      {
        std::lock_guard lock(t->m);
        identity = t->identity;
      }
      ctx_->Mqtt().PublishDiscovery(DeviceId(identity.vin), *BuildDiscovery(identity, options_));
    }
  }

  // What became of a press (REST answers and log lines).
  struct Outcome {
    std::string vin;
    bool sent = false;         // accepted and acted on
    bool in_progress = false;  // dropped: one of the same kind is in flight (it will do the work)
    std::string state;         // wake: the car's state wake_up answered, else the last known one
    std::string message;       // for the owner: "accepted: ..." or "ignored: ..."
  };

  // The car's gate decides whether a press goes through (payload PRESS, one of a kind in flight). Returns
  // nullopt when accepted, else what became of it.
  std::optional<Outcome> Gate(Tracked& t, Command command, const std::string& payload) {
    const auto now = ToEpochMs(ctx_->Time().Now());
    std::lock_guard lock(t.m);
    Outcome o{t.identity.vin, false, false, t.state, ""};
    switch (t.commands.Begin(command, payload, now)) {
      case CommandVerdict::kAccept:
        return std::nullopt;
      case CommandVerdict::kBadPayload:
        o.message = "ignored: the payload is not " + std::string(CommandGate::kPress) + " (" +
                    std::to_string(payload.size()) + " bytes)";
        return o;
      case CommandVerdict::kInProgress:
        o.in_progress = true;
        o.message = std::string("ignored: a ") + ToString(command) + " is already in progress (since " +
                    std::to_string(t.commands.InFlightMs(command, now).value_or(0) / 1000) + " s)";
        return o;
    }
    return o;
  }

  // Wakes the car: the only call that does. One wake_up per car in flight; the Fleet client refuses it
  // (FleetError, nothing sent) when it would go over today's budget or while a 429 hold lasts, and the
  // next press is accepted again. Throws FleetError; NotFound for an untracked car.
  Outcome Wake(std::int64_t id, const std::string& payload) {
    auto t = Find(id);
    if (!t) throw HttpError::NotFound("vehicle " + std::to_string(id) + " is not tracked");
    if (auto ignored = Gate(*t, Command::kWake, payload)) return *ignored;
    sdk::VehicleSummary summary;
    try {
      summary = ctx_->Tesla().WakeUp(id);
    } catch (...) {
      std::lock_guard lock(t->m);
      t->commands.End(Command::kWake);
      throw;
    }
    // Look again once it had time to connect (10-60 s).
    std::lock_guard lock(t->m);
    t->policy->RequestData();
    ctx_->Jobs().Once("after-wake-" + t->identity.vin, std::chrono::seconds(20),
                      [this, job = t->job] { ctx_->Jobs().RunNow(job); });
    return {t->identity.vin, true, false, summary.state,
            "accepted: wake_up sent (the car answered " + summary.state + ")"};
  }

  // Fetches data at the next poll run if the car is awake (never wakes it). One sync per car in flight:
  // until that poll run has finished (Poll ends it).
  Outcome SyncNow(std::int64_t id, const std::string& payload) {
    auto t = Find(id);
    if (!t) throw HttpError::NotFound("vehicle " + std::to_string(id) + " is not tracked");
    if (auto ignored = Gate(*t, Command::kSync, payload)) return *ignored;
    std::string job;
    {
      std::lock_guard lock(t->m);
      t->policy->RequestData();
      job = t->job;
    }
    if (!ctx_->Jobs().RunNow(job)) {
      std::lock_guard lock(t->m);
      t->commands.End(Command::kSync);
      return {t->identity.vin, false, false, t->state, "ignored: the car has no poll job"};
    }
    return {t->identity.vin, true, false, t->state, "accepted: polling now"};
  }

  // ---- REST ----------------------------------------------------------------------------------

  std::int64_t Resolve(const std::string& id_or_vin) {
    std::int64_t id = 0;
    ctx_->Db().InReadTransaction([&](Transaction& tx) { id = Resolve(tx, id_or_vin); });
    return id;
  }
  static std::int64_t Resolve(Transaction& tx, const std::string& id_or_vin) {
    // An id (a positive number without a leading zero: VINs always hold letters) by the primary key, anything
    // else as a VIN.
    const auto id = id_or_vin.empty() || id_or_vin[0] == '0'
                        ? std::nullopt
                        : query::ParseInt(id_or_vin, 1, std::numeric_limits<std::int64_t>::max());
    auto r = id ? tx.Query("SELECT id FROM vehicles WHERE id = ?", {*id})
                : tx.Query("SELECT id FROM vehicles WHERE vin = ?", {id_or_vin});
    if (r.rows.empty()) throw HttpError::NotFound("no vehicle '" + id_or_vin + "' (use its id or VIN)");
    return r.rows[0].Int(0);
  }

  Poco::JSON::Object::Ptr VehicleJson(const SqlRow& r) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    const auto id = r.Int(0);
    o->set("id", id);
    o->set("vin", r.String(1));
    o->set("display_name", r.String(2));
    o->set("model", r.String(3));
    o->set("trim", r.String(4));
    o->set("color", r.String(5));
    o->set("state", r.String(6));
    o->set("last_seen", r.Int(7) ? Poco::Dynamic::Var(Iso(r.Int(7))) : Poco::Dynamic::Var());
    o->set("last_data", r.Int(8) ? Poco::Dynamic::Var(Iso(r.Int(8))) : Poco::Dynamic::Var());
    if (auto t = Find(id)) {
      std::lock_guard lock(t->m);
      Poco::JSON::Object::Ptr polling = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      polling->set("mode", settings_.adaptive ? "adaptive" : "fixed");
      polling->set("activity", ToString(t->policy->CurrentActivity()));
      polling->set("suspended", t->policy->Suspended());
      o->set("polling", polling);
    }
    return o;
  }

  static constexpr const char* kVehicleColumns =
      "SELECT id, vin, display_name, model, trim, color, state, last_seen_ms, last_data_ms FROM vehicles";

  void AddRoutes(Context& ctx) {
    ctx.Http().Add("GET", "/api/vehicles", [this](const HttpRequest&) {
      auto rows = ctx_->Db().Query(std::string(kVehicleColumns) + " WHERE removed = 0 ORDER BY display_name, vin");
      Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
      for (const auto& r : rows.rows) list->add(VehicleJson(r));
      Poco::JSON::Object o;
      o.set("items", list);
      o.set("total", static_cast<int>(rows.rows.size()));
      return HttpResponse::Json(o);
    });
    ctx.Http().Add("GET", "/api/vehicles/:id", [this](const HttpRequest& r) {
      const auto id = Resolve(r.Param("id"));
      auto rows = ctx_->Db().Query(std::string(kVehicleColumns) + " WHERE id = ?", {id});
      return HttpResponse::Json(VehicleJson(rows.rows.at(0)));
    });
    ctx.Http().Add("GET", "/api/vehicles/:id/state",
                   [this](const HttpRequest& r) { return LatestState(r.Param("id")); });
    ctx.Http().Add("GET", "/api/vehicles/:id/history",
                   [this](const HttpRequest& r) { return History(Resolve(r.Param("id")), r); });
    ctx.Http().Add("POST", "/api/vehicles/:id/wake", [this](const HttpRequest& r) {
      const auto id = Resolve(r.Param("id"));
      try {
        const auto s = Wake(id, std::string(CommandGate::kPress));
        ctx_->Log().Info("REST wake for " + s.vin + " " + s.message);
        Poco::JSON::Object o;
        o.set("state", s.state);
        o.set("message", s.in_progress         ? "a wake-up is already in progress; the car needs 10-60 seconds"
                         : s.state == "online" ? "the car is awake"
                                               : "wake-up sent; the car needs 10-60 seconds");
        return HttpResponse::Json(o, 202);
      } catch (const FleetError& e) {
        const bool held = e.Kind() == FleetErrorKind::kRateLimited || e.Kind() == FleetErrorKind::kBudget;
        throw HttpError(held ? 429 : 502, "wake_failed", e.what());
      }
    });
    ctx.Http().Add("POST", "/api/vehicles/:id/sync", [this](const HttpRequest& r) {
      const auto s = SyncNow(Resolve(r.Param("id")), std::string(CommandGate::kPress));
      Poco::JSON::Object o;
      o.set("triggered", s.sent || s.in_progress);
      return HttpResponse::Json(o, 202);
    });
  }

  // The route answered most often (dashboards and scripts poll it): the id, both reads in one snapshot (one
  // read transaction), and the answer written straight from the row.
  HttpResponse LatestState(const std::string& id_or_vin) {
    std::int64_t id = 0;
    SqlResult rows, v;
    ctx_->Db().InReadTransaction([&](Transaction& tx) {
      id = Resolve(tx, id_or_vin);
      rows = tx.Query(
        "SELECT ts_ms, odometer_km, battery_level, usable_battery_level, battery_range_km, est_battery_range_km, "
        "charging_state, charge_limit_soc, charger_power_kw, charge_energy_added_kwh, time_to_full_h, latitude, "
        "longitude, speed_kmh, heading, power_kw, shift_state, inside_temp_c, outside_temp_c, locked, sentry_mode, "
        "is_user_present, car_version, software_update_status, place FROM vehicle_states WHERE vehicle_id = ? "
        "ORDER BY ts_ms DESC LIMIT 1",
        {id});
      v = tx.Query("SELECT state, last_seen_ms FROM vehicles WHERE id = ?", {id});
    });
    JsonObjectWriter o;
    o.Int("vehicle_id", id);
    o.String("state", v.rows.at(0).String(0));
    if (v.rows[0].Int(1)) {
      o.String("last_seen", Iso(v.rows[0].Int(1)));
    } else {
      o.Null("last_seen");
    }
    HttpResponse response;
    response.status = 200;
    if (rows.rows.empty()) {
      o.Null("timestamp");
      response.body = o.Finish();
      return response;
    }
    const auto& row = rows.rows[0];
    o.String("timestamp", Iso(row.Int(0)));
    for (std::size_t i = 1; i < rows.columns.size(); ++i) {
      const auto& name = rows.columns[i];
      if (row.IsNull(i)) {
        o.Null(name);
      } else if (name == "charging_state" || name == "shift_state" || name == "car_version" ||
                 name == "software_update_status" || name == "place") {
        o.String(name, row.String(i));
      } else if (name == "locked" || name == "sentry_mode" || name == "is_user_present") {
        o.Bool(name, row.Int(i) != 0);
      } else {
        o.Double(name, row.Double(i));
      }
    }
    if (auto t = Find(id)) {
      std::lock_guard lock(t->m);
      o.String("activity", ToString(t->policy->CurrentActivity()));
    }
    response.body = o.Finish();
    return response;
  }

  HttpResponse History(std::int64_t id, const HttpRequest& r) {
    const auto now = ToEpochMs(ctx_->Time().Now());
    const std::int64_t from = query::TimeParam(r, "from", HistoryTimeFormat()).value_or(now - 24 * 3600'000LL);
    const std::int64_t to = query::TimeParam(r, "to", HistoryTimeFormat()).value_or(now + 1);
    if (to <= from) throw HttpError::BadRequest("'to' must be after 'from'");
    std::vector<std::string> fields;
    if (auto f = r.Query("fields")) {
      std::stringstream ss(*f);
      for (std::string name; std::getline(ss, name, ',');) {
        if (std::find(kHistoryFields.begin(), kHistoryFields.end(), name) == kHistoryFields.end()) {
          std::string known;
          for (const auto& k : kHistoryFields) known += (known.empty() ? "" : ", ") + k;
          throw HttpError::BadRequest("unknown field '" + name + "' (known: " + known + ")");
        }
        fields.push_back(name);
      }
    } else {
      fields = {"battery_level", "battery_range_km", "odometer_km", "speed_kmh", "latitude", "longitude"};
    }
    using query::Resolution;
    const Resolution resolution =
        query::ResolutionParam(r, "resolution", Resolution::kRaw,
                               {Resolution::kRaw, Resolution::k5m, Resolution::k15m, Resolution::k1h, Resolution::k1d});
    const std::int64_t bucket_ms = query::ResolutionMs(resolution).value_or(0);  // 0: every sample
    const auto limit = query::IntParam(r, "limit", 1000, 1, 10000);
    const auto offset = query::IntParam(r, "offset", 0, 0, 100'000'000);

    std::string select, group;
    if (bucket_ms == 0) {
      select = "SELECT ts_ms";
      for (const auto& f : fields) select += ", " + f;
    } else {
      const std::string b = std::to_string(bucket_ms);
      select = "SELECT (ts_ms / " + b + ") * " + b + " AS bucket_ms";
      for (const auto& f : fields) select += ", AVG(" + f + ")";
      group = " GROUP BY (ts_ms / " + b + ")";
    }
    const std::string where = " FROM vehicle_states WHERE vehicle_id = ? AND ts_ms >= ? AND ts_ms < ?";
    const auto count =
        ctx_->Db().Query(bucket_ms == 0 ? "SELECT COUNT(*)" + where
                                        : "SELECT COUNT(DISTINCT ts_ms / " + std::to_string(bucket_ms) + ")" + where,
                         {id, from, to});
    const auto rows = ctx_->Db().Query(select + where + group + " ORDER BY 1 LIMIT ? OFFSET ?",
                                       {id, from, to, std::int64_t{limit}, std::int64_t{offset}});
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
    for (const auto& row : rows.rows) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("time", Iso(row.Int(0)));
      for (std::size_t i = 0; i < fields.size(); ++i) {
        o->set(fields[i], row.IsNull(i + 1) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(row.Double(i + 1)));
      }
      items->add(o);
    }
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("vehicle_id", id);
    out.set("resolution", std::string(query::ResolutionName(resolution)));
    out.set("from", Iso(from));
    out.set("to", Iso(to));
    out.set("items", items);
    out.set("total", count.rows.at(0).Int(0));
    out.set("limit", limit);
    out.set("offset", offset);
    return HttpResponse::Json(out);
  }

  Context* ctx_ = nullptr;
  PollingSettings settings_;
  milliseconds discovery_interval_{std::chrono::hours(1)};
  DiscoveryOptions options_;
  std::vector<Place> places_;
  std::mutex mutex_;  // guards vehicles_ (the map; each entry has its own mutex)
  std::map<std::int64_t, std::shared_ptr<Tracked>> vehicles_;
};

}  // namespace
}  // namespace tessie::vehicle

TESSIE_PLUGIN(tessie::vehicle::VehiclePlugin)
