#include "vehicle_store.hpp"

#include <limits>

#include "tessie/sdk/row.hpp"
#include "sample_row.hpp"
#include "tessie/sdk/http.hpp"
#include "tessie/sdk/query.hpp"

namespace tessie::vehicle {

using sdk::SqlResult;
using sdk::Transaction;

namespace {

std::vector<sdk::Migration> BuildMigrations() {
  return {
      {1, "vehicles and samples",
       "CREATE TABLE vehicles (id BIGINT PRIMARY KEY, vin TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL DEFAULT '', "
       "model TEXT NOT NULL DEFAULT '', trim TEXT NOT NULL DEFAULT '', color TEXT NOT NULL DEFAULT '', "
       "state TEXT NOT NULL DEFAULT '', last_seen_ms BIGINT NOT NULL DEFAULT 0, last_data_ms BIGINT NOT NULL DEFAULT "
       "0, "
       "removed INTEGER NOT NULL DEFAULT 0, created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL);"
       "CREATE TABLE vehicle_states (id {{pk}}, vehicle_id BIGINT NOT NULL, ts_ms BIGINT NOT NULL, state TEXT NOT "
       "NULL, "
       "odometer_km {{real}}, battery_level INTEGER, usable_battery_level INTEGER, battery_range_km {{real}}, "
       "est_battery_range_km {{real}}, charging_state TEXT, charge_limit_soc INTEGER, charger_power_kw {{real}}, "
       "charge_energy_added_kwh {{real}}, time_to_full_h {{real}}, latitude {{real}}, longitude {{real}}, "
       "speed_kmh {{real}}, heading INTEGER, power_kw {{real}}, shift_state TEXT, inside_temp_c {{real}}, "
       "outside_temp_c {{real}}, locked INTEGER, sentry_mode INTEGER, is_user_present INTEGER, car_version TEXT, "
       "software_update_status TEXT, destination_name TEXT, place TEXT, raw_data {{json}});"
       "CREATE UNIQUE INDEX vehicle_states_vehicle_ts ON vehicle_states (vehicle_id, ts_ms)"},
  };
}

constexpr const char* kVehicleColumns =
    "SELECT id, vin, display_name, model, trim, color, state, last_seen_ms, last_data_ms FROM vehicles";

// The columns of LatestSample::sample after ts_ms (the routes name each answer field after its column).
constexpr const char* kLatestSample =
    "SELECT ts_ms, odometer_km, battery_level, usable_battery_level, battery_range_km, est_battery_range_km, "
    "charging_state, charge_limit_soc, charger_power_kw, charge_energy_added_kwh, time_to_full_h, latitude, "
    "longitude, speed_kmh, heading, power_kw, shift_state, inside_temp_c, outside_temp_c, locked, sentry_mode, "
    "is_user_present, car_version, software_update_status, place FROM vehicle_states WHERE vehicle_id = ? "
    "ORDER BY ts_ms DESC LIMIT 1";

const std::string& InsertSampleSql() {
  static const std::string sql = [] {
    std::string s = std::string("INSERT INTO vehicle_states (vehicle_id, ts_ms, state, ") + kSampleColumns +
                    ") VALUES (?, ?, 'online'";
    for (std::size_t i = 0; i < kSampleColumnCount; ++i) s += ", ?";
    return s + ") ON CONFLICT (vehicle_id, ts_ms) DO NOTHING";
  }();
  return sql;
}

StoredVehicle ToVehicle(const sdk::SqlRow& r) {
  return {r.Int(0), r.String(1), r.String(2), r.String(3), r.String(4), r.String(5), r.String(6), r.Int(7), r.Int(8)};
}

std::int64_t Resolve(Transaction& tx, const std::string& id_or_vin) {
  const auto id = id_or_vin.empty() || id_or_vin[0] == '0'
                      ? std::nullopt
                      : sdk::query::ParseInt(id_or_vin, 1, std::numeric_limits<std::int64_t>::max());
  auto r = id ? tx.Query("SELECT id FROM vehicles WHERE id = ?", {*id})
              : tx.Query("SELECT id FROM vehicles WHERE vin = ?", {id_or_vin});
  if (r.rows.empty()) throw sdk::HttpError::NotFound("no vehicle '" + id_or_vin + "' (use its id or VIN)");
  return r.rows[0].Int(0);
}

}  // namespace

std::vector<sdk::Migration> VehicleStore::Migrations() { return BuildMigrations(); }

std::vector<KnownVehicle> VehicleStore::LoadTracked() {
  const auto rows = db_.Query("SELECT id, vin, display_name, model, state FROM vehicles WHERE removed = 0");
  std::vector<KnownVehicle> known;
  for (const auto& r : rows.rows) known.push_back({{r.Int(0), r.String(1), r.String(2), r.String(3), ""}, r.String(4)});
  return known;
}

std::optional<VehicleStore::NameAndModel> VehicleStore::FindNameAndModel(std::int64_t id) {
  const auto r = db_.Query("SELECT display_name, model FROM vehicles WHERE id = ?", {id});
  if (r.rows.empty()) return std::nullopt;
  return NameAndModel{r.rows[0].String(0), r.rows[0].String(1)};
}

void VehicleStore::UpsertListed(const sdk::VehicleSummary& v, const std::string& name, std::int64_t now_ms) {
  db_.Execute(
      "INSERT INTO vehicles (id, vin, display_name, state, last_seen_ms, created_ms, updated_ms) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET vin = excluded.vin, "
      "display_name = excluded.display_name, state = excluded.state, removed = 0, updated_ms = excluded.updated_ms",
      {v.id, v.vin, name, v.state, now_ms, now_ms, now_ms});
}

void VehicleStore::MarkRemoved(std::int64_t id, std::int64_t now_ms) {
  db_.Execute("UPDATE vehicles SET removed = 1, updated_ms = ? WHERE id = ?", {now_ms, id});
}

void VehicleStore::SetState(std::int64_t id, const std::string& state, std::int64_t now_ms) {
  db_.Execute("UPDATE vehicles SET state = ?, last_seen_ms = ?, updated_ms = ? WHERE id = ?",
              {state, now_ms, now_ms, id});
}

void VehicleStore::InsertSample(std::int64_t id, std::int64_t ts_ms, const sdk::VehicleData& d,
                                const std::string& place, std::int64_t now_ms) {
  sdk::SqlParams params{id, ts_ms};
  for (auto& v : SampleValues(d, place)) params.push_back(std::move(v));
  db_.InTransaction([&](Transaction& tx) {
    tx.Execute(InsertSampleSql(), params);
    tx.Execute(
        "UPDATE vehicles SET state = 'online', last_seen_ms = ?, last_data_ms = ?, model = COALESCE(?, model), "
        "trim = COALESCE(?, trim), color = COALESCE(?, color), updated_ms = ? WHERE id = ?",
        {now_ms, ts_ms, sdk::ToSql(d.car_type), sdk::ToSql(d.trim_badging), sdk::ToSql(d.exterior_color), now_ms, id});
  });
}

void VehicleStore::Rename(std::int64_t id, const std::string& name, std::int64_t now_ms) {
  db_.Execute("UPDATE vehicles SET display_name = ?, updated_ms = ? WHERE id = ?", {name, now_ms, id});
}

std::int64_t VehicleStore::Resolve(const std::string& id_or_vin) {
  std::int64_t id = 0;
  db_.InReadTransaction([&](Transaction& tx) { id = vehicle::Resolve(tx, id_or_vin); });
  return id;
}

std::vector<StoredVehicle> VehicleStore::ListVehicles() {
  const auto rows = db_.Query(std::string(kVehicleColumns) + " WHERE removed = 0 ORDER BY display_name, vin");
  std::vector<StoredVehicle> vehicles;
  vehicles.reserve(rows.rows.size());
  for (const auto& r : rows.rows) vehicles.push_back(ToVehicle(r));
  return vehicles;
}

StoredVehicle VehicleStore::GetVehicle(std::int64_t id) {
  const auto rows = db_.Query(std::string(kVehicleColumns) + " WHERE id = ?", {id});
  return ToVehicle(rows.rows.at(0));
}

LatestSample VehicleStore::Latest(const std::string& id_or_vin) {
  LatestSample latest;
  SqlResult v;
  db_.InReadTransaction([&](Transaction& tx) {
    latest.vehicle_id = vehicle::Resolve(tx, id_or_vin);
    latest.sample = tx.Query(kLatestSample, {latest.vehicle_id});
    v = tx.Query("SELECT state, last_seen_ms FROM vehicles WHERE id = ?", {latest.vehicle_id});
  });
  latest.state = v.rows.at(0).String(0);
  latest.last_seen_ms = v.rows[0].Int(1);
  return latest;
}

HistoryPage VehicleStore::History(std::int64_t id, const HistoryQuery& q) {
  std::string select, group;
  if (q.bucket_ms == 0) {
    select = "SELECT ts_ms";
    for (const auto& f : q.fields) select += ", " + f;
  } else {
    const std::string b = std::to_string(q.bucket_ms);
    select = "SELECT (ts_ms / " + b + ") * " + b + " AS bucket_ms";
    for (const auto& f : q.fields) select += ", AVG(" + f + ")";
    group = " GROUP BY (ts_ms / " + b + ")";
  }
  const std::string where = " FROM vehicle_states WHERE vehicle_id = ? AND ts_ms >= ? AND ts_ms < ?";
  const auto count =
      db_.Query(q.bucket_ms == 0 ? "SELECT COUNT(*)" + where
                                 : "SELECT COUNT(DISTINCT ts_ms / " + std::to_string(q.bucket_ms) + ")" + where,
                {id, q.from_ms, q.to_ms});
  HistoryPage page;
  page.rows =
      db_.Query(select + where + group + " ORDER BY 1 LIMIT ? OFFSET ?", {id, q.from_ms, q.to_ms, q.limit, q.offset});
  page.total = count.rows.at(0).Int(0);
  return page;
}

}  // namespace tessie::vehicle
