#include "polling_policy.hpp"

#include <algorithm>

namespace tessie::vehicle {

const char* ToString(Activity a) {
  switch (a) {
    case Activity::kUnknown:
      return "unknown";
    case Activity::kAsleep:
      return "asleep";
    case Activity::kParked:
      return "parked";
    case Activity::kDriving:
      return "driving";
    case Activity::kCharging:
      return "charging";
    case Activity::kUserPresent:
      return "user_present";
  }
  return "unknown";
}

PollAction PollingPolicy::Next(std::int64_t now_ms) const {
  if (!s_.adaptive) return PollAction::kFetchData;
  switch (activity_) {
    case Activity::kUnknown:
      // First look: free, tells whether the car is awake at all.
      return state_ == "online" ? PollAction::kFetchData : PollAction::kCheckState;
    case Activity::kAsleep:
      return PollAction::kCheckState;
    case Activity::kDriving:
    case Activity::kCharging:
    case Activity::kUserPresent:
      return PollAction::kFetchData;
    case Activity::kParked:
      if (state_ != "online") return PollAction::kCheckState;
      if (data_requested_) return PollAction::kFetchData;
      if (AfterDrive()) return PollAction::kFetchData;
      // Still awake long after our last request: something else keeps it up.
      if (now_ms - last_data_ms_ >= (s_.sleep_after + s_.sleep_grace).count()) return PollAction::kFetchData;
      return PollAction::kCheckState;
  }
  return PollAction::kCheckState;
}

Millis PollingPolicy::Delay() const {
  const Millis delay = ActivityDelay();
  return budget_spent_ ? std::max(delay, s_.state_check) : delay;
}

Millis PollingPolicy::ActivityDelay() const {
  if (!s_.adaptive) return s_.fixed_interval;
  switch (activity_) {
    case Activity::kDriving:
      return s_.driving;
    case Activity::kCharging: {
      const Millis interval = fast_charging_ ? s_.fast_charging : s_.charging;
      return charge_done_in_ ? std::min(interval, *charge_done_in_ + std::chrono::minutes(1)) : interval;
    }
    case Activity::kParked:
      return AfterDrive() ? s_.after_drive : s_.state_check;
    case Activity::kUserPresent:
      return s_.user_present;
    case Activity::kUnknown:
      // Just seen online after sleeping: look at once.
      return state_ == "online" ? Millis(0) : s_.state_check;
    default:
      return s_.state_check;
  }
}

void PollingPolicy::OnState(const std::string& state, std::int64_t now_ms) {
  state_ = state;
  if (state == "online") {
    last_online_seen_ms_ = now_ms;
    // Woken by someone (the app, a drive, a charge): look now.
    if (activity_ == Activity::kAsleep || activity_ == Activity::kUnknown) {
      activity_ = Activity::kUnknown;
    }
  } else {
    activity_ = Activity::kAsleep;
    after_drive_until_ms_ = 0;
  }
}

void PollingPolicy::OnBudgetSpent(const std::string& state, std::int64_t now_ms) {
  OnState(state, now_ms);
  budget_spent_ = true;
}

void PollingPolicy::OnData(const DataSeen& seen, std::int64_t now_ms) {
  const bool driving = seen.driving, charging = seen.charging, user_present = seen.user_present;
  // The first sample after a drive that is not driving opens the window of looks after it.
  if (activity_ == Activity::kDriving && !driving) after_drive_until_ms_ = now_ms + s_.after_drive_window.count();
  if (driving) after_drive_until_ms_ = 0;
  fast_charging_ = charging && seen.fast_charging;
  charge_done_in_.reset();
  if (charging && seen.time_to_full_h && *seen.time_to_full_h > 0 && *seen.time_to_full_h < 24)
    charge_done_in_ = Millis(static_cast<std::int64_t>(*seen.time_to_full_h * 3'600'000));
  budget_spent_ = false;
  state_ = "online";
  last_data_ms_ = now_ms;
  last_online_seen_ms_ = now_ms;
  data_requested_ = false;
  if (driving)
    activity_ = Activity::kDriving;
  else if (charging)
    activity_ = Activity::kCharging;
  else if (user_present)
    activity_ = Activity::kUserPresent;
  else
    activity_ = Activity::kParked;  // suspend data requests so the car can sleep
}

void PollingPolicy::OnAsleep(std::int64_t) {
  state_ = "asleep";
  activity_ = Activity::kAsleep;
  after_drive_until_ms_ = 0;
  data_requested_ = false;
  budget_spent_ = false;
}

}  // namespace tessie::vehicle
