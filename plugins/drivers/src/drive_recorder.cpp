#include "drive_recorder.hpp"

#include <iomanip>
#include <map>
#include <sstream>

namespace tessie::drivers {

std::vector<RecorderNote> DriveRecorder::OnSample(std::int64_t vehicle_id, const VehicleLabel& label,
                                                  const DriveSample& sample, std::int64_t received_ms,
                                                  const Attribution& attribution) {
  auto notes = Apply(detector_.OnSample(vehicle_id, sample, received_ms), label, attribution);
  if (!sample.IsDriving()) repository_.SaveParked(vehicle_id, sample);
  return notes;
}

std::vector<RecorderNote> DriveRecorder::OnState(std::int64_t vehicle_id, const VehicleLabel& label,
                                                 std::int64_t time_ms, const std::string& state,
                                                 const Attribution& attribution) {
  return Apply(detector_.OnState(vehicle_id, time_ms, state), label, attribution);
}

std::vector<RecorderNote> DriveRecorder::Sweep(std::int64_t now_ms, const Attribution& attribution) {
  return Apply(detector_.Sweep(now_ms), {}, attribution);
}

bool DriveRecorder::ResumeDrive(std::int64_t vehicle_id, std::int64_t drive_key, std::vector<DriveSample> samples,
                                std::int64_t now_ms) {
  if (samples.empty() || detector_.HasOpenDrive(vehicle_id)) return false;
  detector_.Restore(vehicle_id, drive_key, std::move(samples), now_ms);
  return true;
}

std::vector<RecorderNote> DriveRecorder::Apply(const std::vector<DriveEvent>& events, const VehicleLabel& label,
                                               const Attribution& attribution) {
  std::vector<RecorderNote> notes;
  // A drive that starts at the car's last parked sample is followed, in the same batch, by the sample that
  // revealed it with drive_key 0: it belongs to the drive just stored.
  std::map<std::int64_t, std::int64_t> started;  // vehicle → key of the drive stored in this batch
  for (auto e : events) {
    try {
      if (e.drive_key == 0 && e.kind != DriveEvent::Kind::kStarted) {
        if (auto it = started.find(e.vehicle_id); it != started.end()) e.drive_key = it->second;
      }
      const auto key = ApplyOne(e, label, attribution, notes);
      if (e.kind == DriveEvent::Kind::kStarted) started[e.vehicle_id] = key;
    } catch (const std::exception& ex) {
      notes.push_back({RecorderNote::Level::kError, "vehicle " + std::to_string(e.vehicle_id) +
                                                        ": could not store drive " + std::to_string(e.drive_key) +
                                                        ": " + ex.what()});
    }
  }
  return notes;
}

std::int64_t DriveRecorder::ApplyOne(const DriveEvent& e, const VehicleLabel& label, const Attribution& attribution,
                                     std::vector<RecorderNote>& notes) {
  switch (e.kind) {
    case DriveEvent::Kind::kStarted: {
      const auto key = repository_.OpenDrive(e.vehicle_id, label, e.sample);
      detector_.SetDriveKey(e.vehicle_id, key);
      return key;
    }
    case DriveEvent::Kind::kExtended:
      if (e.drive_key != 0) repository_.AddPoint(e.drive_key, e.sample);
      break;
    case DriveEvent::Kind::kDiscarded:
      if (e.drive_key != 0) repository_.DeleteDrive(e.drive_key);
      break;
    case DriveEvent::Kind::kFinished: {
      if (e.drive_key == 0) break;
      const auto& s = *e.summary;
      const auto who = attribution.Attribute({e.vehicle_id, s.start_ms, s.start_place});
      repository_.CloseDrive(e.drive_key, s, who);
      std::ostringstream line;
      line << "vehicle " << e.vehicle_id << ": drive " << e.drive_key << " finished, " << std::fixed
           << std::setprecision(1) << s.distance_km << " km, driver "
           << (who.driver_id ? std::to_string(*who.driver_id) : std::string("none")) << " (" << ToString(who.source)
           << ")";
      notes.push_back({RecorderNote::Level::kInfo, line.str()});
      break;
    }
  }
  return 0;
}

}  // namespace tessie::drivers
