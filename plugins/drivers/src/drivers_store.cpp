#include "drivers_store.hpp"

#include "tessie/sdk/row.hpp"

namespace tessie::drivers {

using sdk::OptDouble;
using sdk::OptInt;
using sdk::OptString;
using sdk::SqlParams;
using sdk::SqlRow;
using sdk::ToSql;
using sdk::Transaction;

namespace {

// A battery level column (0..100) as the int the sample holds.
std::optional<int> OptLevel(const SqlRow& row, std::size_t i) {
  const auto v = OptInt(row, i);
  return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

}  // namespace

const std::vector<sdk::Migration>& DriversStore::Migrations() {
  static const std::vector<sdk::Migration> migrations = {
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

namespace {

// The columns of a drive point and of a parked sample, in DriveSample order (SampleFromRow reads them).
constexpr const char* kSampleColumns =
    "time_ms, shift_state, latitude, longitude, speed_kmh, power_kw, battery_level, usable_battery_level,"
    " odometer_km, energy_remaining_kwh, battery_range_km, place";

// The sample stored in `row` from column `first` on (kSampleColumns).
DriveSample SampleFromRow(const SqlRow& p, std::size_t first) {
  DriveSample s;
  s.time_ms = p.Int(first);
  s.shift_state = OptString(p, first + 1);
  s.latitude = OptDouble(p, first + 2);
  s.longitude = OptDouble(p, first + 3);
  s.speed_kmh = OptDouble(p, first + 4);
  s.power_kw = OptDouble(p, first + 5);
  s.battery_level = OptLevel(p, first + 6);
  s.usable_battery_level = OptLevel(p, first + 7);
  s.odometer_km = OptDouble(p, first + 8);
  s.energy_remaining_kwh = OptDouble(p, first + 9);
  s.battery_range_km = OptDouble(p, first + 10);
  s.place = p.String(first + 11);
  return s;
}

// `leading` followed by the sample's values in kSampleColumns order.
SqlParams SampleParams(SqlParams leading, const DriveSample& s) {
  leading.insert(leading.end(),
                 {s.time_ms, ToSql(s.shift_state), ToSql(s.latitude), ToSql(s.longitude), ToSql(s.speed_kmh),
                  ToSql(s.power_kw), ToSql(s.battery_level), ToSql(s.usable_battery_level), ToSql(s.odometer_km),
                  ToSql(s.energy_remaining_kwh), ToSql(s.battery_range_km), s.place});
  return leading;
}

void InsertPoint(Transaction& tx, std::int64_t drive_id, const DriveSample& s) {
  tx.Execute(std::string("INSERT INTO drivers_drive_points (drive_id, ") + kSampleColumns +
                 ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             SampleParams({drive_id}, s));
}

void DeleteDriveIn(Transaction& tx, std::int64_t drive_id) {
  tx.Execute("DELETE FROM drivers_drive_points WHERE drive_id = ?", {drive_id});
  tx.Execute("DELETE FROM drivers_drives WHERE id = ?", {drive_id});
}

// Every drive column the REST answers use, with the driver's name, in DriveFromRow order.
constexpr const char* kDriveColumns =
    "d.id, d.vehicle_id, d.vin, d.display_name, d.start_ms, d.end_ms, d.start_place, d.end_place,"
    " d.start_latitude, d.start_longitude, d.end_latitude, d.end_longitude, d.start_odometer_km,"
    " d.end_odometer_km, d.distance_km, d.distance_source, d.duration_s, d.energy_kwh, d.energy_source,"
    " d.efficiency_wh_per_km, d.max_speed_kmh, d.average_speed_kmh, d.start_battery_level, d.end_battery_level,"
    " d.driver_id, dr.name AS driver_name, d.attribution"
    " FROM drivers_drives d LEFT JOIN drivers_drivers dr ON dr.id = d.driver_id";

DriveRow DriveFromRow(const SqlRow& row) {
  DriveRow d;
  d.id = row.Int(0);
  d.vehicle_id = row.Int(1);
  d.vin = row.String(2);
  d.display_name = row.String(3);
  d.start_ms = row.Int(4);
  d.end_ms = OptInt(row, 5);
  d.start_place = row.String(6);
  d.end_place = OptString(row, 7);
  d.start_latitude = OptDouble(row, 8);
  d.start_longitude = OptDouble(row, 9);
  d.end_latitude = OptDouble(row, 10);
  d.end_longitude = OptDouble(row, 11);
  d.start_odometer_km = OptDouble(row, 12);
  d.end_odometer_km = OptDouble(row, 13);
  d.distance_km = OptDouble(row, 14);
  d.distance_source = OptString(row, 15);
  d.duration_s = OptInt(row, 16);
  d.energy_kwh = OptDouble(row, 17);
  d.energy_source = OptString(row, 18);
  d.efficiency_wh_per_km = OptDouble(row, 19);
  d.max_speed_kmh = OptDouble(row, 20);
  d.average_speed_kmh = OptDouble(row, 21);
  d.start_battery_level = OptInt(row, 22);
  d.end_battery_level = OptInt(row, 23);
  d.driver_id = OptInt(row, 24);
  d.driver_name = OptString(row, 25);
  d.attribution = row.String(26);
  return d;
}

}  // namespace

// ---- drives being recorded ----

std::int64_t DriversStore::OpenDrive(std::int64_t vehicle_id, const VehicleLabel& label, const DriveSample& first) {
  std::int64_t id = 0;
  db_.InTransaction([&](Transaction& tx) {
    id = tx.Query(
               "INSERT INTO drivers_drives (vehicle_id, vin, display_name, status, start_ms, start_place, attribution)"
               " VALUES (?, ?, ?, 'open', ?, ?, 'none') RETURNING id",
               {vehicle_id, label.vin, label.display_name, first.time_ms, first.place})
             .rows.at(0)
             .Int(0);
    InsertPoint(tx, id, first);
  });
  return id;
}

void DriversStore::AddPoint(std::int64_t drive_key, const DriveSample& sample) {
  db_.InTransaction([&](Transaction& tx) { InsertPoint(tx, drive_key, sample); });
}

void DriversStore::DeleteDrive(std::int64_t drive_key) {
  db_.InTransaction([&](Transaction& tx) { DeleteDriveIn(tx, drive_key); });
}

void DriversStore::CloseDrive(std::int64_t drive_key, const DriveSummary& s, const AttributionResult& driver) {
  db_.Execute(
      "UPDATE drivers_drives SET status = 'closed', start_ms = ?, end_ms = ?, start_place = ?, end_place = ?,"
      " start_latitude = ?, start_longitude = ?, end_latitude = ?, end_longitude = ?, start_odometer_km = ?,"
      " end_odometer_km = ?, distance_km = ?, distance_source = ?, duration_s = ?, energy_kwh = ?,"
      " energy_source = ?, efficiency_wh_per_km = ?, max_speed_kmh = ?, average_speed_kmh = ?,"
      " start_battery_level = ?, end_battery_level = ?, driver_id = ?, attribution = ? WHERE id = ?",
      {s.start_ms,
       s.end_ms,
       s.start_place,
       s.end_place,
       ToSql(s.start_latitude),
       ToSql(s.start_longitude),
       ToSql(s.end_latitude),
       ToSql(s.end_longitude),
       ToSql(s.start_odometer_km),
       ToSql(s.end_odometer_km),
       s.distance_km,
       std::string(ToString(s.distance_source)),
       s.duration_s,
       ToSql(s.energy_used_kwh),
       s.energy_used_kwh ? sdk::SqlValue(std::string(ToString(s.energy_source))) : sdk::SqlValue(),
       ToSql(s.efficiency_wh_per_km),
       ToSql(s.max_speed_kmh),
       ToSql(s.average_speed_kmh),
       ToSql(s.start_battery_level),
       ToSql(s.end_battery_level),
       ToSql(driver.driver_id),
       std::string(ToString(driver.source)),
       drive_key});
}

void DriversStore::SaveParked(std::int64_t vehicle_id, const DriveSample& s) {
  db_.Execute(std::string("INSERT INTO drivers_last_parked (vehicle_id, ") + kSampleColumns +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (vehicle_id) DO UPDATE SET"
                  " time_ms = excluded.time_ms, shift_state = excluded.shift_state, latitude = excluded.latitude,"
                  " longitude = excluded.longitude, speed_kmh = excluded.speed_kmh, power_kw = excluded.power_kw,"
                  " battery_level = excluded.battery_level, usable_battery_level = excluded.usable_battery_level,"
                  " odometer_km = excluded.odometer_km, energy_remaining_kwh = excluded.energy_remaining_kwh,"
                  " battery_range_km = excluded.battery_range_km, place = excluded.place"
                  " WHERE excluded.time_ms > drivers_last_parked.time_ms",
              SampleParams({vehicle_id}, s));
}

std::vector<StoredOpenDrive> DriversStore::OpenDrives() {
  std::vector<StoredOpenDrive> drives;
  db_.InReadTransaction([&](Transaction& tx) {
    for (const auto& row :
         tx.Query("SELECT id, vehicle_id FROM drivers_drives WHERE status = 'open' ORDER BY id").rows) {
      StoredOpenDrive d{row.Int(0), row.Int(1), {}};
      for (const auto& p : tx.Query(std::string("SELECT ") + kSampleColumns +
                                        " FROM drivers_drive_points WHERE drive_id = ? ORDER BY time_ms, id",
                                    {d.id})
                               .rows) {
        d.samples.push_back(SampleFromRow(p, 0));
      }
      drives.push_back(std::move(d));
    }
  });
  return drives;
}

std::vector<std::pair<std::int64_t, DriveSample>> DriversStore::ParkedSamples() {
  std::vector<std::pair<std::int64_t, DriveSample>> parked;
  for (const auto& p :
       db_.Query(std::string("SELECT vehicle_id, ") + kSampleColumns + " FROM drivers_last_parked").rows) {
    parked.emplace_back(p.Int(0), SampleFromRow(p, 1));
  }
  return parked;
}

void DriversStore::SaveChargingCost(const sdk::events::ChargingSessionClosed& e) {
  db_.Execute(
      "INSERT INTO drivers_charging_costs (session_id, vehicle_id, vin, started_ms, ended_ms, energy_added_kwh,"
      " cost, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET"
      " vehicle_id = excluded.vehicle_id, vin = excluded.vin, started_ms = excluded.started_ms,"
      " ended_ms = excluded.ended_ms, energy_added_kwh = excluded.energy_added_kwh, cost = excluded.cost,"
      " currency = excluded.currency",
      {e.session_id, e.vehicle_id, e.vin, e.started_ms, e.ended_ms, e.energy_added_kwh, ToSql(e.cost), e.currency});
}

// ---- finished drives ----

DrivePage DriversStore::ListDrives(const DriveFilter& f) {
  std::string where = " WHERE d.status = 'closed'";
  SqlParams params;
  params.reserve(8);  // every filter, then limit and offset
  auto add = [&](const char* condition, auto... values) {
    where += condition;
    (params.emplace_back(values), ...);
  };
  if (f.vehicle_id) {
    add(" AND (d.vehicle_id = ? OR d.vin = ?)", *f.vehicle_id, f.vin.value_or(""));
  } else if (f.vin) {
    add(" AND d.vin = ?", *f.vin);
  }
  if (f.without_driver) {
    add(" AND d.driver_id IS NULL");
  } else if (f.driver_id) {
    add(" AND d.driver_id = ?", *f.driver_id);
  }
  if (f.from_ms) add(" AND d.start_ms >= ?", *f.from_ms);
  if (f.to_ms) add(" AND d.start_ms < ?", *f.to_ms);
  DrivePage page;
  db_.InTransaction([&](Transaction& tx) {
    page.total = tx.Query("SELECT COUNT(*) FROM drivers_drives d" + where, params).rows.at(0).Int(0);
    auto page_params = params;
    page_params.insert(page_params.end(), {f.limit, f.offset});
    for (const auto& row : tx.Query(std::string("SELECT ") + kDriveColumns + where +
                                        " ORDER BY d.start_ms DESC, d.id DESC LIMIT ? OFFSET ?",
                                    page_params)
                               .rows) {
      page.items.push_back(DriveFromRow(row));
    }
  });
  return page;
}

std::optional<DriveRow> DriversStore::FindDrive(std::int64_t id) {
  const auto res = db_.Query(std::string("SELECT ") + kDriveColumns + " WHERE d.id = ? AND d.status = 'closed'", {id});
  if (res.rows.empty()) return std::nullopt;
  return DriveFromRow(res.rows[0]);
}

std::vector<PathPoint> DriversStore::DrivePath(std::int64_t id) {
  std::vector<PathPoint> path;
  for (const auto& p : db_.Query("SELECT time_ms, latitude, longitude, speed_kmh, power_kw, battery_level FROM"
                                 " drivers_drive_points WHERE drive_id = ? AND latitude IS NOT NULL AND longitude"
                                 " IS NOT NULL ORDER BY time_ms, id",
                                 {id})
                           .rows) {
    path.push_back({p.Int(0), p.Double(1), p.Double(2), OptDouble(p, 3), OptDouble(p, 4), OptInt(p, 5)});
  }
  return path;
}

std::optional<DriveFacts> DriversStore::FindDriveFacts(std::int64_t id) {
  const auto res = db_.Query(
      "SELECT vehicle_id, start_ms, start_place FROM drivers_drives WHERE id = ? AND status = 'closed'", {id});
  if (res.rows.empty()) return std::nullopt;
  const auto& row = res.rows[0];
  return DriveFacts{row.Int(0), row.Int(1), row.String(2)};
}

void DriversStore::SetDriver(std::int64_t drive_id, const AttributionResult& driver) {
  db_.Execute("UPDATE drivers_drives SET driver_id = ?, attribution = ? WHERE id = ?",
              {ToSql(driver.driver_id), std::string(ToString(driver.source)), drive_id});
}

std::size_t DriversStore::Reattribute(const Attribution& attribution) {
  std::size_t changed = 0;
  db_.InTransaction([&](Transaction& tx) {
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
    for (const auto& c : attribution.Reattribute(drives)) {
      tx.Execute("UPDATE drivers_drives SET driver_id = ?, attribution = ? WHERE id = ? AND attribution <> 'manual'",
                 {ToSql(c.result.driver_id), std::string(ToString(c.result.source)), c.drive_id});
      ++changed;
    }
  });
  return changed;
}

// ---- statistics ----

std::pair<std::vector<DriveRecord>, std::vector<ChargingCost>> DriversStore::StatsInput(std::int64_t from_ms,
                                                                                        std::int64_t to_ms) {
  std::vector<DriveRecord> drives;
  std::vector<ChargingCost> sessions;
  db_.InTransaction([&](Transaction& tx) {
    for (const auto& row : tx.Query("SELECT vehicle_id, driver_id, distance_km, duration_s, energy_kwh FROM"
                                    " drivers_drives WHERE status = 'closed' AND start_ms >= ? AND start_ms < ?",
                                    {from_ms, to_ms})
                               .rows) {
      drives.push_back(
          {row.Int(0), OptInt(row, 1), OptDouble(row, 2).value_or(0), OptInt(row, 3).value_or(0), OptDouble(row, 4)});
    }
    for (const auto& row : tx.Query("SELECT vehicle_id, cost, currency FROM drivers_charging_costs"
                                    " WHERE ended_ms >= ? AND ended_ms < ?",
                                    {from_ms, to_ms})
                               .rows) {
      sessions.push_back({row.Int(0), OptDouble(row, 1), row.String(2)});
    }
  });
  return {std::move(drives), std::move(sessions)};
}

}  // namespace tessie::drivers
