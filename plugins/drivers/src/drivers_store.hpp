#pragma once
// The drivers plugin's tables (all prefixed drivers_) behind a typed API: migrations and every SQL statement
// of the plugin. Thread-safe as far as sdk::Database is; the caller serialises the writes that decide a
// drive's driver (DriversService).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "attribution.hpp"
#include "drive_detector.hpp"
#include "drive_recorder.hpp"
#include "driver_stats.hpp"
#include "stored_drive.hpp"
#include "tessie/sdk/events/charging.hpp"
#include "tessie/sdk/storage.hpp"

namespace tessie::drivers {

// GET /api/drives: finished drives matching every given field, newest first.
struct DriveFilter {
  // With vehicle_id: drives of that vehicle id or of the VIN `vin` (a number given as the vehicle may be
  // either); without: drives of the VIN `vin`.
  std::optional<std::int64_t> vehicle_id;
  std::optional<std::string> vin;
  bool without_driver = false;
  std::optional<std::int64_t> driver_id;
  std::optional<std::int64_t> from_ms, to_ms;  // start time in [from_ms, to_ms)
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};
struct DrivePage {
  std::vector<DriveRow> items;
  std::int64_t total = 0;
};

// An open drive found at start, with its points in time order.
struct StoredOpenDrive {
  std::int64_t id = 0;
  std::int64_t vehicle_id = 0;
  std::vector<DriveSample> samples;
};

// What writing a driver found. kNameTaken: another driver (`other_id`, `other_name`) has the same NameKey.
struct DriverWrite {
  enum class Outcome { kSaved, kNotFound, kNameTaken };
  Outcome outcome = Outcome::kSaved;
  std::int64_t id = 0;
  std::int64_t other_id = 0;
  std::string other_name;
};
struct DriverRemoval {
  enum class Outcome { kRemoved, kNotFound, kTargetNotFound };
  Outcome outcome = Outcome::kRemoved;
  std::int64_t moved_drives = 0;
};

class DriversStore final : public DriveRepository {
 public:
  explicit DriversStore(sdk::Database& db) : db_(db) {}

  static const std::vector<sdk::Migration>& Migrations();

  // ---- drives being recorded (DriveRepository) ----
  std::int64_t OpenDrive(std::int64_t vehicle_id, const VehicleLabel& label, const DriveSample& first) override;
  void AddPoint(std::int64_t drive_key, const DriveSample& sample) override;
  void DeleteDrive(std::int64_t drive_key) override;
  void CloseDrive(std::int64_t drive_key, const DriveSummary& summary, const AttributionResult& driver) override;
  void SaveParked(std::int64_t vehicle_id, const DriveSample& sample) override;
  std::vector<StoredOpenDrive> OpenDrives();
  std::vector<std::pair<std::int64_t, DriveSample>> ParkedSamples();  // vehicle id, its last parked sample

  // ---- charging costs (from the charging plugin's events) ----
  void SaveChargingCost(const sdk::events::ChargingSessionClosed& session);

  // ---- finished drives ----
  DrivePage ListDrives(const DriveFilter& filter);
  std::optional<DriveRow> FindDrive(std::int64_t id);
  std::vector<PathPoint> DrivePath(std::int64_t id);
  // What the rules need to attribute a finished drive; nullopt when there is none with this id.
  std::optional<DriveFacts> FindDriveFacts(std::int64_t id);
  void SetDriver(std::int64_t drive_id, const AttributionResult& driver);
  // Applies `attribution` to every finished drive not assigned by hand; returns how many changed.
  std::size_t Reattribute(const Attribution& attribution);

  // ---- drivers and their rules ----
  std::vector<Driver> LoadDrivers();
  bool DriverExists(std::int64_t id);
  std::optional<std::string> DriverName(std::int64_t id);
  // id == 0 adds `driver`; otherwise replaces driver `id` and its rules and vehicle defaults.
  DriverWrite SaveDriver(std::int64_t id, const Driver& driver, std::int64_t now_ms);
  // Removes a driver with their rules and vehicle defaults. Their drives go to `reassign_to`, or to nobody,
  // as a manual assignment (no rule takes them over).
  DriverRemoval DeleteDriver(std::int64_t id, std::optional<std::int64_t> reassign_to);

  // ---- statistics ----
  // Finished drives that started, and charging sessions that ended, in [from_ms, to_ms).
  std::pair<std::vector<DriveRecord>, std::vector<ChargingCost>> StatsInput(std::int64_t from_ms, std::int64_t to_ms);

 private:
  sdk::Database& db_;
};

}  // namespace tessie::drivers
