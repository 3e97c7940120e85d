#include "solar_store.hpp"

#include <cmath>

#include "tessie/sdk/row.hpp"

namespace tessie::solar {

namespace {

using sdk::OptDouble;
using sdk::OptInt;
using sdk::SqlParams;
using sdk::SqlRow;
using sdk::SqlValue;
using sdk::ToSql;
using sdk::Transaction;

constexpr const char* kFlowColumns =
    "solar_wh, home_wh, home_from_grid_wh, grid_import_wh, grid_export_wh, solar_export_wh, battery_in_wh, "
    "battery_out_wh";

constexpr const char* kSessionColumns =
    "session_id, vehicle_id, started_ms, ended_ms, energy_kwh, kind, place, at_home, site_id, green_kwh, "
    "covered_kwh, complete, share_pct, cost, published, computed_ms";

double DoubleOr0(const SqlRow& r, std::size_t i) { return OptDouble(r, i).value_or(0.0); }

StoredSession SessionFromRow(const SqlRow& r) {
  StoredSession s;
  s.session.session_id = r.Int(0);
  s.vehicle_id = r.Int(1);
  s.session.started_ms = r.Int(2);
  s.session.ended_ms = r.Int(3);
  s.session.energy_kwh = DoubleOr0(r, 4);
  s.session.kind = r.String(5);
  s.session.place = r.String(6);
  s.at_home = r.Bool(7);
  s.site_id = OptInt(r, 8);
  s.green_kwh = DoubleOr0(r, 9);
  s.covered_kwh = DoubleOr0(r, 10);
  s.complete = r.Bool(11);
  s.share_pct = OptDouble(r, 12);
  s.cost = OptDouble(r, 13);
  s.published = r.Bool(14);
  s.computed_ms = r.Int(15);
  return s;
}

}  // namespace

std::vector<sdk::Migration> SolarStore::Migrations() {
  return {
      {1, "solar tables",
       "CREATE TABLE solar_sites (energy_site_id BIGINT PRIMARY KEY, time_zone TEXT NOT NULL,"
       " updated_ms BIGINT NOT NULL);"
       "CREATE TABLE solar_intervals (energy_site_id BIGINT NOT NULL, ts_ms BIGINT NOT NULL,"
       " solar_wh {{real}} NOT NULL, home_wh {{real}} NOT NULL, home_from_grid_wh {{real}} NOT NULL,"
       " grid_import_wh {{real}} NOT NULL, grid_export_wh {{real}} NOT NULL, solar_export_wh {{real}} NOT NULL,"
       " battery_in_wh {{real}} NOT NULL, battery_out_wh {{real}} NOT NULL, updated_ms BIGINT NOT NULL,"
       " PRIMARY KEY (energy_site_id, ts_ms));"
       "CREATE TABLE solar_sessions (session_id BIGINT PRIMARY KEY, vehicle_id BIGINT NOT NULL,"
       " started_ms BIGINT NOT NULL, ended_ms BIGINT NOT NULL, energy_kwh {{real}} NOT NULL, kind TEXT NOT NULL,"
       " place TEXT NOT NULL, at_home BIGINT NOT NULL, site_id BIGINT, green_kwh {{real}} NOT NULL,"
       " covered_kwh {{real}} NOT NULL, complete BIGINT NOT NULL, share_pct {{real}}, cost {{real}},"
       " published BIGINT NOT NULL, computed_ms BIGINT NOT NULL);"
       "CREATE INDEX solar_sessions_home_time ON solar_sessions (at_home, started_ms)"},
  };
}

void SolarStore::UpsertIntervals(std::int64_t site_id, const std::string& time_zone,
                                 const std::vector<IntervalFlows>& intervals) {
  const std::string upsert = std::string("INSERT INTO solar_intervals (energy_site_id, ts_ms, ") + kFlowColumns +
                             ", updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                             "ON CONFLICT (energy_site_id, ts_ms) DO UPDATE SET solar_wh = excluded.solar_wh, "
                             "home_wh = excluded.home_wh, home_from_grid_wh = excluded.home_from_grid_wh, "
                             "grid_import_wh = excluded.grid_import_wh, grid_export_wh = excluded.grid_export_wh, "
                             "solar_export_wh = excluded.solar_export_wh, battery_in_wh = excluded.battery_in_wh, "
                             "battery_out_wh = excluded.battery_out_wh, updated_ms = excluded.updated_ms";
  const std::int64_t now_ms = sdk::ToEpochMs(clock_.Now());
  db_.InTransaction([&](Transaction& tx) {
    // A known zone is never replaced by an empty one (a response without installation_time_zone).
    if (!time_zone.empty()) {
      tx.Execute(
          "INSERT INTO solar_sites (energy_site_id, time_zone, updated_ms) VALUES (?, ?, ?) "
          "ON CONFLICT (energy_site_id) DO UPDATE SET time_zone = excluded.time_zone, updated_ms = excluded.updated_ms",
          {site_id, time_zone, now_ms});
    } else {
      tx.Execute(
          "INSERT INTO solar_sites (energy_site_id, time_zone, updated_ms) VALUES (?, '', ?) "
          "ON CONFLICT (energy_site_id) DO NOTHING",
          {site_id, now_ms});
    }
    for (const auto& f : intervals) {
      tx.Execute(upsert, {site_id, f.ts_ms, f.solar_wh, f.home_wh, f.home_from_grid_wh, f.grid_import_wh,
                          f.grid_export_wh, f.solar_export_wh, f.battery_in_wh, f.battery_out_wh, now_ms});
    }
  });
}

std::vector<std::int64_t> SolarStore::SiteIds() {
  std::vector<std::int64_t> out;
  for (const auto& row : db_.Query("SELECT energy_site_id FROM solar_sites ORDER BY energy_site_id").rows)
    out.push_back(row.Int(0));
  return out;
}

std::vector<std::pair<std::int64_t, std::string>> SolarStore::Sites() {
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (const auto& row : db_.Query("SELECT energy_site_id, time_zone FROM solar_sites ORDER BY energy_site_id").rows)
    out.emplace_back(row.Int(0), row.String(1));
  return out;
}

std::vector<IntervalFlows> SolarStore::Intervals(std::int64_t site_id, std::int64_t from_ms, std::int64_t to_ms) {
  const std::int64_t upper = to_ms > from_ms ? to_ms : from_ms + 1;
  const auto res = db_.Query(std::string("SELECT ts_ms, ") + kFlowColumns +
                                 " FROM solar_intervals WHERE energy_site_id = ? AND ts_ms > ? AND ts_ms < ? "
                                 "ORDER BY ts_ms",
                             {site_id, from_ms - kIntervalMs, upper});
  std::vector<IntervalFlows> out;
  out.reserve(res.rows.size());
  for (const auto& r : res.rows) {
    IntervalFlows f;
    f.ts_ms = r.Int(0);
    f.solar_wh = r.Double(1);
    f.home_wh = r.Double(2);
    f.home_from_grid_wh = r.Double(3);
    f.grid_import_wh = r.Double(4);
    f.grid_export_wh = r.Double(5);
    f.solar_export_wh = r.Double(6);
    f.battery_in_wh = r.Double(7);
    f.battery_out_wh = r.Double(8);
    out.push_back(f);
  }
  return out;
}

std::optional<StoredSession> SolarStore::Session(std::int64_t session_id) {
  const auto res =
      db_.Query(std::string("SELECT ") + kSessionColumns + " FROM solar_sessions WHERE session_id = ?", {session_id});
  if (res.rows.empty()) return std::nullopt;
  return SessionFromRow(res.rows[0]);
}

std::vector<StoredSession> SolarStore::HomeSessionsOverlapping(std::int64_t from_ms, std::int64_t to_ms) {
  const auto res = db_.Query(std::string("SELECT ") + kSessionColumns +
                                 " FROM solar_sessions WHERE at_home = 1 AND started_ms < ? AND ended_ms >= ? "
                                 "ORDER BY started_ms",
                             {to_ms, from_ms});
  std::vector<StoredSession> out;
  for (const auto& r : res.rows) out.push_back(SessionFromRow(r));
  return out;
}

void SolarStore::SaveSession(const StoredSession& s) {
  db_.Execute(std::string("INSERT INTO solar_sessions (") + kSessionColumns +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (session_id) DO UPDATE SET vehicle_id = excluded.vehicle_id, "
                  "started_ms = excluded.started_ms, ended_ms = excluded.ended_ms, energy_kwh = excluded.energy_kwh, "
                  "kind = excluded.kind, place = excluded.place, at_home = excluded.at_home, "
                  "site_id = excluded.site_id, green_kwh = excluded.green_kwh, covered_kwh = excluded.covered_kwh, "
                  "complete = excluded.complete, share_pct = excluded.share_pct, cost = excluded.cost, "
                  "published = excluded.published, computed_ms = excluded.computed_ms",
              {s.session.session_id, s.vehicle_id, s.session.started_ms, s.session.ended_ms, s.session.energy_kwh,
               s.session.kind, s.session.place, std::int64_t{s.at_home ? 1 : 0}, ToSql(s.site_id), s.green_kwh,
               s.covered_kwh, std::int64_t{s.complete ? 1 : 0}, ToSql(s.share_pct), ToSql(s.cost),
               std::int64_t{s.published ? 1 : 0}, s.computed_ms});
}

EnergyTotals SolarStore::Totals(std::int64_t site_id, const Window& window) {
  std::string sql =
      "SELECT COALESCE(SUM(solar_wh), 0), COALESCE(SUM(home_wh), 0), COALESCE(SUM(home_from_grid_wh), 0), "
      "COALESCE(SUM(grid_import_wh), 0), COALESCE(SUM(grid_export_wh), 0), COALESCE(SUM(solar_export_wh), 0), "
      "COALESCE(SUM(battery_in_wh), 0), COALESCE(SUM(battery_out_wh), 0), COUNT(*) "
      "FROM solar_intervals WHERE energy_site_id = ?";
  SqlParams params{site_id};
  if (window.from_ms) {
    sql += " AND ts_ms >= ?";
    params.emplace_back(*window.from_ms);
  }
  if (window.to_ms) {
    sql += " AND ts_ms < ?";
    params.emplace_back(*window.to_ms);
  }
  const auto res = db_.Query(sql, params);
  EnergyTotals t;
  if (res.rows.empty()) return t;
  const auto& r = res.rows[0];
  t.solar_wh = DoubleOr0(r, 0);
  t.home_wh = DoubleOr0(r, 1);
  t.home_from_grid_wh = DoubleOr0(r, 2);
  t.grid_import_wh = DoubleOr0(r, 3);
  t.grid_export_wh = DoubleOr0(r, 4);
  t.solar_export_wh = DoubleOr0(r, 5);
  t.battery_in_wh = DoubleOr0(r, 6);
  t.battery_out_wh = DoubleOr0(r, 7);
  t.intervals = OptInt(r, 8).value_or(0);
  return t;
}

std::optional<std::pair<std::int64_t, std::int64_t>> SolarStore::Span(std::int64_t site_id) {
  const auto res = db_.Query("SELECT MIN(ts_ms), MAX(ts_ms) FROM solar_intervals WHERE energy_site_id = ?", {site_id});
  if (res.rows.empty() || res.rows[0].IsNull(0)) return std::nullopt;
  return std::make_pair(res.rows[0].Int(0), res.rows[0].Int(1) + kIntervalMs);
}

}  // namespace tessie::solar
