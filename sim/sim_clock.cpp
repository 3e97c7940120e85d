#include "sim_clock.h"

#include <stdexcept>

namespace tessie::sim {

SimClock::SimClock(double start_s, double speed) : anchor_sim_s_(start_s), anchor_wall_(Steady::now()), speed_(speed) {
  if (speed < 0) throw std::invalid_argument("clock speed must be >= 0");
}

double SimClock::NowLocked() const {
  const std::chrono::duration<double> wall = Steady::now() - anchor_wall_;
  return anchor_sim_s_ + wall.count() * speed_;
}

double SimClock::NowS() const {
  std::lock_guard lock(mutex_);
  return NowLocked();
}

double SimClock::Speed() const {
  std::lock_guard lock(mutex_);
  return speed_;
}

void SimClock::SetSpeed(double speed) {
  if (speed < 0) throw std::invalid_argument("clock speed must be >= 0");
  std::lock_guard lock(mutex_);
  anchor_sim_s_ = NowLocked();
  anchor_wall_ = Steady::now();
  speed_ = speed;
}

void SimClock::Advance(double delta_s) {
  if (delta_s < 0) throw std::invalid_argument("advance_s must be >= 0");
  std::lock_guard lock(mutex_);
  anchor_sim_s_ = NowLocked() + delta_s;
  anchor_wall_ = Steady::now();
}

void SimClock::Set(double t_s) {
  std::lock_guard lock(mutex_);
  anchor_sim_s_ = t_s;
  anchor_wall_ = Steady::now();
}

}  // namespace tessie::sim
