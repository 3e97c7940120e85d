#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "logger.hpp"
#include "tessie/sdk/clock.hpp"

namespace tessie::core {

// For demo mode and tests only (config `clock.simulator_url`): the host's wall clock follows the Fleet API
// simulator's clock (GET /sim/clock → {epoch_s, speed}), so timestamps, days and polling intervals are in
// simulated time even when the simulator runs accelerated. Resynchronised every 200 ms on its own thread;
// Now() interpolates with the last known speed. Thread-safe.
class SimulatorClock final : public sdk::Clock {
 public:
  // Throws std::runtime_error when the simulator cannot be reached at start.
  SimulatorClock(std::string url, LogSink& log);
  ~SimulatorClock() override;
  std::chrono::system_clock::time_point Now() const override;
  // Simulated seconds per real second (0 = stepped: time moves only when the simulator is told to).
  double Speed() const;
  // Called on the clock's thread whenever the simulator's speed changes. Set before the first change matters
  // (the host sets it right after construction); `changed` must outlive this clock.
  void OnSpeedChange(std::function<void()> changed);

 private:
  void Sync();
  std::string host_;
  int port_ = 0;
  LogSink& log_;
  mutable std::mutex mutex_;
  double base_epoch_s_ = 0;
  std::chrono::steady_clock::time_point base_steady_;
  double speed_ = 1;
  std::function<void()> speed_changed_;  // guarded by mutex_
  std::atomic<bool> stop_{false};
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace tessie::core
