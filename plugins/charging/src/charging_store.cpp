// The charging store's writes: migrations, applying the session detector's actions, the tracks it resumes
// from, solar shares. The REST reads are in charging_store_reads.cpp.
#include "charging_store.hpp"

#include <Poco/JSON/Array.h>

#include <map>

#include "charging_store_columns.hpp"
#include "tessie/sdk/row.hpp"

namespace tessie::charging {

namespace {

using namespace store_columns;
using sdk::OptDouble;
using sdk::OptInt;
using sdk::SqlParams;
using sdk::SqlRow;
using sdk::SqlValue;
using sdk::ToSql;
using sdk::Transaction;

std::optional<int> OptInt32(const SqlRow& r, std::size_t i) {
  if (r.IsNull(i)) return std::nullopt;
  return static_cast<int>(r.Int(i));
}

SessionRecord RecordFromRow(const SqlRow& row) {
  SessionRecord r;
  r.id = row.Int(kId);
  r.vehicle_id = row.Int(kVehicleId);
  r.vin = row.String(kVin);
  r.started_ms = row.Int(kStartedMs);
  r.ended_ms = OptInt(row, kEndedMs);
  r.start_battery_level = OptInt32(row, kStartLevel);
  r.end_battery_level = OptInt32(row, kEndLevel);
  r.energy_added_kwh = row.IsNull(kEnergy) ? 0 : row.Double(kEnergy);
  r.max_power_kw = OptDouble(row, kMaxPower);
  r.avg_power_kw = OptDouble(row, kAvgPower);
  r.charger_kind = row.String(kKind);
  r.charger_type = row.String(kType);
  r.place = row.String(kPlace);
  r.latitude = OptDouble(row, kLat);
  r.longitude = OptDouble(row, kLon);
  r.estimated = !row.IsNull(kEstimated) && row.Int(kEstimated) != 0;
  r.started_estimated = !row.IsNull(kStartedEstimated) && row.Int(kStartedEstimated) != 0;
  r.ended_estimated = !row.IsNull(kEndedEstimated) && row.Int(kEndedEstimated) != 0;
  return r;
}

sdk::events::ChargingSessionClosed ClosedEvent(const SessionRecord& r, std::optional<double> cost,
                                               const std::string& currency) {
  sdk::events::ChargingSessionClosed e;
  e.session_id = r.id;
  e.vehicle_id = r.vehicle_id;
  e.vin = r.vin;
  e.started_ms = r.started_ms;
  e.ended_ms = r.ended_ms.value_or(r.started_ms);
  e.energy_added_kwh = r.energy_added_kwh;
  e.cost = cost;
  e.currency = currency;
  e.charger_type = r.charger_kind;
  e.place = r.place;
  e.estimated = r.estimated;
  return e;
}

std::int64_t InsertSession(Transaction& tx, const SessionRecord& r, std::optional<double> cost,
                           const std::string& currency, std::int64_t now_ms) {
  auto res = tx.Query(
      "INSERT INTO charging_sessions (vehicle_id, vin, started_ms, ended_ms, start_battery_level, "
      "end_battery_level, energy_added_kwh, max_power_kw, avg_power_kw, charger_kind, charger_type, place, "
      "latitude, longitude, cost, currency, estimated, started_estimated, ended_estimated, updated_ms) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {r.vehicle_id,
       r.vin,
       r.started_ms,
       ToSql(r.ended_ms),
       ToSql(r.start_battery_level),
       ToSql(r.end_battery_level),
       r.energy_added_kwh,
       ToSql(r.max_power_kw),
       ToSql(r.avg_power_kw),
       r.charger_kind,
       r.charger_type,
       r.place,
       ToSql(r.latitude),
       ToSql(r.longitude),
       ToSql(cost),
       currency,
       std::int64_t{r.estimated ? 1 : 0},
       std::int64_t{r.started_estimated ? 1 : 0},
       std::int64_t{r.ended_estimated ? 1 : 0},
       now_ms});
  return res.rows.at(0).Int(0);
}

void UpdateSession(Transaction& tx, std::int64_t id, const SessionRecord& r, std::optional<double> cost,
                   const std::string& currency, std::int64_t now_ms) {
  tx.Execute(
      "UPDATE charging_sessions SET ended_ms = ?, start_battery_level = ?, end_battery_level = ?, "
      "energy_added_kwh = ?, max_power_kw = ?, avg_power_kw = ?, charger_kind = ?, charger_type = ?, place = ?, "
      "latitude = ?, longitude = ?, cost = ?, currency = ?, ended_estimated = ?, updated_ms = ? WHERE id = ?",
      {ToSql(r.ended_ms), ToSql(r.start_battery_level), ToSql(r.end_battery_level), r.energy_added_kwh, ToSql(r.max_power_kw),
       ToSql(r.avg_power_kw), r.charger_kind, r.charger_type, r.place, ToSql(r.latitude), ToSql(r.longitude), ToSql(cost),
       currency, std::int64_t{r.ended_estimated ? 1 : 0}, now_ms, id});
}

void InsertPoint(Transaction& tx, std::int64_t session_id, const CurvePoint& p) {
  tx.Execute(
      "INSERT INTO charging_samples (session_id, ts_ms, power_kw, battery_level, energy_added_kwh) "
      "VALUES (?, ?, ?, ?, ?)",
      {session_id, p.ts_ms, ToSql(p.power_kw), ToSql(p.battery_level), p.energy_added_kwh});
}

void SaveTrack(Transaction& tx, const VehicleTrack& t, std::int64_t now_ms) {
  const LastSeen last = t.last.value_or(LastSeen{});
  const bool has_last = t.last.has_value();
  const OpenSession* open = t.open ? &*t.open : nullptr;
  const SqlParams values = {
      t.vin,
      has_last ? SqlValue(last.ts_ms) : SqlValue(),
      has_last ? SqlValue(last.charging_state) : SqlValue(),
      ToSql(last.battery_level),
      ToSql(last.usable_battery_level),
      ToSql(last.battery_range_km),
      ToSql(last.odometer_km),
      ToSql(last.energy_remaining_kwh),
      ToSql(last.charge_energy_added_kwh),
      open ? SqlValue(open->record.id) : SqlValue(),
      open ? SqlValue(open->energy_accumulated_kwh) : SqlValue(),
      open ? SqlValue(open->energy_segment_start_kwh) : SqlValue(),
      open ? ToSql(open->energy_last_raw_kwh) : SqlValue(),
      open ? SqlValue(open->last_charging_ms) : SqlValue(),
      open ? ToSql(open->last_charging_battery_level) : SqlValue(),
      open ? SqlValue(open->energy_at_last_charging_kwh) : SqlValue(),
      now_ms,
      t.vehicle_id,
  };
  const std::size_t updated = tx.Execute(
      "UPDATE charging_vehicle_state SET vin = ?, last_ts_ms = ?, last_charging_state = ?, last_battery_level = ?, "
      "last_usable_battery_level = ?, last_range_km = ?, last_odometer_km = ?, last_energy_remaining_kwh = ?, "
      "last_energy_added_kwh = ?, open_session_id = ?, energy_accumulated_kwh = ?, energy_segment_start_kwh = ?, "
      "energy_last_raw_kwh = ?, last_charging_ms = ?, last_charging_battery_level = ?, "
      "energy_at_last_charging_kwh = ?, updated_ms = ? WHERE vehicle_id = ?",
      values);
  if (updated == 0) {
    tx.Execute(
        "INSERT INTO charging_vehicle_state (vin, last_ts_ms, last_charging_state, last_battery_level, "
        "last_usable_battery_level, last_range_km, last_odometer_km, last_energy_remaining_kwh, "
        "last_energy_added_kwh, open_session_id, energy_accumulated_kwh, energy_segment_start_kwh, "
        "energy_last_raw_kwh, last_charging_ms, last_charging_battery_level, energy_at_last_charging_kwh, "
        "updated_ms, vehicle_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        values);
  }
}

}  // namespace

std::vector<sdk::Migration> ChargingStore::Migrations() {
  return {
      {1, "sessions",
       "CREATE TABLE charging_sessions ("
       "id {{pk}}, vehicle_id BIGINT NOT NULL, vin TEXT NOT NULL, started_ms BIGINT NOT NULL, ended_ms BIGINT, "
       "start_battery_level INTEGER, end_battery_level INTEGER, energy_added_kwh {{real}} NOT NULL, "
       "max_power_kw {{real}}, avg_power_kw {{real}}, charger_kind TEXT NOT NULL, charger_type TEXT NOT NULL, "
       "place TEXT NOT NULL, latitude {{real}}, longitude {{real}}, cost {{real}}, currency TEXT NOT NULL, "
       "solar_percentage {{real}}, estimated INTEGER NOT NULL, updated_ms BIGINT NOT NULL);"
       "CREATE INDEX charging_sessions_vehicle_started ON charging_sessions (vehicle_id, started_ms);"
       "CREATE INDEX charging_sessions_started ON charging_sessions (started_ms);"
       "CREATE TABLE charging_samples ("
       "session_id BIGINT NOT NULL REFERENCES charging_sessions (id) ON DELETE CASCADE, ts_ms BIGINT NOT NULL, "
       "power_kw {{real}}, battery_level INTEGER, energy_added_kwh {{real}} NOT NULL, PRIMARY KEY (session_id, ts_ms));"
       "CREATE TABLE charging_vehicle_state ("
       "vehicle_id BIGINT PRIMARY KEY, vin TEXT NOT NULL, last_ts_ms BIGINT, last_charging_state TEXT, "
       "last_battery_level INTEGER, last_usable_battery_level INTEGER, last_range_km {{real}}, "
       "last_odometer_km {{real}}, last_energy_remaining_kwh {{real}}, last_energy_added_kwh {{real}}, "
       "open_session_id BIGINT, energy_accumulated_kwh {{real}}, energy_segment_start_kwh {{real}}, "
       "energy_last_raw_kwh {{real}}, last_charging_ms BIGINT, last_charging_battery_level INTEGER, "
       "energy_at_last_charging_kwh {{real}}, updated_ms BIGINT NOT NULL)"},
      // A start or end between two samples, estimated from them (issue 13).
      {2, "estimated session times",
       "ALTER TABLE charging_sessions ADD COLUMN started_estimated INTEGER NOT NULL DEFAULT 0;"
       "ALTER TABLE charging_sessions ADD COLUMN ended_estimated INTEGER NOT NULL DEFAULT 0"},
  };
}

ChargingStore::Applied ChargingStore::Apply(const std::vector<Action>& actions, const VehicleTrack& track,
                                            const Tariff& tariff, std::int64_t now_ms) {
  Applied applied;
  db_.InTransaction([&](Transaction& tx) {
    applied = Applied{};
    for (const auto& a : actions) {
      switch (a.kind) {
        case ActionKind::kOpen: {
          const auto id = InsertSession(tx, a.record, std::nullopt, tariff.Currency(), now_ms);
          if (a.point) InsertPoint(tx, id, *a.point);
          applied.opened_session_id = id;
          break;
        }
        case ActionKind::kUpdate: {
          const auto id = a.record.id != 0 ? a.record.id : applied.opened_session_id.value_or(0);
          UpdateSession(tx, id, a.record, std::nullopt, tariff.Currency(), now_ms);
          if (a.point) InsertPoint(tx, id, *a.point);
          break;
        }
        case ActionKind::kClose: {
          SessionRecord r = a.record;
          if (r.id == 0) r.id = applied.opened_session_id.value_or(0);
          const auto cost = tariff.Cost(r, a.curve);
          UpdateSession(tx, r.id, r, cost, tariff.Currency(), now_ms);
          if (a.point) InsertPoint(tx, r.id, *a.point);
          applied.closed.push_back(ClosedEvent(r, cost, tariff.Currency()));
          break;
        }
        case ActionKind::kDiscard: {
          const auto id = a.record.id != 0 ? a.record.id : applied.opened_session_id.value_or(0);
          tx.Execute("DELETE FROM charging_samples WHERE session_id = ?", {id});
          tx.Execute("DELETE FROM charging_sessions WHERE id = ?", {id});
          break;
        }
        case ActionKind::kEstimated: {
          SessionRecord r = a.record;
          const auto cost = tariff.Cost(r, {});
          r.id = InsertSession(tx, r, cost, tariff.Currency(), now_ms);
          applied.closed.push_back(ClosedEvent(r, cost, tariff.Currency()));
          break;
        }
      }
    }
    VehicleTrack saved = track;
    if (saved.open && saved.open->record.id == 0 && applied.opened_session_id)
      saved.open->record.id = *applied.opened_session_id;
    SaveTrack(tx, saved, now_ms);
  });
  return applied;
}

std::vector<VehicleTrack> ChargingStore::LoadTracks() {
  std::vector<VehicleTrack> tracks;
  db_.InTransaction([&](Transaction& tx) {
    tracks.clear();
    auto rows = tx.Query(
        "SELECT vehicle_id, vin, last_ts_ms, last_charging_state, last_battery_level, last_usable_battery_level, "
        "last_range_km, last_odometer_km, last_energy_remaining_kwh, last_energy_added_kwh, open_session_id, "
        "energy_accumulated_kwh, energy_segment_start_kwh, energy_last_raw_kwh, last_charging_ms, "
        "last_charging_battery_level, energy_at_last_charging_kwh FROM charging_vehicle_state");
    for (const auto& row : rows.rows) {
      VehicleTrack t;
      t.vehicle_id = row.Int(0);
      t.vin = row.String(1);
      if (!row.IsNull(2)) {
        LastSeen l;
        l.ts_ms = row.Int(2);
        l.charging_state = row.String(3);
        l.battery_level = OptInt32(row, 4);
        l.usable_battery_level = OptInt32(row, 5);
        l.battery_range_km = OptDouble(row, 6);
        l.odometer_km = OptDouble(row, 7);
        l.energy_remaining_kwh = OptDouble(row, 8);
        l.charge_energy_added_kwh = OptDouble(row, 9);
        t.last = l;
      }
      if (!row.IsNull(10)) {
        auto session = tx.Query(
            std::string("SELECT ") + kSessionColumns + " FROM charging_sessions WHERE id = ? AND ended_ms IS NULL",
            {row.Int(10)});
        if (!session.rows.empty()) {
          OpenSession open;
          open.record = RecordFromRow(session.rows[0]);
          open.energy_accumulated_kwh = OptDouble(row, 11).value_or(0);
          open.energy_segment_start_kwh = OptDouble(row, 12).value_or(0);
          open.energy_last_raw_kwh = OptDouble(row, 13);
          open.last_charging_ms = OptInt(row, 14).value_or(open.record.started_ms);
          open.last_charging_battery_level = OptInt32(row, 15);
          open.energy_at_last_charging_kwh = OptDouble(row, 16).value_or(0);
          auto points = tx.Query(
              "SELECT ts_ms, power_kw, battery_level, energy_added_kwh FROM charging_samples WHERE session_id = ? "
              "ORDER BY ts_ms",
              {open.record.id});
          for (const auto& p : points.rows)
            open.curve.push_back({p.Int(0), OptDouble(p, 1), OptInt32(p, 2), p.Double(3)});
          t.open = std::move(open);
        }
      }
      tracks.push_back(std::move(t));
    }
  });
  return tracks;
}

std::optional<sdk::events::ChargingSessionClosed> ChargingStore::ApplySolarShare(
    const sdk::events::ChargingSolarShare& share, std::int64_t now_ms) {
  std::optional<sdk::events::ChargingSessionClosed> event;
  db_.InTransaction([&](Transaction& tx) {
    event.reset();
    auto res =
        tx.Query(std::string("SELECT ") + kSessionColumns + " FROM charging_sessions WHERE id = ?", {share.session_id});
    if (res.rows.empty()) return;
    const SqlRow& row = res.rows[0];
    const double pct = std::clamp(share.solar_percentage, 0.0, 100.0);
    const auto old_pct = OptDouble(row, kSolar);
    const auto old_cost = OptDouble(row, kCost);
    const auto new_cost = share.cost ? share.cost : old_cost;
    const auto differs = [](std::optional<double> a, std::optional<double> b) {
      return a.has_value() != b.has_value() || (a && std::abs(*a - *b) > 1e-9);
    };
    if (!differs(old_pct, pct) && !differs(old_cost, new_cost)) return;
    tx.Execute("UPDATE charging_sessions SET solar_percentage = ?, cost = ?, updated_ms = ? WHERE id = ?",
               {pct, ToSql(new_cost), now_ms, share.session_id});
    const SessionRecord r = RecordFromRow(row);
    if (r.ended_ms) event = ClosedEvent(r, new_cost, row.String(kCurrency));
  });
  return event;
}

}  // namespace tessie::charging
