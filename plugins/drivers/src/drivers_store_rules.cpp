// DriversStore: the drivers, their rules and vehicle defaults (drivers_store.cpp holds the drives).
#include <map>

#include "api_input.hpp"
#include "drivers_store.hpp"
#include "tessie/sdk/row.hpp"

namespace tessie::drivers {
namespace {

using sdk::OptInt;
using sdk::OptString;
using sdk::ToSql;
using sdk::Transaction;

// Weekdays are stored as "1,3,5".
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

bool DriverExistsIn(Transaction& tx, std::int64_t id) {
  return !tx.Query("SELECT id FROM drivers_drivers WHERE id = ?", {id}).rows.empty();
}

void WriteRules(Transaction& tx, std::int64_t id, const Driver& d) {
  tx.Execute("DELETE FROM drivers_rules WHERE driver_id = ?", {id});
  tx.Execute("DELETE FROM drivers_vehicle_defaults WHERE driver_id = ?", {id});
  std::int64_t position = 0;
  for (const auto& r : d.time_rules) {
    tx.Execute(
        "INSERT INTO drivers_rules (driver_id, position, kind, weekdays, from_min, to_min, vehicle_id)"
        " VALUES (?, ?, 'time', ?, ?, ?, ?)",
        {id, position++, JoinInts(r.weekdays), static_cast<std::int64_t>(r.from_min),
         static_cast<std::int64_t>(r.to_min), ToSql(r.vehicle_id)});
  }
  for (const auto& r : d.place_rules) {
    tx.Execute(
        "INSERT INTO drivers_rules (driver_id, position, kind, start_place, vehicle_id) VALUES (?, ?, 'place', ?, ?)",
        {id, position++, r.start_place, ToSql(r.vehicle_id)});
  }
  // A vehicle has one default driver: the last one saved with it.
  for (auto vehicle_id : d.default_for_vehicles) {
    tx.Execute("DELETE FROM drivers_vehicle_defaults WHERE vehicle_id = ?", {vehicle_id});
    tx.Execute("INSERT INTO drivers_vehicle_defaults (vehicle_id, driver_id) VALUES (?, ?)", {vehicle_id, id});
  }
}

}  // namespace

std::vector<Driver> DriversStore::LoadDrivers() {
  std::vector<Driver> drivers;
  db_.InReadTransaction([&](Transaction& tx) {
    std::map<std::int64_t, std::size_t> index;
    for (const auto& row : tx.Query("SELECT id, name, profile_id FROM drivers_drivers ORDER BY id").rows) {
      Driver d;
      d.id = row.Int(0);
      d.name = row.String(1);
      d.profile_id = OptString(row, 2);
      index[d.id] = drivers.size();
      drivers.push_back(std::move(d));
    }
    for (const auto& row :
         tx.Query("SELECT driver_id, kind, weekdays, from_min, to_min, start_place, vehicle_id FROM drivers_rules"
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
         tx.Query("SELECT vehicle_id, driver_id FROM drivers_vehicle_defaults ORDER BY vehicle_id").rows) {
      auto it = index.find(row.Int(1));
      if (it != index.end()) drivers[it->second].default_for_vehicles.push_back(row.Int(0));
    }
  });
  return drivers;
}

bool DriversStore::DriverExists(std::int64_t id) {
  bool exists = false;
  db_.InReadTransaction([&](Transaction& tx) { exists = DriverExistsIn(tx, id); });
  return exists;
}

std::optional<std::string> DriversStore::DriverName(std::int64_t id) {
  const auto res = db_.Query("SELECT name FROM drivers_drivers WHERE id = ?", {id});
  if (res.rows.empty()) return std::nullopt;
  return res.rows[0].String(0);
}

DriverWrite DriversStore::SaveDriver(std::int64_t id, const Driver& input, std::int64_t now_ms) {
  DriverWrite result;
  db_.InTransaction([&](Transaction& tx) {
    // One name per driver (trimmed, case-insensitive): two "Alex" cannot be told apart in a list.
    const auto key = NameKey(input.name);
    for (const auto& row : tx.Query("SELECT id, name FROM drivers_drivers").rows) {
      if (row.Int(0) != id && NameKey(row.String(1)) == key) {
        result = {DriverWrite::Outcome::kNameTaken, id, row.Int(0), row.String(1)};
        return;
      }
    }
    if (id == 0) {
      id = tx.Query(
                 "INSERT INTO drivers_drivers (name, profile_id, created_ms, updated_ms) VALUES (?, ?, ?, ?)"
                 " RETURNING id",
                 {input.name, ToSql(input.profile_id), now_ms, now_ms})
               .rows.at(0)
               .Int(0);
    } else if (tx.Execute("UPDATE drivers_drivers SET name = ?, profile_id = ?, updated_ms = ? WHERE id = ?",
                          {input.name, ToSql(input.profile_id), now_ms, id}) == 0) {
      result = {DriverWrite::Outcome::kNotFound, id, 0, ""};
      return;
    }
    WriteRules(tx, id, input);
    result = {DriverWrite::Outcome::kSaved, id, 0, ""};
  });
  return result;
}

DriverRemoval DriversStore::DeleteDriver(std::int64_t id, std::optional<std::int64_t> reassign_to) {
  DriverRemoval result;
  db_.InTransaction([&](Transaction& tx) {
    if (!DriverExistsIn(tx, id)) {
      result.outcome = DriverRemoval::Outcome::kNotFound;
      return;
    }
    if (reassign_to && !DriverExistsIn(tx, *reassign_to)) {
      result.outcome = DriverRemoval::Outcome::kTargetNotFound;
      return;
    }
    result.moved_drives = static_cast<std::int64_t>(
        tx.Execute("UPDATE drivers_drives SET driver_id = ?, attribution = 'manual' WHERE driver_id = ?",
                   {ToSql(reassign_to), id}));
    tx.Execute("DELETE FROM drivers_rules WHERE driver_id = ?", {id});
    tx.Execute("DELETE FROM drivers_vehicle_defaults WHERE driver_id = ?", {id});
    tx.Execute("DELETE FROM drivers_drivers WHERE id = ?", {id});
  });
  return result;
}

}  // namespace tessie::drivers
