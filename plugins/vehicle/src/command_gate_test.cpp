#include "command_gate.hpp"

#include <gtest/gtest.h>

namespace tessie::vehicle {
namespace {

TEST(CommandGate, OnlyPressIsAPress) {
  CommandGate gate;
  for (const char* payload : {"", "press", "PRESS ", "ON", "{\"x\":1}", "\x01garbage"}) {
    EXPECT_EQ(gate.Begin(Command::kWake, payload, 0), CommandVerdict::kBadPayload) << payload;
  }
  EXPECT_FALSE(gate.InFlightMs(Command::kWake, 0));  // ignored payloads start nothing
  EXPECT_EQ(gate.Begin(Command::kWake, "PRESS", 0), CommandVerdict::kAccept);
}

TEST(CommandGate, PressesWhileAWakeIsInFlightAreDropped) {
  CommandGate gate(std::chrono::seconds(60));
  EXPECT_EQ(gate.Begin(Command::kWake, "PRESS", 1'000), CommandVerdict::kAccept);
  for (int i = 1; i < 10; ++i) {  // ten presses in five seconds: one wake
    EXPECT_EQ(gate.Begin(Command::kWake, "PRESS", 1'000 + i * 500), CommandVerdict::kInProgress) << i;
  }
  EXPECT_EQ(*gate.InFlightMs(Command::kWake, 6'000), 5'000);
  EXPECT_EQ(gate.Begin(Command::kWake, "PRESS", 61'000), CommandVerdict::kAccept);  // the window is over
}

TEST(CommandGate, AWakeThatWasNotSentCanBePressedAgain) {
  CommandGate gate;
  EXPECT_EQ(gate.Begin(Command::kWake, "PRESS", 0), CommandVerdict::kAccept);
  gate.End(Command::kWake);  // e.g. the budget is spent: nothing was sent
  EXPECT_EQ(gate.Begin(Command::kWake, "PRESS", 10), CommandVerdict::kAccept);
}

TEST(CommandGate, WakeAndSyncAreIndependent) {
  CommandGate gate;
  EXPECT_EQ(gate.Begin(Command::kWake, "PRESS", 0), CommandVerdict::kAccept);
  EXPECT_EQ(gate.Begin(Command::kSync, "PRESS", 0), CommandVerdict::kAccept);
  EXPECT_EQ(gate.Begin(Command::kSync, "PRESS", 100), CommandVerdict::kInProgress);
  gate.End(Command::kSync);  // the poll run finished
  EXPECT_EQ(gate.Begin(Command::kSync, "PRESS", 200), CommandVerdict::kAccept);
  EXPECT_EQ(gate.Begin(Command::kWake, "PRESS", 200), CommandVerdict::kInProgress);
}

TEST(CommandGate, AClockThatWentBackEndsTheWindow) {
  CommandGate gate;
  EXPECT_EQ(gate.Begin(Command::kWake, "PRESS", 100'000), CommandVerdict::kAccept);
  EXPECT_EQ(gate.Begin(Command::kWake, "PRESS", 5'000), CommandVerdict::kAccept);
}

}  // namespace
}  // namespace tessie::vehicle
