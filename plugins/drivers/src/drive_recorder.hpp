#pragma once
// Turns what the drive detector decides into stored drives with a driver. Plain logic: storage is behind
// DriveRepository (the plugin's tables in production, memory in the unit tests).
#include <cstdint>
#include <string>
#include <vector>

#include "attribution.hpp"
#include "drive_detector.hpp"

namespace tessie::drivers {

// The car a new drive belongs to, as the vehicle plugin named it ("" when a sweep closes a drive).
struct VehicleLabel {
  std::string vin;
  std::string display_name;
};

// The storage the recorder needs. Calls come from one thread at a time (the recorder's owner serialises).
class DriveRepository {
 public:
  virtual ~DriveRepository() = default;
  // Stores a new open drive with its first point; returns its key (> 0).
  virtual std::int64_t OpenDrive(std::int64_t vehicle_id, const VehicleLabel& label, const DriveSample& first) = 0;
  virtual void AddPoint(std::int64_t drive_key, const DriveSample& sample) = 0;
  // Removes an open drive and its points.
  virtual void DeleteDrive(std::int64_t drive_key) = 0;
  // Closes the drive with its final summary and driver.
  virtual void CloseDrive(std::int64_t drive_key, const DriveSummary& summary, const AttributionResult& driver) = 0;
  // Keeps the newest parked sample of a car (older ones are ignored), for DriveDetector::RestoreParked.
  virtual void SaveParked(std::int64_t vehicle_id, const DriveSample& sample) = 0;
};

// A line for the plugin's log, in the order things happened.
struct RecorderNote {
  enum class Level { kInfo, kError };
  Level level = Level::kInfo;
  std::string text;
};

// Owns the drive detector. Not thread-safe: the owner serialises every call, and with them every use of
// the repository. A failure to store one detector decision is reported as a kError note and the next
// decision is still applied (SaveParked failures are thrown: they are not a drive's).
class DriveRecorder {
 public:
  DriveRecorder(DriveOptions options, DriveRepository& repository) : detector_(options), repository_(repository) {}

  // A vehicle_data sample of `vehicle_id`; `received_ms` is the host's clock at arrival.
  std::vector<RecorderNote> OnSample(std::int64_t vehicle_id, const VehicleLabel& label, const DriveSample& sample,
                                     std::int64_t received_ms, const Attribution& attribution);
  // A connectivity check without data ("asleep" ends the open drive).
  std::vector<RecorderNote> OnState(std::int64_t vehicle_id, const VehicleLabel& label, std::int64_t time_ms,
                                    const std::string& state, const Attribution& attribution);
  // Ends the drives of cars that stopped reporting (DriveDetector::Sweep).
  std::vector<RecorderNote> Sweep(std::int64_t now_ms, const Attribution& attribution);

  // After a restart: resumes the open drive `drive_key` from its stored points. Returns false when it cannot
  // be resumed (no points, or the car has another open drive already): the caller deletes it.
  bool ResumeDrive(std::int64_t vehicle_id, std::int64_t drive_key, std::vector<DriveSample> samples,
                   std::int64_t now_ms);
  void RestoreParked(std::int64_t vehicle_id, const DriveSample& sample) {
    detector_.RestoreParked(vehicle_id, sample);
  }

 private:
  std::vector<RecorderNote> Apply(const std::vector<DriveEvent>& events, const VehicleLabel& label,
                                  const Attribution& attribution);
  // Returns the key of a drive it started (0 otherwise).
  std::int64_t ApplyOne(const DriveEvent& e, const VehicleLabel& label, const Attribution& attribution,
                        std::vector<RecorderNote>& notes);

  DriveDetector detector_;
  DriveRepository& repository_;
};

}  // namespace tessie::drivers
