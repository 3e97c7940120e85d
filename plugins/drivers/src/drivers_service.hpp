#pragma once
// Everything that decides a drive's driver, behind one mutex: the recorder fed by vehicle events and the
// sweep job, and the REST writes that change drivers or assign drives by hand, so that a rule change and a
// finishing drive cannot interleave. Thread-safe: vehicle events arrive on the vehicle plugin's job thread,
// the sweep on a scheduler thread, REST writes on HTTP workers.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "api_input.hpp"
#include "attribution.hpp"
#include "drive_recorder.hpp"
#include "drivers_store.hpp"
#include "tessie/sdk/events/vehicle.hpp"
#include "tessie/sdk/log.hpp"

namespace tessie::drivers {

class DriversService {
 public:
  // Loads the drivers and their rules from `store`. `store` and `log` outlive the service.
  DriversService(DriversStore& store, sdk::Logger& log, local_time::Zone zone, DriveOptions options);

  // After a restart: resumes the open drives (or deletes those that cannot be) and the parked samples.
  void Restore(std::int64_t now_ms);
  // A vehicle.state event; `now_ms` is the host's clock.
  void OnVehicleState(const sdk::events::VehicleState& e, std::int64_t now_ms);
  // Ends the drives of cars that stopped reporting.
  void Sweep(std::int64_t now_ms);

  enum class Assigned { kDone, kNoDrive, kNoDriver };
  // PUT /api/drives/:id: a manual choice, or back to the rules' answer.
  Assigned AssignDrive(std::int64_t drive_id, const DriveAssignment& assignment);

  struct DriverSaved {
    DriverWrite write;
    Driver driver;                 // as stored, when write.outcome is kSaved
    std::size_t reattributed = 0;  // drives whose driver the new rules changed
  };
  // id == 0 adds a driver; otherwise replaces driver `id`. Re-attributes drives not assigned by hand.
  DriverSaved SaveDriver(std::int64_t id, const Driver& driver, std::int64_t now_ms);

  struct DriverDeleted {
    DriverRemoval removal;
    std::size_t reattributed = 0;
  };
  DriverDeleted DeleteDriver(std::int64_t id, std::optional<std::int64_t> reassign_to);

 private:
  void Log(const std::vector<RecorderNote>& notes);
  // Reloads the rules and re-attributes every drive not assigned by hand. Caller holds mutex_.
  std::size_t ReloadAndReattribute();

  DriversStore& store_;
  sdk::Logger& log_;
  const local_time::Zone zone_;
  std::mutex mutex_;
  DriveRecorder recorder_;                          // guarded by mutex_
  std::shared_ptr<const Attribution> attribution_;  // guarded by mutex_; replaced, never mutated
};

}  // namespace tessie::drivers
