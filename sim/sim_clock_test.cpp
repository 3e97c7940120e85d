#include "sim_clock.h"

#include <gtest/gtest.h>

#include <thread>

namespace tessie::sim {
namespace {

TEST(SimClockTest, SteppedClockMovesOnlyWhenTold) {
  SimClock clock(1000, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(clock.NowS(), 1000);
  clock.Advance(60);
  EXPECT_EQ(clock.NowS(), 1060);
  clock.Set(5000);
  EXPECT_EQ(clock.NowS(), 5000);
  EXPECT_THROW(clock.Advance(-1), std::invalid_argument);
}

TEST(SimClockTest, AcceleratedClockRunsAtLeastSpeedTimesWallTime) {
  SimClock clock(0, 1000);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_GE(clock.NowS(), 20.0);  // lower bound only: the machine may be slow
  clock.SetSpeed(0);
  const double frozen_s = clock.NowS();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(clock.NowS(), frozen_s);
}

}  // namespace
}  // namespace tessie::sim
