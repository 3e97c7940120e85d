#include "drivers_service.hpp"

#include "vehicle_sample.hpp"

namespace tessie::drivers {

DriversService::DriversService(DriversStore& store, sdk::Logger& log, local_time::Zone zone, DriveOptions options)
    : store_(store), log_(log), zone_(std::move(zone)), recorder_(options, store) {
  std::lock_guard lock(mutex_);
  attribution_ = std::make_shared<const Attribution>(zone_, store_.LoadDrivers());
}

void DriversService::Restore(std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  for (auto& drive : store_.OpenDrives()) {
    if (!recorder_.ResumeDrive(drive.vehicle_id, drive.id, std::move(drive.samples), now_ms)) {
      store_.DeleteDrive(drive.id);
      continue;
    }
    log_.Info("vehicle " + std::to_string(drive.vehicle_id) + ": resumed open drive " + std::to_string(drive.id));
  }
  for (const auto& [vehicle_id, sample] : store_.ParkedSamples()) recorder_.RestoreParked(vehicle_id, sample);
}

void DriversService::OnVehicleState(const sdk::events::VehicleState& e, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  if (e.has_data) {
    Log(recorder_.OnSample(e.vehicle_id, LabelOf(e), ToSample(e), now_ms, *attribution_));
  } else {
    Log(recorder_.OnState(e.vehicle_id, LabelOf(e), e.timestamp_ms, e.state, *attribution_));
  }
}

void DriversService::Sweep(std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Log(recorder_.Sweep(now_ms, *attribution_));
}

DriversService::Assigned DriversService::AssignDrive(std::int64_t drive_id, const DriveAssignment& assignment) {
  std::lock_guard lock(mutex_);
  const auto facts = store_.FindDriveFacts(drive_id);
  if (!facts) return Assigned::kNoDrive;
  AttributionResult result{assignment.driver_id, AttributionSource::kManual};
  if (assignment.automatic) {
    result = attribution_->Attribute(*facts);
  } else if (assignment.driver_id && !store_.DriverExists(*assignment.driver_id)) {
    return Assigned::kNoDriver;
  }
  store_.SetDriver(drive_id, result);
  return Assigned::kDone;
}

DriversService::DriverSaved DriversService::SaveDriver(std::int64_t id, const Driver& driver, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  DriverSaved saved;
  saved.write = store_.SaveDriver(id, driver, now_ms);
  if (saved.write.outcome != DriverWrite::Outcome::kSaved) return saved;
  saved.reattributed = ReloadAndReattribute();
  for (const auto& d : attribution_->Drivers())
    if (d.id == saved.write.id) saved.driver = d;
  return saved;
}

DriversService::DriverDeleted DriversService::DeleteDriver(std::int64_t id, std::optional<std::int64_t> reassign_to) {
  std::lock_guard lock(mutex_);
  DriverDeleted deleted;
  deleted.removal = store_.DeleteDriver(id, reassign_to);
  if (deleted.removal.outcome == DriverRemoval::Outcome::kRemoved) deleted.reattributed = ReloadAndReattribute();
  return deleted;
}

void DriversService::Log(const std::vector<RecorderNote>& notes) {
  for (const auto& n : notes) {
    if (n.level == RecorderNote::Level::kError) {
      log_.Error(n.text);
    } else {
      log_.Info(n.text);
    }
  }
}

std::size_t DriversService::ReloadAndReattribute() {
  attribution_ = std::make_shared<const Attribution>(zone_, store_.LoadDrivers());
  return store_.Reattribute(*attribution_);
}

}  // namespace tessie::drivers
