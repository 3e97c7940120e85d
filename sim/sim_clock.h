#pragma once

#include <chrono>
#include <mutex>

namespace tessie::sim {

// The simulated UTC clock every physics value derives from. Time is epoch seconds (double).
// speed 1 = real time, N = N x accelerated, 0 = stepped (moves only through Advance/Set).
// Thread-safe: every method may be called from any thread.
class SimClock {
 public:
  SimClock(double start_s, double speed);

  double NowS() const;
  double Speed() const;
  void SetSpeed(double speed);
  void Advance(double delta_s);
  void Set(double t_s);

 private:
  using Steady = std::chrono::steady_clock;
  double NowLocked() const;

  mutable std::mutex mutex_;
  double anchor_sim_s_;
  Steady::time_point anchor_wall_;
  double speed_;
};

}  // namespace tessie::sim
