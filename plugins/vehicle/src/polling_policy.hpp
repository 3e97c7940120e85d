#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace tessie::vehicle {

using Millis = std::chrono::milliseconds;

// What the poller does next for one vehicle.
enum class PollAction {
  kCheckState,  // GET /vehicles/{id}: free, does not wake the car or keep it awake
  kFetchData,   // GET vehicle_data: billed, keeps the car awake ~15 min longer
};

enum class Activity { kUnknown, kAsleep, kParked, kDriving, kCharging, kUserPresent };
const char* ToString(Activity a);

struct PollingSettings {
  bool adaptive = true;
  Millis fixed_interval{std::chrono::minutes(5)};  // polling: fixed
  Millis state_check{std::chrono::seconds(60)};    // asleep or suspended: connectivity checks
  Millis driving{std::chrono::minutes(5)};
  Millis charging{std::chrono::minutes(15)};      // AC: a slow, steady curve
  Millis fast_charging{std::chrono::minutes(2)};  // DC: the power falls within minutes; a curve needs samples
  // After a drive ends the car is looked at again every `after_drive` until `after_drive_window` has passed
  // since the first parked sample (a Supercharger session starts a minute or two after arriving). Each look
  // keeps the car awake a little longer; the window bounds that.
  Millis after_drive{std::chrono::minutes(2)};
  Millis after_drive_window{std::chrono::minutes(6)};
  Millis user_present{std::chrono::minutes(5)};
  // How long the car needs without data requests to fall asleep (Tesla: about 15 minutes). A car still
  // online this long (plus grace) after our last data request is kept awake by something else — a drive,
  // a charge, someone in the car — and gets one data request to find out.
  Millis sleep_after{std::chrono::minutes(15)};
  Millis sleep_grace{std::chrono::minutes(2)};
};

// The sleep-friendly adaptive polling policy of one vehicle (plain logic, no I/O, not thread-safe: one
// poll job drives it).
//
//   asleep/offline          → state checks only; online again → fetch data now.
//   driving / charging      → fetch data every `driving` / `charging` (`fast_charging` on a DC charger);
//                             while charging, a minute after the time to full when that comes sooner.
//   a drive just ended      → fetch data every `after_drive` for `after_drive_window` after the first parked
//                             sample (is a charge starting?), then as parked.
//   someone in the car      → fetch data every `user_present`.
//   parked and idle         → stop data requests at once so the car can sleep; state checks only. If it
//                             is still online `sleep_after + sleep_grace` after our last data request,
//                             fetch data once (something else keeps it awake).
//   never wakes the car; a 408 counts as asleep.
//   budget spent            → a data request was due but today's Fleet API budget is spent: the state
//                             check made instead is reported with OnBudgetSpent, and until data arrives
//                             again no delay is shorter than `state_check` (a spent budget is a slow
//                             cadence, never a loop of free checks).
// polling: fixed fetches data every `fixed_interval` whatever the state (the seed's schedule, for
// comparison: it keeps a car awake when the interval is under ~15 minutes).
class PollingPolicy {
 public:
  explicit PollingPolicy(PollingSettings settings) : s_(settings) {}

  // What to do at `now_ms` (the job runs when Delay() has passed).
  PollAction Next(std::int64_t now_ms) const;
  // The delay until the next run after the last result.
  Millis Delay() const;

  void OnState(const std::string& state, std::int64_t now_ms);  // online, asleep, offline
  struct DataSeen {
    bool driving = false;
    bool charging = false;
    bool fast_charging = false;  // charging on a DC charger (fast_charger_present)
    bool user_present = false;
    // The car's time_to_full_charge while charging: the next look comes a minute after it when that is
    // sooner than the charging interval, so the end is seen before the car falls asleep.
    std::optional<double> time_to_full_h;
  };
  void OnData(const DataSeen& seen, std::int64_t now_ms);
  void OnData(bool driving, bool charging, bool user_present, std::int64_t now_ms) {
    OnData(DataSeen{driving, charging, false, user_present, std::nullopt}, now_ms);
  }
  void OnAsleep(std::int64_t now_ms);  // vehicle_data answered 408
  // A data request was due (Next() said kFetchData) but today's budget is spent; `state` is what the state
  // check made instead answered. Next() keeps asking for data (the budget comes back at UTC midnight; the
  // caller checks it before each request); Delay() is at least `state_check` until OnData or OnAsleep.
  void OnBudgetSpent(const std::string& state, std::int64_t now_ms);
  // Sync now: fetch data at the next run if the car is online (it is never woken for this).
  void RequestData() { data_requested_ = true; }

  Activity CurrentActivity() const { return activity_; }
  bool Suspended() const { return activity_ == Activity::kParked; }
  bool BudgetSpent() const { return budget_spent_; }

 private:
  Millis ActivityDelay() const;
  // Within the looks after a drive: the last data request came before the window's end.
  bool AfterDrive() const { return last_data_ms_ < after_drive_until_ms_; }

  PollingSettings s_;
  Activity activity_ = Activity::kUnknown;
  std::string state_;  // last connectivity state
  std::int64_t last_data_ms_ = 0;
  std::int64_t last_online_seen_ms_ = 0;
  std::int64_t after_drive_until_ms_ = 0;  // looks after a drive while the last data is older than this
  bool fast_charging_ = false;
  std::optional<Millis> charge_done_in_;  // time to full at the last charging sample
  bool data_requested_ = false;
  bool budget_spent_ = false;
};

}  // namespace tessie::vehicle
