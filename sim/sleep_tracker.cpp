#include "sleep_tracker.h"

#include <algorithm>

namespace tessie::sim {

SleepTracker::SleepTracker(const VehicleModel& model, double scenario_start_s, double idle_s, double wake_delay_s)
    : model_(model), start_s_(scenario_start_s), idle_s_(idle_s), wake_delay_s_(wake_delay_s) {}

std::vector<SleepTracker::Window> SleepTracker::AwakeWindows() const {
  std::vector<Window> windows = request_windows_;
  windows.emplace_back(start_s_, start_s_ + idle_s_);
  for (const Activity& a : model_.Activities()) windows.emplace_back(a.start_s, a.end_s + idle_s_);
  return windows;
}

bool SleepTracker::IsOnline(double t_s) const {
  const auto windows = AwakeWindows();
  return std::any_of(windows.begin(), windows.end(),
                     [t_s](const Window& w) { return w.first <= t_s && t_s < w.second; });
}

void SleepTracker::AddRequestWindow(double from_s, double to_s) {
  if (!request_windows_.empty()) {
    Window& last = request_windows_.back();
    if (last.first <= from_s && from_s <= last.second) {
      last.second = std::max(last.second, to_s);
      return;
    }
  }
  request_windows_.emplace_back(from_s, to_s);
}

void SleepTracker::OnDataRequest(double t_s) {
  if (IsOnline(t_s)) AddRequestWindow(t_s, t_s + idle_s_);
}

void SleepTracker::OnWakeUp(double t_s) {
  const double online_s = IsOnline(t_s) ? t_s : t_s + wake_delay_s_;
  AddRequestWindow(online_s, online_s + idle_s_);
}

double SleepTracker::AsleepSecondsUntil(double t_s) const {
  auto windows = AwakeWindows();
  std::sort(windows.begin(), windows.end());
  double awake_s = 0;
  double covered_until_s = start_s_;
  for (auto [from, to] : windows) {
    from = std::max(from, covered_until_s);
    to = std::min(to, t_s);
    if (to > from) {
      awake_s += to - from;
      covered_until_s = to;
    }
  }
  return std::max(0.0, t_s - start_s_ - awake_s);
}

}  // namespace tessie::sim
