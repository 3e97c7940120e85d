#pragma once
// The vehicle plugin's tables: vehicles (one row per car the account has or had) and vehicle_states (every
// sample). Every SQL statement of the plugin is here. Thread-safe as far as sdk::Database is.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ha_discovery.hpp"
#include "history_query.hpp"
#include "tessie/sdk/fleet.hpp"
#include "tessie/sdk/storage.hpp"

namespace tessie::vehicle {

// A row of `vehicles` as GET /api/vehicles shows it.
struct StoredVehicle {
  std::int64_t id = 0;
  std::string vin;
  std::string display_name;
  std::string model;
  std::string trim;
  std::string color;
  std::string state;
  std::int64_t last_seen_ms = 0;  // 0: never seen
  std::int64_t last_data_ms = 0;  // 0: no sample yet
};

// A car to track again at start (id, VIN, name, model; no software version) and its last known state.
struct KnownVehicle {
  VehicleIdentity identity;
  std::string state;
};

// The newest sample of a car and its connectivity, read in one snapshot.
struct LatestSample {
  std::int64_t vehicle_id = 0;
  std::string state;
  std::int64_t last_seen_ms = 0;  // 0: never seen
  // ts_ms, then the sample's columns (see kLatestColumns in the .cpp); no rows when the car has none. Kept
  // as the result set so that the most-polled route writes its answer straight from the row.
  sdk::SqlResult sample;
};

struct HistoryPage {
  sdk::SqlResult rows;  // ts_ms (or bucket start), then the query's fields in order
  std::int64_t total = 0;
};

class VehicleStore {
 public:
  explicit VehicleStore(sdk::Database& db) : db_(db) {}

  static std::vector<sdk::Migration> Migrations();

  // ---- written by discovery and polling
  std::vector<KnownVehicle> LoadTracked();
  // The stored name and model of a car; nullopt when it was never stored.
  struct NameAndModel {
    std::string display_name;
    std::string model;
  };
  std::optional<NameAndModel> FindNameAndModel(std::int64_t id);
  // A car in the account's list under `name`: inserted, or updated and no longer removed.
  void UpsertListed(const sdk::VehicleSummary& summary, const std::string& name, std::int64_t now_ms);
  void MarkRemoved(std::int64_t id, std::int64_t now_ms);
  void SetState(std::int64_t id, const std::string& state, std::int64_t now_ms);
  // A sample taken at `ts_ms` and the car's details, in one transaction. A sample already stored (same car
  // timestamp, a cached answer) is stored once.
  void InsertSample(std::int64_t id, std::int64_t ts_ms, const sdk::VehicleData& data, const std::string& place,
                    std::int64_t now_ms);
  void Rename(std::int64_t id, const std::string& name, std::int64_t now_ms);

  // ---- read by the REST routes
  // An id (a positive number without a leading zero: VINs always hold letters) by the primary key, anything
  // else as a VIN. Throws HttpError 404 when there is no such car.
  std::int64_t Resolve(const std::string& id_or_vin);
  // Every car still in the account, by name and VIN.
  std::vector<StoredVehicle> ListVehicles();
  StoredVehicle GetVehicle(std::int64_t id);
  // Throws HttpError 404 when there is no such car.
  LatestSample Latest(const std::string& id_or_vin);
  HistoryPage History(std::int64_t id, const HistoryQuery& query);

 private:
  sdk::Database& db_;
};

}  // namespace tessie::vehicle
