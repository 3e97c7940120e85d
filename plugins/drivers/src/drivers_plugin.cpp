// The drivers plugin: detects drives from the vehicle plugin's samples, attributes them to drivers, and
// serves drives, drivers and per-driver statistics. The logic lives in the plain classes next to this file;
// this class wires them to the context (storage, events, routes, one job).
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iomanip>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

#include "api_input.hpp"
#include "attribution.hpp"
#include "drive_detector.hpp"
#include "driver_stats.hpp"
#include "openapi_part.hpp"
#include "tessie/sdk/events/charging.hpp"
#include "tessie/sdk/events/openapi.hpp"
#include "tessie/sdk/events/vehicle.hpp"
#include "tessie/sdk/plugin.hpp"
#include "time_zone.hpp"

namespace tessie::plugins::drivers {
namespace {

using namespace tessie::sdk;
namespace ev = tessie::sdk::events;

constexpr const char* kName = "drivers";
constexpr const char* kVersion = "0.1.0";
constexpr std::int64_t kDefaultLimit = 50;
constexpr std::int64_t kMaxLimit = 500;

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> migrations = {
      {1, "drivers and rules",
       "CREATE TABLE drivers_drivers (id {{pk}}, name TEXT NOT NULL, profile_id TEXT, created_ms BIGINT NOT NULL,"
       " updated_ms BIGINT NOT NULL);"
       "CREATE TABLE drivers_rules (id {{pk}}, driver_id BIGINT NOT NULL, position BIGINT NOT NULL,"
       " kind TEXT NOT NULL, weekdays TEXT, from_min BIGINT, to_min BIGINT, start_place TEXT, vehicle_id BIGINT);"
       "CREATE INDEX drivers_rules_driver ON drivers_rules (driver_id);"
       "CREATE TABLE drivers_vehicle_defaults (vehicle_id BIGINT PRIMARY KEY, driver_id BIGINT NOT NULL)"},
      {2, "drives",
       "CREATE TABLE drivers_drives (id {{pk}}, vehicle_id BIGINT NOT NULL, vin TEXT NOT NULL,"
       " display_name TEXT NOT NULL, status TEXT NOT NULL, start_ms BIGINT NOT NULL, end_ms BIGINT,"
       " start_place TEXT NOT NULL, end_place TEXT, start_latitude {{real}}, start_longitude {{real}},"
       " end_latitude {{real}}, end_longitude {{real}}, start_odometer_km {{real}}, end_odometer_km {{real}},"
       " distance_km {{real}}, distance_source TEXT, duration_s BIGINT, energy_kwh {{real}}, energy_source TEXT,"
       " efficiency_wh_per_km {{real}}, max_speed_kmh {{real}}, average_speed_kmh {{real}},"
       " start_battery_level BIGINT, end_battery_level BIGINT, driver_id BIGINT,"
       " attribution TEXT NOT NULL DEFAULT 'none');"
       "CREATE INDEX drivers_drives_start ON drivers_drives (start_ms);"
       "CREATE INDEX drivers_drives_vehicle_start ON drivers_drives (vehicle_id, start_ms);"
       "CREATE INDEX drivers_drives_status ON drivers_drives (status);"
       "CREATE TABLE drivers_drive_points (id {{pk}}, drive_id BIGINT NOT NULL, time_ms BIGINT NOT NULL,"
       " shift_state TEXT, latitude {{real}}, longitude {{real}}, speed_kmh {{real}}, power_kw {{real}},"
       " battery_level BIGINT, usable_battery_level BIGINT, odometer_km {{real}}, energy_remaining_kwh {{real}},"
       " battery_range_km {{real}}, place TEXT NOT NULL);"
       "CREATE INDEX drivers_drive_points_drive ON drivers_drive_points (drive_id, time_ms)"},
      {3, "charging costs",
       "CREATE TABLE drivers_charging_costs (session_id BIGINT PRIMARY KEY, vehicle_id BIGINT NOT NULL,"
       " vin TEXT NOT NULL, started_ms BIGINT NOT NULL, ended_ms BIGINT NOT NULL,"
       " energy_added_kwh {{real}} NOT NULL, cost {{real}}, currency TEXT NOT NULL);"
       "CREATE INDEX drivers_charging_costs_vehicle ON drivers_charging_costs (vehicle_id, ended_ms)"},
      // The detector's last parked sample per car, so that a drive first seen under way after a restart
      // still starts where the car was parked (exact distance).
      {4, "last parked sample",
       "CREATE TABLE drivers_last_parked (vehicle_id BIGINT PRIMARY KEY, time_ms BIGINT NOT NULL,"
       " shift_state TEXT, latitude {{real}}, longitude {{real}}, speed_kmh {{real}}, power_kw {{real}},"
       " battery_level BIGINT, usable_battery_level BIGINT, odometer_km {{real}}, energy_remaining_kwh {{real}},"
       " battery_range_km {{real}}, place TEXT NOT NULL)"},
  };
  return migrations;
}

// ---- small conversions ----------------------------------------------------------------------------

SqlValue Opt(const std::optional<double>& v) { return v ? SqlValue(*v) : SqlValue(); }
SqlValue Opt(const std::optional<int>& v) { return v ? SqlValue(static_cast<std::int64_t>(*v)) : SqlValue(); }
SqlValue Opt(const std::optional<std::int64_t>& v) { return v ? SqlValue(*v) : SqlValue(); }
SqlValue Opt(const std::optional<std::string>& v) { return v ? SqlValue(*v) : SqlValue(); }

std::optional<double> OptDouble(const SqlRow& row, std::size_t i) {
  return row.IsNull(i) ? std::nullopt : std::optional<double>(row.Double(i));
}
std::optional<std::int64_t> OptInt(const SqlRow& row, std::size_t i) {
  return row.IsNull(i) ? std::nullopt : std::optional<std::int64_t>(row.Int(i));
}

double Round(double v, int decimals) {
  const double f = std::pow(10.0, decimals);
  return std::round(v * f) / f;
}
Poco::Dynamic::Var JsonNumber(const std::optional<double>& v, int decimals) {
  return v ? Poco::Dynamic::Var(Round(*v, decimals)) : Poco::Dynamic::Var();
}
Poco::Dynamic::Var JsonInt(const std::optional<std::int64_t>& v) {
  return v ? Poco::Dynamic::Var(*v) : Poco::Dynamic::Var();
}

DriveSample ToSample(const ev::VehicleState& e) {
  const auto& d = e.data;
  DriveSample s;
  s.time_ms = e.timestamp_ms != 0 ? e.timestamp_ms : d.timestamp_ms.value_or(0);
  s.shift_state = d.shift_state;
  s.speed_kmh = d.speed_kmh;
  s.power_kw = d.power_kw;
  s.latitude = d.latitude;
  s.longitude = d.longitude;
  s.odometer_km = d.odometer_km;
  s.battery_level = d.battery_level;
  s.usable_battery_level = d.usable_battery_level;
  s.energy_remaining_kwh = d.energy_remaining_kwh;
  s.battery_range_km = d.battery_range_km;
  s.charging = d.charging_state && (*d.charging_state == "Charging" || *d.charging_state == "Starting");
  s.place = e.place;
  return s;
}

std::optional<int> OptSmallInt(const SqlRow& row, std::size_t i) {
  return row.IsNull(i) ? std::nullopt : std::optional<int>(static_cast<int>(row.Int(i)));
}

std::string JoinInts(const std::vector<int>& values) {
  std::string out;
  for (int v : values) out += (out.empty() ? "" : ",") + std::to_string(v);
  return out;
}
std::vector<int> SplitInts(const std::string& text) {
  std::vector<int> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(std::stoi(text.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

// Every drive column the REST answers use, with the driver's name.
constexpr const char* kDriveColumns =
    "d.id, d.vehicle_id, d.vin, d.display_name, d.start_ms, d.end_ms, d.start_place, d.end_place,"
    " d.start_latitude, d.start_longitude, d.end_latitude, d.end_longitude, d.start_odometer_km,"
    " d.end_odometer_km, d.distance_km, d.distance_source, d.duration_s, d.energy_kwh, d.energy_source,"
    " d.efficiency_wh_per_km, d.max_speed_kmh, d.average_speed_kmh, d.start_battery_level, d.end_battery_level,"
    " d.driver_id, dr.name AS driver_name, d.attribution"
    " FROM drivers_drives d LEFT JOIN drivers_drivers dr ON dr.id = d.driver_id";

Poco::JSON::Object::Ptr DriveToJson(const SqlResult& res, const SqlRow& row) {
  auto col = [&](const char* name) { return res.Index(name); };
  auto str = [&](const char* name) {
    const auto i = col(name);
    return row.IsNull(i) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(row.String(i));
  };
  auto num = [&](const char* name, int decimals) { return JsonNumber(OptDouble(row, col(name)), decimals); };
  auto time = [&](const char* name) {
    const auto v = OptInt(row, col(name));
    return v ? Poco::Dynamic::Var(FormatIsoUtc(*v)) : Poco::Dynamic::Var();
  };
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("id", row.Int(col("id")));
  o->set("vehicle_id", row.Int(col("vehicle_id")));
  o->set("vin", str("vin"));
  o->set("display_name", str("display_name"));
  o->set("start_time", time("start_ms"));
  o->set("end_time", time("end_ms"));
  o->set("start_place", str("start_place"));
  o->set("end_place", str("end_place"));
  o->set("start_latitude", num("start_latitude", 6));
  o->set("start_longitude", num("start_longitude", 6));
  o->set("end_latitude", num("end_latitude", 6));
  o->set("end_longitude", num("end_longitude", 6));
  o->set("start_odometer_km", num("start_odometer_km", 3));
  o->set("end_odometer_km", num("end_odometer_km", 3));
  o->set("distance_km", num("distance_km", 3));
  o->set("distance_source", str("distance_source"));
  o->set("duration_s", JsonInt(OptInt(row, col("duration_s"))));
  o->set("energy_used_kwh", num("energy_kwh", 3));
  o->set("energy_source", str("energy_source"));
  o->set("efficiency_wh_per_km", num("efficiency_wh_per_km", 1));
  o->set("max_speed_kmh", num("max_speed_kmh", 1));
  o->set("average_speed_kmh", num("average_speed_kmh", 1));
  o->set("start_battery_level", JsonInt(OptInt(row, col("start_battery_level"))));
  o->set("end_battery_level", JsonInt(OptInt(row, col("end_battery_level"))));
  o->set("driver_id", JsonInt(OptInt(row, col("driver_id"))));
  o->set("driver_name", str("driver_name"));
  o->set("attribution", str("attribution"));
  return o;
}

template <class F>
auto Guard(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const InputError& e) {
    throw HttpError::BadRequest(e.what());
  }
}

// ---- the plugin ------------------------------------------------------------------------------------

class DriversPlugin final : public Plugin {
 public:
  PluginInfo Info() const override {
    auto positive = [](const Poco::Dynamic::Var& v) -> std::string {
      return v.convert<double>() > 0 ? "" : "must be greater than 0";
    };
    auto non_negative = [](const Poco::Dynamic::Var& v) -> std::string {
      return v.convert<double>() >= 0 ? "" : "must not be negative";
    };
    auto zone = [](const Poco::Dynamic::Var& v) -> std::string {
      try {
        TimeZone z(v.convert<std::string>());
        return "";
      } catch (const std::invalid_argument& e) {
        return e.what();
      }
    };
    return {kName,
            kVersion,
            "detects drives, attributes them to drivers, per-driver statistics and charging cost share",
            {},
            {{"time_zone", ConfigType::kString, "IANA time zone for time-window rules and date-only queries",
              std::string("UTC"), false, false, zone},
             {"max_gap", ConfigType::kDuration, "a longer gap between two samples ends the drive at the earlier one",
              Poco::Int64(15 * 60 * 1000), false, false, positive},
             {"min_distance_m", ConfigType::kDouble, "drives shorter than this are dropped", 10.0, false, false,
              non_negative},
             {"battery_capacity_kwh", ConfigType::kDouble,
              "usable pack energy, for drive energy from the usable battery level when energy_remaining is missing",
              75.0, false, false, positive},
             {"rated_wh_per_km", ConfigType::kDouble,
              "consumption per rated km, for drive energy from rated range when nothing better is reported", 150.0,
              false, false, positive}}};
  }

  void Configure(Context& ctx) override {
    // This plugin's routes in GET /api/openapi.json (openapi.yaml, embedded at build time).
    ctx.Events().Publish(::tessie::sdk::events::OpenApiPart{kOpenApiYaml});
    ctx_ = &ctx;
    const auto& c = ctx.Config();
    try {
      zone_ = std::make_unique<TimeZone>(c.GetString("time_zone"));
    } catch (const std::invalid_argument& e) {
      throw ConfigError(std::string("time_zone: ") + e.what());
    }
    DriveOptions options;
    options.max_gap_ms = c.GetDuration("max_gap").count();
    options.min_distance_km = c.GetDouble("min_distance_m") / 1000.0;
    options.battery_capacity_kwh = c.GetDouble("battery_capacity_kwh");
    options.rated_wh_per_km = c.GetDouble("rated_wh_per_km");
    detector_ = DriveDetector(options);

    ctx.Db().Migrate(Migrations());
    {
      std::lock_guard lock(mutex_);
      attribution_ = std::make_shared<const Attribution>(*zone_, LoadDrivers());
    }
    RegisterRoutes(ctx.Http());
  }

  void Start(Context& ctx) override {
    {
      std::lock_guard lock(mutex_);
      RestoreOpenDrives();
      RestoreParked();
    }
    ctx.Events().Subscribe<ev::VehicleState>([this](const ev::VehicleState& e) { OnVehicleState(e); });
    ctx.Events().Subscribe<ev::ChargingSessionClosed>(
        [this](const ev::ChargingSessionClosed& e) { OnChargingSession(e); });
    ctx.Jobs().Every({.name = "close-stale-drives", .interval = std::chrono::minutes(1)}, [this](JobRun&) {
      std::lock_guard lock(mutex_);
      Apply(detector_.Sweep(NowMs()), nullptr);
    });
  }

  void Stop() override {}

 private:
  std::int64_t NowMs() const { return ToEpochMs(ctx_->Time().Now()); }

  // ---- events (publisher's thread) ----

  void OnVehicleState(const ev::VehicleState& e) {
    std::lock_guard lock(mutex_);
    if (e.has_data) {
      const auto sample = ToSample(e);
      Apply(detector_.OnSample(e.vehicle_id, sample, NowMs()), &e);
      if (!sample.IsDriving()) StoreParked(e.vehicle_id, sample);
    } else {
      Apply(detector_.OnState(e.vehicle_id, e.timestamp_ms, e.state), &e);
    }
  }

  void OnChargingSession(const ev::ChargingSessionClosed& e) {
    ctx_->Db().Execute(
        "INSERT INTO drivers_charging_costs (session_id, vehicle_id, vin, started_ms, ended_ms, energy_added_kwh,"
        " cost, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET"
        " vehicle_id = excluded.vehicle_id, vin = excluded.vin, started_ms = excluded.started_ms,"
        " ended_ms = excluded.ended_ms, energy_added_kwh = excluded.energy_added_kwh, cost = excluded.cost,"
        " currency = excluded.currency",
        {e.session_id, e.vehicle_id, e.vin, e.started_ms, e.ended_ms, e.energy_added_kwh, Opt(e.cost), e.currency});
  }

  // Stores what the detector decided. Caller holds mutex_. `origin` (may be null) names the vehicle of new
  // drives.
  void Apply(const std::vector<DriveEvent>& events, const ev::VehicleState* origin) {
    std::map<std::int64_t, std::int64_t> started;  // vehicle → key of the drive stored in this batch
    for (auto e : events) {
      try {
        if (e.drive_key == 0 && e.kind != DriveEvent::Kind::kStarted) {
          if (auto it = started.find(e.vehicle_id); it != started.end()) e.drive_key = it->second;
        }
        const auto key = ApplyOne(e, origin);
        if (e.kind == DriveEvent::Kind::kStarted) started[e.vehicle_id] = key;
      } catch (const std::exception& ex) {
        ctx_->Log().Error("vehicle " + std::to_string(e.vehicle_id) + ": could not store drive " +
                          std::to_string(e.drive_key) + ": " + ex.what());
      }
    }
  }

  // Returns the key of a drive it started (0 otherwise).
  std::int64_t ApplyOne(const DriveEvent& e, const ev::VehicleState* origin) {
    auto& db = ctx_->Db();
    switch (e.kind) {
      case DriveEvent::Kind::kStarted: {
        std::int64_t id = 0;
        db.InTransaction([&](Transaction& tx) {
          auto res = tx.Query(
              "INSERT INTO drivers_drives (vehicle_id, vin, display_name, status, start_ms, start_place, attribution)"
              " VALUES (?, ?, ?, 'open', ?, ?, 'none') RETURNING id",
              {e.vehicle_id, origin ? origin->vin : std::string(), origin ? origin->display_name : std::string(),
               e.sample.time_ms, e.sample.place});
          id = res.rows.at(0).Int(0);
          InsertPoint(tx, id, e.sample);
        });
        detector_.SetDriveKey(e.vehicle_id, id);
        return id;
      }
      case DriveEvent::Kind::kExtended:
        if (e.drive_key == 0) return 0;
        db.InTransaction([&](Transaction& tx) { InsertPoint(tx, e.drive_key, e.sample); });
        break;
      case DriveEvent::Kind::kDiscarded:
        if (e.drive_key == 0) return 0;
        db.InTransaction([&](Transaction& tx) {
          tx.Execute("DELETE FROM drivers_drive_points WHERE drive_id = ?", {e.drive_key});
          tx.Execute("DELETE FROM drivers_drives WHERE id = ?", {e.drive_key});
        });
        break;
      case DriveEvent::Kind::kFinished: {
        if (e.drive_key == 0) return 0;
        const auto& s = *e.summary;
        const auto who = attribution_->Attribute({e.vehicle_id, s.start_ms, s.start_place});
        db.Execute(
            "UPDATE drivers_drives SET status = 'closed', start_ms = ?, end_ms = ?, start_place = ?, end_place = ?,"
            " start_latitude = ?, start_longitude = ?, end_latitude = ?, end_longitude = ?, start_odometer_km = ?,"
            " end_odometer_km = ?, distance_km = ?, distance_source = ?, duration_s = ?, energy_kwh = ?,"
            " energy_source = ?, efficiency_wh_per_km = ?, max_speed_kmh = ?, average_speed_kmh = ?,"
            " start_battery_level = ?, end_battery_level = ?, driver_id = ?, attribution = ? WHERE id = ?",
            {s.start_ms,
             s.end_ms,
             s.start_place,
             s.end_place,
             Opt(s.start_latitude),
             Opt(s.start_longitude),
             Opt(s.end_latitude),
             Opt(s.end_longitude),
             Opt(s.start_odometer_km),
             Opt(s.end_odometer_km),
             s.distance_km,
             std::string(ToString(s.distance_source)),
             s.duration_s,
             Opt(s.energy_used_kwh),
             s.energy_used_kwh ? SqlValue(std::string(ToString(s.energy_source))) : SqlValue(),
             Opt(s.efficiency_wh_per_km),
             Opt(s.max_speed_kmh),
             Opt(s.average_speed_kmh),
             Opt(s.start_battery_level),
             Opt(s.end_battery_level),
             Opt(who.driver_id),
             std::string(ToString(who.source)),
             e.drive_key});
        std::ostringstream line;
        line << "vehicle " << e.vehicle_id << ": drive " << e.drive_key << " finished, " << std::fixed
             << std::setprecision(1) << s.distance_km << " km, driver "
             << (who.driver_id ? std::to_string(*who.driver_id) : std::string("none")) << " (" << ToString(who.source)
             << ")";
        ctx_->Log().Info(line.str());
        break;
      }
    }
    return 0;
  }

  static void InsertPoint(Transaction& tx, std::int64_t drive_id, const DriveSample& s) {
    tx.Execute(
        "INSERT INTO drivers_drive_points (drive_id, time_ms, shift_state, latitude, longitude, speed_kmh, power_kw,"
        " battery_level, usable_battery_level, odometer_km, energy_remaining_kwh, battery_range_km, place)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {drive_id, s.time_ms, Opt(s.shift_state), Opt(s.latitude), Opt(s.longitude), Opt(s.speed_kmh), Opt(s.power_kw),
         Opt(s.battery_level), Opt(s.usable_battery_level), Opt(s.odometer_km), Opt(s.energy_remaining_kwh),
         Opt(s.battery_range_km), s.place});
  }

  // Caller holds mutex_.
  void RestoreOpenDrives() {
    auto& db = ctx_->Db();
    const auto open = db.Query("SELECT id, vehicle_id FROM drivers_drives WHERE status = 'open' ORDER BY id");
    for (const auto& row : open.rows) {
      const auto id = row.Int(0);
      const auto vehicle_id = row.Int(1);
      const auto points = db.Query(
          "SELECT time_ms, shift_state, latitude, longitude, speed_kmh, power_kw, battery_level,"
          " usable_battery_level, odometer_km, energy_remaining_kwh, battery_range_km, place"
          " FROM drivers_drive_points WHERE drive_id = ? ORDER BY time_ms, id",
          {id});
      std::vector<DriveSample> samples;
      for (const auto& p : points.rows) {
        DriveSample s;
        s.time_ms = p.Int(0);
        if (!p.IsNull(1)) s.shift_state = p.String(1);
        s.latitude = OptDouble(p, 2);
        s.longitude = OptDouble(p, 3);
        s.speed_kmh = OptDouble(p, 4);
        s.power_kw = OptDouble(p, 5);
        s.battery_level = OptSmallInt(p, 6);
        s.usable_battery_level = OptSmallInt(p, 7);
        s.odometer_km = OptDouble(p, 8);
        s.energy_remaining_kwh = OptDouble(p, 9);
        s.battery_range_km = OptDouble(p, 10);
        s.place = p.String(11);
        samples.push_back(std::move(s));
      }
      if (samples.empty() || detector_.HasOpenDrive(vehicle_id)) {
        db.Execute("DELETE FROM drivers_drive_points WHERE drive_id = ?", {id});
        db.Execute("DELETE FROM drivers_drives WHERE id = ?", {id});
        continue;
      }
      detector_.Restore(vehicle_id, id, std::move(samples), NowMs());
      ctx_->Log().Info("vehicle " + std::to_string(vehicle_id) + ": resumed open drive " + std::to_string(id));
    }
  }

  // Caller holds mutex_.
  void StoreParked(std::int64_t vehicle_id, const DriveSample& s) {
    ctx_->Db().Execute(
        "INSERT INTO drivers_last_parked (vehicle_id, time_ms, shift_state, latitude, longitude, speed_kmh, power_kw,"
        " battery_level, usable_battery_level, odometer_km, energy_remaining_kwh, battery_range_km, place)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (vehicle_id) DO UPDATE SET"
        " time_ms = excluded.time_ms, shift_state = excluded.shift_state, latitude = excluded.latitude,"
        " longitude = excluded.longitude, speed_kmh = excluded.speed_kmh, power_kw = excluded.power_kw,"
        " battery_level = excluded.battery_level, usable_battery_level = excluded.usable_battery_level,"
        " odometer_km = excluded.odometer_km, energy_remaining_kwh = excluded.energy_remaining_kwh,"
        " battery_range_km = excluded.battery_range_km, place = excluded.place"
        " WHERE excluded.time_ms > drivers_last_parked.time_ms",
        {vehicle_id, s.time_ms, Opt(s.shift_state), Opt(s.latitude), Opt(s.longitude), Opt(s.speed_kmh),
         Opt(s.power_kw), Opt(s.battery_level), Opt(s.usable_battery_level), Opt(s.odometer_km),
         Opt(s.energy_remaining_kwh), Opt(s.battery_range_km), s.place});
  }

  // Caller holds mutex_.
  void RestoreParked() {
    const auto rows = ctx_->Db().Query(
        "SELECT vehicle_id, time_ms, shift_state, latitude, longitude, speed_kmh, power_kw, battery_level,"
        " usable_battery_level, odometer_km, energy_remaining_kwh, battery_range_km, place FROM drivers_last_parked");
    for (const auto& p : rows.rows) {
      DriveSample s;
      s.time_ms = p.Int(1);
      if (!p.IsNull(2)) s.shift_state = p.String(2);
      s.latitude = OptDouble(p, 3);
      s.longitude = OptDouble(p, 4);
      s.speed_kmh = OptDouble(p, 5);
      s.power_kw = OptDouble(p, 6);
      s.battery_level = OptSmallInt(p, 7);
      s.usable_battery_level = OptSmallInt(p, 8);
      s.odometer_km = OptDouble(p, 9);
      s.energy_remaining_kwh = OptDouble(p, 10);
      s.battery_range_km = OptDouble(p, 11);
      s.place = p.String(12);
      detector_.RestoreParked(p.Int(0), s);
    }
  }

  // ---- drivers ----

  std::vector<Driver> LoadDrivers() {
    auto& db = ctx_->Db();
    std::vector<Driver> drivers;
    std::map<std::int64_t, std::size_t> index;
    for (const auto& row : db.Query("SELECT id, name, profile_id FROM drivers_drivers ORDER BY id").rows) {
      Driver d;
      d.id = row.Int(0);
      d.name = row.String(1);
      if (!row.IsNull(2)) d.profile_id = row.String(2);
      index[d.id] = drivers.size();
      drivers.push_back(std::move(d));
    }
    for (const auto& row :
         db.Query("SELECT driver_id, kind, weekdays, from_min, to_min, start_place, vehicle_id FROM drivers_rules"
                  " ORDER BY driver_id, position")
             .rows) {
      auto it = index.find(row.Int(0));
      if (it == index.end()) continue;
      auto& d = drivers[it->second];
      const auto vehicle_id = OptInt(row, 6);
      if (row.String(1) == "place") {
        d.place_rules.push_back({row.String(5), vehicle_id});
      } else {
        TimeRule r;
        r.weekdays = SplitInts(row.IsNull(2) ? "" : row.String(2));
        r.from_min = static_cast<int>(row.Int(3));
        r.to_min = static_cast<int>(row.Int(4));
        r.vehicle_id = vehicle_id;
        d.time_rules.push_back(std::move(r));
      }
    }
    for (const auto& row :
         db.Query("SELECT vehicle_id, driver_id FROM drivers_vehicle_defaults ORDER BY vehicle_id").rows) {
      auto it = index.find(row.Int(1));
      if (it != index.end()) drivers[it->second].default_for_vehicles.push_back(row.Int(0));
    }
    return drivers;
  }

  std::optional<Driver> FindDriver(std::int64_t id) {
    for (auto& d : LoadDrivers())
      if (d.id == id) return d;
    return std::nullopt;
  }

  static void WriteDriverRules(Transaction& tx, std::int64_t id, const Driver& d) {
    tx.Execute("DELETE FROM drivers_rules WHERE driver_id = ?", {id});
    tx.Execute("DELETE FROM drivers_vehicle_defaults WHERE driver_id = ?", {id});
    std::int64_t position = 0;
    for (const auto& r : d.time_rules) {
      tx.Execute(
          "INSERT INTO drivers_rules (driver_id, position, kind, weekdays, from_min, to_min, vehicle_id)"
          " VALUES (?, ?, 'time', ?, ?, ?, ?)",
          {id, position++, JoinInts(r.weekdays), static_cast<std::int64_t>(r.from_min),
           static_cast<std::int64_t>(r.to_min), Opt(r.vehicle_id)});
    }
    for (const auto& r : d.place_rules) {
      tx.Execute(
          "INSERT INTO drivers_rules (driver_id, position, kind, start_place, vehicle_id) VALUES (?, ?, 'place', ?, ?)",
          {id, position++, r.start_place, Opt(r.vehicle_id)});
    }
    for (auto vehicle_id : d.default_for_vehicles) {
      tx.Execute("DELETE FROM drivers_vehicle_defaults WHERE vehicle_id = ?", {vehicle_id});
      tx.Execute("INSERT INTO drivers_vehicle_defaults (vehicle_id, driver_id) VALUES (?, ?)", {vehicle_id, id});
    }
  }

  // Reloads the rules and re-attributes every drive not assigned manually. Caller holds mutex_.
  std::size_t ReloadAndReattribute() {
    attribution_ = std::make_shared<const Attribution>(*zone_, LoadDrivers());
    std::size_t changed = 0;
    ctx_->Db().InTransaction([&](Transaction& tx) {
      const auto res = tx.Query(
          "SELECT id, vehicle_id, start_ms, start_place, driver_id, attribution FROM drivers_drives"
          " WHERE status = 'closed' AND attribution <> 'manual'");
      std::vector<AttributedDrive> drives;
      drives.reserve(res.rows.size());
      for (const auto& row : res.rows) {
        AttributedDrive d;
        d.drive_id = row.Int(0);
        d.facts = {row.Int(1), row.Int(2), row.String(3)};
        d.current.driver_id = OptInt(row, 4);
        d.current.source = AttributionSourceFromString(row.String(5)).value_or(AttributionSource::kNone);
        drives.push_back(std::move(d));
      }
      for (const auto& c : attribution_->Reattribute(drives)) {
        tx.Execute("UPDATE drivers_drives SET driver_id = ?, attribution = ? WHERE id = ? AND attribution <> 'manual'",
                   {Opt(c.result.driver_id), std::string(ToString(c.result.source)), c.drive_id});
        ++changed;
      }
    });
    return changed;
  }

  // ---- routes ----

  void RegisterRoutes(HttpRoutes& http) {
    http.Add("GET", "/api/drives", [this](const HttpRequest& r) { return Guard([&] { return ListDrives(r); }); },
             {.summary = "drives, newest first, filtered by vehicle, driver and time"});
    http.Add("GET", "/api/drives/:id", [this](const HttpRequest& r) { return Guard([&] { return GetDrive(r); }); },
             {.summary = "one drive with its path"});
    http.Add("PUT", "/api/drives/:id", [this](const HttpRequest& r) { return Guard([&] { return AssignDrive(r); }); },
             {.summary = "assign a drive to a driver by hand"});
    http.Add("GET", "/api/drivers", [this](const HttpRequest&) { return ListDrivers(); },
             {.summary = "drivers with their rules"});
    http.Add("POST", "/api/drivers", [this](const HttpRequest& r) { return Guard([&] { return SaveDriver(r, 0); }); },
             {.summary = "add a driver"});
    http.Add("GET", "/api/drivers/:id", [this](const HttpRequest& r) { return Guard([&] { return GetDriver(r); }); },
             {.summary = "one driver with their rules"});
    http.Add("PUT", "/api/drivers/:id",
             [this](const HttpRequest& r) {
               return Guard([&] { return SaveDriver(r, ParseId(r.Param("id"), "driver id")); });
             },
             {.summary = "replace a driver and their rules; re-attributes drives not assigned by hand"});
    http.Add("DELETE", "/api/drivers/:id",
             [this](const HttpRequest& r) { return Guard([&] { return DeleteDriver(r); }); },
             {.summary = "remove a driver; their drives become unattributed, or go to ?reassign_to=<driver id>"});
    http.Add("GET", "/api/drivers/:id/stats",
             [this](const HttpRequest& r) { return Guard([&] { return DriverStatsRoute(r); }); },
             {.summary = "a driver's distance, energy, efficiency and charging cost share"});
  }

  HttpResponse ListDrives(const HttpRequest& r) {
    std::string where = " WHERE d.status = 'closed'";
    SqlParams params;
    if (auto v = r.Query("vehicle"); v && !v->empty()) {
      if (std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; })) {
        where += " AND (d.vehicle_id = ? OR d.vin = ?)";
        params.push_back(ParseId(*v, "vehicle"));
        params.push_back(*v);
      } else {
        std::string vin = *v;
        for (auto& c : vin) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        where += " AND d.vin = ?";
        params.push_back(vin);
      }
    }
    if (auto d = r.Query("driver"); d && !d->empty()) {
      if (*d == "none") {
        where += " AND d.driver_id IS NULL";
      } else {
        where += " AND d.driver_id = ?";
        params.push_back(ParseId(*d, "driver (a driver's id, or 'none')"));
      }
    }
    if (auto from = r.Query("from"); from && !from->empty()) {
      where += " AND d.start_ms >= ?";
      params.push_back(ParseTime(*from, "from", *zone_));
    }
    if (auto to = r.Query("to"); to && !to->empty()) {
      where += " AND d.start_ms < ?";
      params.push_back(ParseTime(*to, "to", *zone_));
    }
    const auto limit = r.Query("limit") ? ParseBoundedInt(*r.Query("limit"), "limit", 1, kMaxLimit) : kDefaultLimit;
    const auto offset = r.Query("offset") ? ParseBoundedInt(*r.Query("offset"), "offset", 0, std::int64_t{1} << 40) : 0;

    SqlResult total, page;
    ctx_->Db().InTransaction([&](Transaction& tx) {
      total = tx.Query("SELECT COUNT(*) FROM drivers_drives d" + where, params);
      auto page_params = params;
      page_params.push_back(limit);
      page_params.push_back(offset);
      page = tx.Query(
          std::string("SELECT ") + kDriveColumns + where + " ORDER BY d.start_ms DESC, d.id DESC LIMIT ? OFFSET ?",
          page_params);
    });
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
    for (const auto& row : page.rows) items->add(DriveToJson(page, row));
    Poco::JSON::Object o;
    o.set("items", items);
    o.set("total", total.rows.at(0).Int(0));
    o.set("limit", limit);
    o.set("offset", offset);
    return HttpResponse::Json(o);
  }

  Poco::JSON::Object::Ptr LoadDriveJson(std::int64_t id) {
    const auto res =
        ctx_->Db().Query(std::string("SELECT ") + kDriveColumns + " WHERE d.id = ? AND d.status = 'closed'", {id});
    if (res.rows.empty())
      throw HttpError::NotFound("no drive " + std::to_string(id) + " (GET /api/drives lists finished drives)");
    return DriveToJson(res, res.rows[0]);
  }

  HttpResponse GetDrive(const HttpRequest& r) {
    const auto id = ParseId(r.Param("id"), "drive id");
    auto drive = LoadDriveJson(id);
    const auto points = ctx_->Db().Query(
        "SELECT time_ms, latitude, longitude, speed_kmh, power_kw, battery_level FROM drivers_drive_points"
        " WHERE drive_id = ? AND latitude IS NOT NULL AND longitude IS NOT NULL ORDER BY time_ms, id",
        {id});
    Poco::JSON::Array::Ptr path = new Poco::JSON::Array;
    for (const auto& p : points.rows) {
      Poco::JSON::Object::Ptr point = new Poco::JSON::Object;
      point->set("time", FormatIsoUtc(p.Int(0)));
      point->set("latitude", p.Double(1));
      point->set("longitude", p.Double(2));
      point->set("speed_kmh", JsonNumber(OptDouble(p, 3), 1));
      point->set("power_kw", JsonNumber(OptDouble(p, 4), 1));
      point->set("battery_level", JsonInt(OptInt(p, 5)));
      path->add(point);
    }
    drive->set("path", path);
    return HttpResponse::Json(drive);
  }

  HttpResponse AssignDrive(const HttpRequest& r) {
    const auto id = ParseId(r.Param("id"), "drive id");
    const auto assignment = ParseDriveAssignment(*r.JsonBody());
    {
      std::lock_guard lock(mutex_);
      auto& db = ctx_->Db();
      const auto drive = db.Query(
          "SELECT vehicle_id, start_ms, start_place FROM drivers_drives WHERE id = ? AND status = 'closed'", {id});
      if (drive.rows.empty())
        throw HttpError::NotFound("no drive " + std::to_string(id) + " (GET /api/drives lists finished drives)");
      AttributionResult result{assignment.driver_id, AttributionSource::kManual};
      if (assignment.automatic) {
        const auto& row = drive.rows[0];
        result = attribution_->Attribute({row.Int(0), row.Int(1), row.String(2)});
      } else if (assignment.driver_id &&
                 db.Query("SELECT id FROM drivers_drivers WHERE id = ?", {*assignment.driver_id}).rows.empty()) {
        throw HttpError::BadRequest("driver " + std::to_string(*assignment.driver_id) +
                                    " does not exist (GET /api/drivers lists them)");
      }
      db.Execute("UPDATE drivers_drives SET driver_id = ?, attribution = ? WHERE id = ?",
                 {Opt(result.driver_id), std::string(ToString(result.source)), id});
    }
    return HttpResponse::Json(LoadDriveJson(id));
  }

  HttpResponse ListDrivers() {
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
    for (const auto& d : LoadDrivers()) items->add(DriverToJson(d));
    Poco::JSON::Object o;
    o.set("items", items);
    return HttpResponse::Json(o);
  }

  HttpResponse GetDriver(const HttpRequest& r) {
    const auto id = ParseId(r.Param("id"), "driver id");
    auto d = FindDriver(id);
    if (!d) throw HttpError::NotFound("no driver " + std::to_string(id) + " (GET /api/drivers lists them)");
    return HttpResponse::Json(DriverToJson(*d));
  }

  // id == 0: create (201); otherwise replace driver `id` (404 when unknown).
  HttpResponse SaveDriver(const HttpRequest& r, std::int64_t id) {
    const Driver input = ParseDriverBody(*r.JsonBody());
    const bool created = id == 0;
    std::lock_guard lock(mutex_);
    const auto now = NowMs();
    ctx_->Db().InTransaction([&](Transaction& tx) {
      // One name per driver (trimmed, case-insensitive): two "Alex" cannot be told apart in a list.
      const auto key = NameKey(input.name);
      for (const auto& row : tx.Query("SELECT id, name FROM drivers_drivers").rows) {
        if (row.Int(0) != id && NameKey(row.String(1)) == key) {
          throw HttpError::Conflict("a driver named '" + row.String(1) + "' exists already (driver " +
                                    std::to_string(row.Int(0)) + "); choose another name or edit that driver");
        }
      }
      if (id == 0) {
        id = tx.Query(
                   "INSERT INTO drivers_drivers (name, profile_id, created_ms, updated_ms) VALUES (?, ?, ?, ?)"
                   " RETURNING id",
                   {input.name, Opt(input.profile_id), now, now})
                 .rows.at(0)
                 .Int(0);
      } else if (tx.Execute("UPDATE drivers_drivers SET name = ?, profile_id = ?, updated_ms = ? WHERE id = ?",
                            {input.name, Opt(input.profile_id), now, id}) == 0) {
        throw HttpError::NotFound("no driver " + std::to_string(id) + " (POST /api/drivers adds one)");
      }
      WriteDriverRules(tx, id, input);
    });
    const auto changed = ReloadAndReattribute();
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    for (const auto& d : attribution_->Drivers())
      if (d.id == id) o = DriverToJson(d);
    o->set("reattributed_drives", static_cast<std::int64_t>(changed));
    return HttpResponse::Json(o, created ? 201 : 200);
  }

  // Removes a driver, their rules and vehicle defaults. Their drives become unattributed ("Nobody", kept by hand
  // so that no rule takes them over), or go to the driver `reassign_to` (by hand) when it is given.
  HttpResponse DeleteDriver(const HttpRequest& r) {
    const auto id = ParseId(r.Param("id"), "driver id");
    std::optional<std::int64_t> target;
    if (auto v = r.Query("reassign_to"); v && !v->empty()) {
      target = ParseId(*v, "reassign_to");
      if (*target == id) throw HttpError::BadRequest("'reassign_to' must name another driver than the one deleted");
    }
    std::int64_t moved = 0;
    std::lock_guard lock(mutex_);
    ctx_->Db().InTransaction([&](Transaction& tx) {
      if (tx.Query("SELECT id FROM drivers_drivers WHERE id = ?", {id}).rows.empty())
        throw HttpError::NotFound("no driver " + std::to_string(id) + " (GET /api/drivers lists them)");
      if (target && tx.Query("SELECT id FROM drivers_drivers WHERE id = ?", {*target}).rows.empty())
        throw HttpError::BadRequest("'reassign_to': driver " + std::to_string(*target) +
                                    " does not exist (GET /api/drivers lists them)");
      moved = static_cast<std::int64_t>(tx.Execute(
          "UPDATE drivers_drives SET driver_id = ?, attribution = 'manual' WHERE driver_id = ?", {Opt(target), id}));
      tx.Execute("DELETE FROM drivers_rules WHERE driver_id = ?", {id});
      tx.Execute("DELETE FROM drivers_vehicle_defaults WHERE driver_id = ?", {id});
      tx.Execute("DELETE FROM drivers_drivers WHERE id = ?", {id});
    });
    const auto changed = ReloadAndReattribute();
    Poco::JSON::Object o;
    o.set("deleted", id);
    o.set("drives", moved);
    o.set("reassigned_to", target ? Poco::Dynamic::Var(*target) : Poco::Dynamic::Var());
    o.set("reattributed_drives", static_cast<std::int64_t>(changed));
    return HttpResponse::Json(o);
  }

  HttpResponse DriverStatsRoute(const HttpRequest& r) {
    const auto id = ParseId(r.Param("id"), "driver id");
    const auto driver = ctx_->Db().Query("SELECT name FROM drivers_drivers WHERE id = ?", {id});
    if (driver.rows.empty())
      throw HttpError::NotFound("no driver " + std::to_string(id) + " (GET /api/drivers lists them)");
    std::optional<std::int64_t> from, to;
    if (auto v = r.Query("from"); v && !v->empty()) from = ParseTime(*v, "from", *zone_);
    if (auto v = r.Query("to"); v && !v->empty()) to = ParseTime(*v, "to", *zone_);
    if (from && to && *to <= *from) throw HttpError::BadRequest("'to' must be after 'from'");
    const std::int64_t lo = from.value_or(std::numeric_limits<std::int64_t>::min());
    const std::int64_t hi = to.value_or(std::numeric_limits<std::int64_t>::max());

    std::vector<DriveRecord> drives;
    std::vector<ChargingCost> sessions;
    ctx_->Db().InTransaction([&](Transaction& tx) {
      for (const auto& row : tx.Query("SELECT vehicle_id, driver_id, distance_km, duration_s, energy_kwh FROM"
                                      " drivers_drives WHERE status = 'closed' AND start_ms >= ? AND start_ms < ?",
                                      {lo, hi})
                                 .rows) {
        drives.push_back(
            {row.Int(0), OptInt(row, 1), OptDouble(row, 2).value_or(0), OptInt(row, 3).value_or(0), OptDouble(row, 4)});
      }
      for (const auto& row : tx.Query("SELECT vehicle_id, cost, currency FROM drivers_charging_costs"
                                      " WHERE ended_ms >= ? AND ended_ms < ?",
                                      {lo, hi})
                                 .rows) {
        sessions.push_back({row.Int(0), OptDouble(row, 1), row.String(2)});
      }
    });
    const auto stats = ComputeDriverStats(id, drives, sessions);

    Poco::JSON::Object o;
    o.set("driver_id", id);
    o.set("name", driver.rows[0].String(0));
    o.set("from", from ? Poco::Dynamic::Var(FormatIsoUtc(*from)) : Poco::Dynamic::Var());
    o.set("to", to ? Poco::Dynamic::Var(FormatIsoUtc(*to)) : Poco::Dynamic::Var());
    o.set("drives", stats.drives);
    o.set("distance_km", Round(stats.distance_km, 3));
    o.set("duration_s", stats.duration_s);
    o.set("energy_kwh", Round(stats.energy_kwh, 3));
    o.set("efficiency_wh_per_km", JsonNumber(stats.efficiency_wh_per_km, 1));
    Poco::JSON::Object::Ptr shares = new Poco::JSON::Object;
    for (const auto& [currency, amount] : stats.cost_share) shares->set(currency, Round(amount, 2));
    if (stats.cost_share.size() == 1) {
      o.set("charging_cost_share", Round(stats.cost_share.begin()->second, 2));
      o.set("currency", stats.cost_share.begin()->first);
    } else {
      o.set("charging_cost_share", stats.cost_share.empty() ? Poco::Dynamic::Var(0.0) : Poco::Dynamic::Var());
      o.set("currency", Poco::Dynamic::Var());
    }
    o.set("charging_cost_shares", shares);
    return HttpResponse::Json(o);
  }

  Context* ctx_ = nullptr;
  std::unique_ptr<TimeZone> zone_;
  // Guards detector_ and attribution_ (replaced, never mutated) and serialises every write that decides a
  // drive's driver, so a rule change and a finishing drive cannot interleave.
  std::mutex mutex_;
  DriveDetector detector_;
  std::shared_ptr<const Attribution> attribution_;
};

}  // namespace
}  // namespace tessie::plugins::drivers

TESSIE_PLUGIN(tessie::plugins::drivers::DriversPlugin)
