// The charging store's REST reads: the session list and one session as JSON, and the sessions the stats sum.
#include <Poco/JSON/Array.h>

#include <cmath>

#include "charging_store.hpp"
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
using sdk::Transaction;

double Round(double v, int digits) {
  const double f = std::pow(10.0, digits);
  return std::round(v * f) / f;
}
Poco::Dynamic::Var RoundOpt(const SqlRow& r, std::size_t i, int digits) {
  if (r.IsNull(i)) return Poco::Dynamic::Var();
  return Round(r.Double(i), digits);
}
Poco::Dynamic::Var TextOrNull(const std::string& s) {
  if (s.empty()) return Poco::Dynamic::Var();
  return s;
}

Poco::JSON::Object::Ptr SessionJson(const SqlRow& row) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  const auto started = row.Int(kStartedMs);
  const auto ended = OptInt(row, kEndedMs);
  o->set("id", row.Int(kId));
  o->set("vehicle_id", row.Int(kVehicleId));
  o->set("vin", row.String(kVin));
  o->set("started_at", FormatIsoUtc(started));
  o->set("started_at_estimated", !row.IsNull(kStartedEstimated) && row.Int(kStartedEstimated) != 0);
  o->set("ended_at", ended ? Poco::Dynamic::Var(FormatIsoUtc(*ended)) : Poco::Dynamic::Var());
  o->set("ended_at_estimated", !row.IsNull(kEndedEstimated) && row.Int(kEndedEstimated) != 0);
  o->set("in_progress", !ended.has_value());
  o->set("duration_min",
         ended ? Poco::Dynamic::Var(Round(static_cast<double>(*ended - started) / 60'000.0, 1)) : Poco::Dynamic::Var());
  o->set("start_battery_level",
         row.IsNull(kStartLevel) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(row.Int(kStartLevel)));
  o->set("end_battery_level", row.IsNull(kEndLevel) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(row.Int(kEndLevel)));
  o->set("energy_added_kwh", row.IsNull(kEnergy) ? 0.0 : Round(row.Double(kEnergy), 3));
  o->set("max_power_kw", RoundOpt(row, kMaxPower, 2));
  o->set("avg_power_kw", RoundOpt(row, kAvgPower, 2));
  o->set("charger_kind", row.String(kKind));
  o->set("charger_type", TextOrNull(row.String(kType)));
  o->set("place", TextOrNull(row.String(kPlace)));
  o->set("latitude", RoundOpt(row, kLat, 6));
  o->set("longitude", RoundOpt(row, kLon, 6));
  o->set("cost", RoundOpt(row, kCost, 2));
  o->set("currency", row.String(kCurrency));
  o->set("solar_percentage", RoundOpt(row, kSolar, 1));
  o->set("estimated", !row.IsNull(kEstimated) && row.Int(kEstimated) != 0);
  return o;
}

// The WHERE clause shared by the list and the stats.
std::string Where(const VehicleFilter& vehicle, const std::optional<std::int64_t>& from_ms,
                  const std::optional<std::int64_t>& to_ms, SqlParams& params) {
  std::string where = " WHERE 1 = 1";
  if (vehicle.vehicle_id) {
    where += " AND vehicle_id = ?";
    params.emplace_back(*vehicle.vehicle_id);
  }
  if (vehicle.vin) {
    where += " AND vin = ?";
    params.push_back(*vehicle.vin);
  }
  if (from_ms) {
    where += " AND started_ms >= ?";
    params.emplace_back(*from_ms);
  }
  if (to_ms) {
    where += " AND started_ms < ?";
    params.emplace_back(*to_ms);
  }
  return where;
}

}  // namespace

Poco::JSON::Object::Ptr ChargingStore::ListSessions(const SessionQuery& q) {
  SqlParams params;
  std::string where = Where(q.vehicle, q.from_ms, q.to_ms, params);
  if (q.place) {
    where += " AND place = ?";
    params.push_back(*q.place);
  }
  if (q.charger_kind) {
    where += " AND charger_kind = ?";
    params.push_back(*q.charger_kind);
  }
  sdk::SqlResult total, page;
  db_.InTransaction([&](Transaction& tx) {
    total = tx.Query("SELECT COUNT(*) FROM charging_sessions" + where, params);
    SqlParams page_params = params;
    page_params.emplace_back(std::int64_t{q.limit});
    page_params.emplace_back(std::int64_t{q.offset});
    page = tx.Query(std::string("SELECT ") + kSessionColumns + " FROM charging_sessions" + where +
                        " ORDER BY started_ms DESC, id DESC LIMIT ? OFFSET ?",
                    page_params);
  });
  Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
  for (const auto& row : page.rows) items->add(SessionJson(row));
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("items", items);
  o->set("total", total.rows.empty() ? std::int64_t{0} : total.rows[0].Int(0));
  o->set("limit", q.limit);
  o->set("offset", q.offset);
  return o;
}

Poco::JSON::Object::Ptr ChargingStore::GetSession(std::int64_t id) {
  sdk::SqlResult session, points;
  db_.InTransaction([&](Transaction& tx) {
    session = tx.Query(std::string("SELECT ") + kSessionColumns + " FROM charging_sessions WHERE id = ?", {id});
    points = tx.Query(
        "SELECT ts_ms, power_kw, battery_level, energy_added_kwh FROM charging_samples WHERE session_id = ? "
        "ORDER BY ts_ms",
        {id});
  });
  if (session.rows.empty()) return nullptr;
  auto o = SessionJson(session.rows[0]);
  Poco::JSON::Array::Ptr curve = new Poco::JSON::Array;
  for (const auto& p : points.rows) {
    Poco::JSON::Object::Ptr point = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    point->set("time", FormatIsoUtc(p.Int(0)));
    point->set("power_kw", RoundOpt(p, 1, 2));
    point->set("battery_level", p.IsNull(2) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(p.Int(2)));
    point->set("energy_added_kwh", Round(p.Double(3), 3));
    curve->add(point);
  }
  o->set("curve", curve);
  return o;
}

std::vector<StatsSession> ChargingStore::StatsSessions(const StatsQuery& q) {
  SqlParams params;
  const std::string where = Where(q.vehicle, q.from_ms, q.to_ms, params);
  auto res = db_.Query(
      "SELECT vehicle_id, vin, started_ms, energy_added_kwh, cost, charger_kind, avg_power_kw, solar_percentage "
      "FROM charging_sessions" +
          where + " ORDER BY vehicle_id, started_ms",
      params);
  std::vector<StatsSession> out;
  out.reserve(res.rows.size());
  for (const auto& row : res.rows) {
    StatsSession s;
    s.vehicle_id = row.Int(0);
    s.vin = row.String(1);
    s.started_ms = row.Int(2);
    s.energy_added_kwh = row.IsNull(3) ? 0 : row.Double(3);
    s.cost = OptDouble(row, 4);
    s.charger_kind = row.String(5);
    s.avg_power_kw = OptDouble(row, 6);
    s.solar_percentage = OptDouble(row, 7);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace tessie::charging
