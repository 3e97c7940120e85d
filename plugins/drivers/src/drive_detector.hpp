#pragma once
// Drive detection from the vehicle plugin's samples. Plain logic: no I/O, no clock, no locking.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tessie::drivers {

// One vehicle_data observation, reduced to what a drive needs. Units are in the names.
struct DriveSample {
  std::int64_t time_ms = 0;                // UTC epoch ms
  std::optional<std::string> shift_state;  // "P", "D", "R", "N"; nullopt = no gear reported
  std::optional<double> speed_kmh;
  std::optional<double> power_kw;
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::optional<double> odometer_km;
  std::optional<int> battery_level;         // %
  std::optional<int> usable_battery_level;  // %
  std::optional<double> energy_remaining_kwh;
  std::optional<double> battery_range_km;  // rated
  std::string place;                       // configured place name, "" = none
  // Charging at this sample (a charge begun right after arriving): its battery is no longer the drive's.
  // Not stored with a drive's points (only a drive's last sample can be charging).
  bool charging = false;

  bool HasPosition() const { return latitude.has_value() && longitude.has_value(); }
  // D, R and N mean the car is being driven; P and no gear mean it is not.
  bool IsDriving() const { return shift_state && (*shift_state == "D" || *shift_state == "R" || *shift_state == "N"); }
};

// How a drive's energy was measured, best first.
enum class EnergySource { kNone, kEnergyRemaining, kUsableBatteryLevel, kRatedRange };
enum class DistanceSource { kOdometer, kPath };

const char* ToString(EnergySource source);
const char* ToString(DistanceSource source);

struct DriveOptions {
  // A gap longer than this between two samples of a drive ends it at the earlier sample.
  std::int64_t max_gap_ms = std::int64_t{15} * 60 * 1000;
  // Drives shorter than this (or with fewer than two positions) are dropped.
  double min_distance_km = 0.010;
  // Used only when energy_remaining_kwh is missing: usable battery level delta × capacity.
  double battery_capacity_kwh = 75.0;
  // Used only when neither energy nor battery level is known: rated range delta × consumption.
  double rated_wh_per_km = 150.0;
};

// A finished drive as computed from its samples. Optional fields are nullopt when no sample had the input.
struct DriveSummary {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::string start_place;
  std::string end_place;
  std::optional<double> start_latitude, start_longitude, end_latitude, end_longitude;
  std::optional<double> start_odometer_km, end_odometer_km;
  double distance_km = 0;
  DistanceSource distance_source = DistanceSource::kPath;
  std::int64_t duration_s = 0;
  std::optional<double> energy_used_kwh;  // may be negative when regeneration outweighs use
  EnergySource energy_source = EnergySource::kNone;
  std::optional<double> efficiency_wh_per_km;
  std::optional<double> max_speed_kmh;
  std::optional<double> average_speed_kmh;  // distance / duration
  std::optional<int> start_battery_level, end_battery_level;
  int positions = 0;  // samples with a latitude and longitude
};

// What to do with one sample, in order. `drive_key` is the key given to SetDriveKey (0 until then).
struct DriveEvent {
  enum class Kind {
    kStarted,    // a drive began with `sample` (store a new open drive, then call SetDriveKey)
    kExtended,   // `sample` belongs to the open drive `drive_key` (store it as a path point)
    kFinished,   // drive `drive_key` ended; `summary` is final
    kDiscarded,  // drive `drive_key` ended but is too short or lacks positions: delete it
  };
  Kind kind = Kind::kStarted;
  std::int64_t vehicle_id = 0;
  std::int64_t drive_key = 0;
  DriveSample sample;                   // kStarted, kExtended
  std::optional<DriveSummary> summary;  // kFinished
};

// Summarises a drive's samples (time order). Returns nullopt when the drive is to be dropped: fewer than
// two positions, or a distance under options.min_distance_km.
// Energy: what the battery lost between the first sample in motion (not the origin DriveOrigin made from
// the last parked sample, which can be hours older: the drain while parked is not the drive's) and the last
// sample not charging, extrapolated to the whole distance at the rate of that stretch. When that stretch is
// under half the distance (or 0.5 km), the first and last samples with a value are used instead.
std::optional<DriveSummary> Summarise(const std::vector<DriveSample>& samples, const DriveOptions& options);

// Where a drive really began, when polling first saw it under way: the car's last parked sample (its
// position, odometer and battery are the drive's start values) at an estimated start time, derived from
// the distance already covered at `first_driving` and its speed. nullopt when the two samples do not fit
// together (no odometer, odometer going back, or faster than 250 km/h on average).
std::optional<DriveSample> DriveOrigin(const DriveSample& parked, const DriveSample& first_driving);

// Great-circle distance in km.
double HaversineKm(double lat1, double lon1, double lat2, double lon2);

// Tracks one open drive per vehicle. Samples must arrive in time order per vehicle; an older or equal
// timestamp than the last one seen is ignored. Not thread-safe: the owner serialises calls.
class DriveDetector {
 public:
  explicit DriveDetector(DriveOptions options = {}) : options_(options) {}

  // A vehicle_data sample. Rules: D/R/N starts a drive (or extends the open one; a new drive begins at
  // DriveOrigin of the last parked sample when there is one: kStarted carries the origin, followed by a
  // kExtended with this sample and drive_key 0, which the owner maps to the key it just stored); P or no
  // gear ends the open drive and is its last sample; a gap over max_gap_ms (by the samples' own timestamps) ends the
  // open drive at its previous sample before this sample is considered. `received_ms` is the host's wall-clock time of
  // arrival (for Sweep); it defaults to the sample's own time.
  std::vector<DriveEvent> OnSample(std::int64_t vehicle_id, const DriveSample& sample,
                                   std::optional<std::int64_t> received_ms = std::nullopt);
  // A connectivity check without data. "asleep" ends the open drive at its last sample (a sleeping car is
  // parked); anything else is ignored (a car may drop offline while driving: the gap rule applies).
  std::vector<DriveEvent> OnState(std::int64_t vehicle_id, std::int64_t time_ms, const std::string& state);
  // Ends every open drive whose last sample arrived more than max_gap_ms before now_ms (wall clock, as
  // `received_ms`): the car stopped reporting. Call periodically.
  std::vector<DriveEvent> Sweep(std::int64_t now_ms);

  // Associates the storage key of the drive opened by the last kStarted for this vehicle.
  void SetDriveKey(std::int64_t vehicle_id, std::int64_t drive_key);
  // Reinstates an open drive after a restart (samples in time order, as stored); `received_ms` starts the
  // Sweep clock anew. Ignored when `samples` is empty.
  void Restore(std::int64_t vehicle_id, std::int64_t drive_key, std::vector<DriveSample> samples,
               std::int64_t received_ms);

  // Reinstates the last parked sample after a restart (the drivers plugin stores it), so that a drive the
  // host first sees under way still starts where the car was parked. Ignored when a newer one is known.
  void RestoreParked(std::int64_t vehicle_id, const DriveSample& sample);

  bool HasOpenDrive(std::int64_t vehicle_id) const { return open_.count(vehicle_id) != 0; }

 private:
  struct OpenDrive {
    std::int64_t drive_key = 0;
    std::vector<DriveSample> samples;
    std::int64_t received_ms = 0;
  };
  DriveEvent Close(std::int64_t vehicle_id);

  DriveOptions options_;
  std::map<std::int64_t, OpenDrive> open_;
  std::map<std::int64_t, std::int64_t> last_time_ms_;  // per vehicle, newest sample seen
  // Per vehicle, the newest sample that was not driving: where and with what odometer and battery the
  // next drive starts (polling sees a drive only some time after it began).
  std::map<std::int64_t, DriveSample> last_parked_;
};

}  // namespace tessie::drivers
