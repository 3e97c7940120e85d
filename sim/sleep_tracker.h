#pragma once

#include <utility>
#include <vector>

#include "vehicle_model.h"

namespace tessie::sim {

// Online/asleep state of one car. The car is online while driving or charging, and for idle_s after
// the scenario start, after each activity ends, after each data request it answered, and after it
// finished waking up (wake_delay_s after a wake_up); otherwise it is asleep.
// Not thread-safe: the owner serialises calls. The model must outlive the tracker.
class SleepTracker {
 public:
  SleepTracker(const VehicleModel& model, double scenario_start_s, double idle_s, double wake_delay_s);

  bool IsOnline(double t_s) const;
  // A vehicle_data request at t_s; keeps the car awake only if it was online.
  void OnDataRequest(double t_s);
  // A wake_up at t_s; an asleep car comes online wake_delay_s later.
  void OnWakeUp(double t_s);
  // Seconds asleep between the scenario start and t_s.
  double AsleepSecondsUntil(double t_s) const;
  void Reset() { request_windows_.clear(); }

 private:
  using Window = std::pair<double, double>;
  std::vector<Window> AwakeWindows() const;
  void AddRequestWindow(double from_s, double to_s);

  const VehicleModel& model_;
  double start_s_;
  double idle_s_;
  double wake_delay_s_;
  std::vector<Window> request_windows_;  // merged while requests arrive in time order, so it stays short
};

}  // namespace tessie::sim
