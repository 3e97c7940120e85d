#include "poll_cycle.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace tessie::vehicle {
namespace {

using sdk::FleetError;
using sdk::FleetErrorKind;
using std::chrono::milliseconds;

constexpr std::int64_t kId = 42;
constexpr std::int64_t kNow = 1'780'000'000'000;

// The calls a poll may make; everything else fails the test.
class FakeFleet final : public sdk::FleetApi {
 public:
  bool connected = true;
  bool within_budget = true;
  std::string state = "online";
  sdk::VehicleData data;
  std::optional<FleetError> error;  // thrown by the next GetVehicle or GetVehicleData
  int state_checks = 0;
  int data_requests = 0;

  bool Connected() const override { return connected; }
  sdk::VehicleSummary GetVehicle(std::int64_t id) override {
    ++state_checks;
    Throw();
    sdk::VehicleSummary s;
    s.id = id;
    s.state = state;
    return s;
  }
  sdk::VehicleData GetVehicleData(std::int64_t, sdk::VehicleDataScope) override {
    ++data_requests;
    Throw();
    return data;
  }
  bool WithinBudget(std::int64_t) const override { return within_budget; }

  sdk::Products GetProducts() override { throw std::logic_error("not used"); }
  std::vector<sdk::VehicleSummary> ListVehicles() override { throw std::logic_error("not used"); }
  sdk::VehicleSummary WakeUp(std::int64_t) override { throw std::logic_error("a poll never wakes a car"); }
  sdk::LiveStatus GetLiveStatus(std::int64_t) override { throw std::logic_error("not used"); }
  sdk::SiteInfo GetSiteInfo(std::int64_t) override { throw std::logic_error("not used"); }
  sdk::EnergyHistory GetEnergyHistory(std::int64_t, const std::string&, const std::string&, const std::string&,
                                      const std::string&) override {
    throw std::logic_error("not used");
  }
  std::vector<sdk::BackupEvent> GetBackupHistory(std::int64_t, const std::string&, const std::string&,
                                                 const std::string&, const std::string&) override {
    throw std::logic_error("not used");
  }

 private:
  void Throw() {
    if (error) {
      const FleetError e = *error;
      error.reset();
      throw e;
    }
  }
};

class RecordingLog final : public sdk::Logger {
 public:
  std::vector<std::string> warnings;
  void Write(sdk::LogLevel level, std::string_view message) override {
    if (level == sdk::LogLevel::kWarn) warnings.emplace_back(message);
  }
};

PollingSettings Settings() {
  PollingSettings s;
  s.state_check = milliseconds(60'000);
  s.driving = milliseconds(300'000);
  return s;
}

struct PollCycleTest : ::testing::Test {
  FakeFleet api;
  RecordingLog log;
  TrackedCar car{{kId, "5YJ3E1EA7PF001234", "Commuter", "", ""}, Settings(), "asleep", true};
};

TEST(PollCycle, ASampleTellsThePolicyWhatTheCarIsDoing) {
  sdk::VehicleData d;
  EXPECT_FALSE(SeenIn(d).driving);
  EXPECT_FALSE(SeenIn(d).charging);
  d.shift_state = "P";
  EXPECT_FALSE(SeenIn(d).driving);
  d.shift_state = "D";
  EXPECT_TRUE(SeenIn(d).driving);
  d.charging_state = "Stopped";
  EXPECT_FALSE(SeenIn(d).charging);
  d.charging_state = "Starting";
  EXPECT_TRUE(SeenIn(d).charging);
  d.charging_state = "Charging";
  d.fast_charger_present = true;
  d.is_user_present = true;
  d.time_to_full_charge_h = 0.5;
  const auto seen = SeenIn(d);
  EXPECT_TRUE(seen.charging);
  EXPECT_TRUE(seen.fast_charging);
  EXPECT_TRUE(seen.user_present);
  EXPECT_EQ(seen.time_to_full_h, 0.5);
}

TEST_F(PollCycleTest, WithoutATeslaAccountItWaitsFiveMinutesAndCallsNothing) {
  api.connected = false;
  const auto out = RunPoll(api, log, car, kNow);
  EXPECT_EQ(out.next_delay, std::chrono::minutes(5));
  EXPECT_FALSE(out.state);
  EXPECT_EQ(api.state_checks + api.data_requests, 0);
}

TEST_F(PollCycleTest, AnAsleepCarGetsOnlyFreeStateChecks) {
  api.state = "asleep";
  const auto out = RunPoll(api, log, car, kNow);
  EXPECT_EQ(out.state, "asleep");
  EXPECT_FALSE(out.data);
  EXPECT_EQ(api.data_requests, 0);
  EXPECT_EQ(out.next_delay, milliseconds(60'000));
}

TEST_F(PollCycleTest, ACarThatWokeUpIsAskedForDataAtTheNextRun) {
  api.state = "online";
  EXPECT_EQ(RunPoll(api, log, car, kNow).state, "online");
  api.data.shift_state = "D";
  const auto out = RunPoll(api, log, car, kNow + 60'000);
  ASSERT_TRUE(out.data);
  EXPECT_FALSE(out.state);
  EXPECT_EQ(out.data->shift_state, "D");
  EXPECT_EQ(api.data_requests, 1);
  EXPECT_EQ(out.next_delay, milliseconds(300'000));  // driving
  EXPECT_EQ(car.policy.CurrentActivity(), Activity::kDriving);
}

TEST_F(PollCycleTest, ASpentBudgetMakesAStateCheckInsteadAndWarnsOnceUntilDataComesBack) {
  RunPoll(api, log, car, kNow - 1000);  // online: data is due next
  api.within_budget = false;
  auto out = RunPoll(api, log, car, kNow);
  EXPECT_EQ(out.state, "online");
  EXPECT_EQ(api.data_requests, 0);
  EXPECT_EQ(out.next_delay, milliseconds(60'000));  // never a loop of free checks
  ASSERT_EQ(log.warnings.size(), 1u);
  EXPECT_NE(log.warnings[0].find("5YJ3E1EA7PF001234"), std::string::npos);
  RunPoll(api, log, car, kNow + 60'000);
  EXPECT_EQ(log.warnings.size(), 1u);

  api.within_budget = true;  // a new day
  out = RunPoll(api, log, car, kNow + 120'000);
  EXPECT_TRUE(out.data);
  api.within_budget = false;
  car.policy.RequestData();  // Sync now
  RunPoll(api, log, car, kNow + 180'000);
  EXPECT_EQ(log.warnings.size(), 2u);
}

TEST_F(PollCycleTest, A408CountsAsAsleep) {
  RunPoll(api, log, car, kNow);  // online: data is due next
  api.error = FleetError(FleetErrorKind::kAsleep, 408, "vehicle unavailable");
  const auto out = RunPoll(api, log, car, kNow + 1000);
  EXPECT_EQ(out.state, "asleep");
  EXPECT_EQ(car.policy.CurrentActivity(), Activity::kAsleep);
  EXPECT_EQ(out.next_delay, milliseconds(60'000));
}

TEST_F(PollCycleTest, A429WaitsForRetryAfterAndAtLeastASecond) {
  api.error = FleetError(FleetErrorKind::kRateLimited, 429, "too many requests", 90);
  auto out = RunPoll(api, log, car, kNow);
  EXPECT_EQ(out.next_delay, milliseconds(90'000));
  EXPECT_FALSE(out.state);
  api.error = FleetError(FleetErrorKind::kRateLimited, 429, "too many requests", 0);
  out = RunPoll(api, log, car, kNow);
  EXPECT_EQ(out.next_delay, milliseconds(1000));
}

TEST_F(PollCycleTest, ASignInNeededWaitsFiveMinutes) {
  api.error = FleetError(FleetErrorKind::kNotConnected, 401, "login_required");
  EXPECT_EQ(RunPoll(api, log, car, kNow).next_delay, std::chrono::minutes(5));
}

TEST_F(PollCycleTest, ABudgetSpentDuringTheRequestKeepsTheStateCheckCadence) {
  car.NoteState("online", kNow - 1000);
  RunPoll(api, log, car, kNow - 1000);  // online: data is due next
  api.error = FleetError(FleetErrorKind::kBudget, 0, "budget spent");
  const auto out = RunPoll(api, log, car, kNow);
  EXPECT_EQ(api.data_requests, 1);
  EXPECT_FALSE(out.state);
  EXPECT_FALSE(out.data);
  EXPECT_TRUE(car.policy.BudgetSpent());
  EXPECT_EQ(out.next_delay, milliseconds(60'000));
}

TEST_F(PollCycleTest, OtherErrorsGoToTheScheduler) {
  api.error = FleetError(FleetErrorKind::kServer, 503, "unavailable");
  EXPECT_THROW(RunPoll(api, log, car, kNow), FleetError);
}

}  // namespace
}  // namespace tessie::vehicle
