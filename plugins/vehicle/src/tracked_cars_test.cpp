#include "tracked_cars.hpp"

#include <gtest/gtest.h>

namespace tessie::vehicle {
namespace {

constexpr const char* kVin = "5YJ3E1EA7PF001234";

VehicleIdentity Car(std::int64_t id, const std::string& name, const std::string& vin = kVin) {
  return {id, vin, name, "", ""};
}

TEST(TrackedCars, ACarIsAddedOnceWithItsPollJob) {
  TrackedCars cars{PollingSettings{}};
  auto first = cars.Track(Car(1, "Commuter"), "asleep", true);
  EXPECT_TRUE(first.added);
  EXPECT_FALSE(first.renamed);
  EXPECT_EQ(first.car->job, std::string("poll-") + kVin);
  EXPECT_EQ(first.car->state, "asleep");
  auto again = cars.Track(Car(1, "Commuter"), "online", true);
  EXPECT_FALSE(again.added);
  EXPECT_FALSE(again.renamed);
  EXPECT_EQ(again.car, first.car);
  EXPECT_EQ(cars.Find(1), first.car);
  EXPECT_EQ(cars.Find(2), nullptr);
}

TEST(TrackedCars, ANewNameInTheAccountListIsARename) {
  TrackedCars cars{PollingSettings{}};
  cars.Track(Car(1, "Commuter"), "asleep", true);
  const auto renamed = cars.Track(Car(1, "Weekender"), "asleep", true);
  ASSERT_TRUE(renamed.renamed);
  EXPECT_EQ(renamed.renamed->display_name, "Weekender");
  EXPECT_EQ(cars.Find(1)->Identity().display_name, "Weekender");
}

TEST(TrackedCars, CarsNoLongerListedAreLetGoButStayValidForTheirHolders) {
  TrackedCars cars{PollingSettings{}};
  cars.Track(Car(1, "One", "VIN1"), "asleep", true);
  cars.Track(Car(2, "Two", "VIN2"), "asleep", true);
  auto held = cars.Find(2);
  const auto gone = cars.KeepOnly({1});
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0]->identity.vin, "VIN2");
  EXPECT_EQ(cars.Find(2), nullptr);
  EXPECT_EQ(held->Identity().display_name, "Two");
  ASSERT_EQ(cars.Identities().size(), 1u);
  EXPECT_EQ(cars.Identities()[0].vin, "VIN1");
}

TEST(TrackedCars, PollingShowsTheActivityOfTrackedCarsOnly) {
  TrackedCars cars{PollingSettings{}};
  EXPECT_FALSE(cars.Polling(1));
  auto car = cars.Track(Car(1, "One"), "asleep", true).car;
  car->policy.OnData(PollingPolicy::DataSeen{}, 1000);
  const auto polling = cars.Polling(1);
  ASSERT_TRUE(polling);
  EXPECT_EQ(polling->activity, Activity::kParked);
  EXPECT_TRUE(polling->suspended);
}

TEST(TrackedCar, OnlyAChangedStateIsWorthStoring) {
  TrackedCar car(Car(1, "One"), PollingSettings{}, "asleep", true);
  EXPECT_FALSE(car.NoteState("asleep", 1000).changed);
  const auto seen = car.NoteState("online", 2000);
  EXPECT_TRUE(seen.changed);
  EXPECT_EQ(seen.identity.vin, kVin);
  EXPECT_EQ(car.state, "online");
  EXPECT_EQ(car.last_seen_ms, 2000);
}

TEST(TrackedCar, ASampleBringsModelAndSoftwareVersionOnce) {
  TrackedCar car(Car(1, "Commuter"), PollingSettings{}, "asleep", true);
  sdk::VehicleData d;
  d.car_type = "model3";
  d.car_version = "2026.20.1";
  d.vehicle_name = "In-car name";
  auto seen = car.NoteData(d, 1000);
  EXPECT_TRUE(seen.identity_changed);
  EXPECT_FALSE(seen.renamed);  // the account's list names it
  EXPECT_EQ(seen.identity.model, "model3");
  EXPECT_EQ(seen.identity.sw_version, "2026.20.1");
  EXPECT_EQ(seen.identity.display_name, "Commuter");
  EXPECT_EQ(car.state, "online");
  seen = car.NoteData(d, 2000);
  EXPECT_FALSE(seen.identity_changed);
}

TEST(TrackedCar, ACarTheListLeavesUnnamedTakesItsInCarName) {
  TrackedCar car(Car(1, "Model 3 \u20261234"), PollingSettings{}, "online", false);
  sdk::VehicleData d;
  d.car_type = "model3";
  auto seen = car.NoteData(d, 1000);  // no in-car name yet: the placeholder stays
  EXPECT_FALSE(seen.renamed);
  d.vehicle_name = "Tripper";
  seen = car.NoteData(d, 2000);
  EXPECT_TRUE(seen.renamed);
  EXPECT_TRUE(seen.identity_changed);
  EXPECT_EQ(seen.identity.display_name, "Tripper");
  seen = car.NoteData(d, 3000);
  EXPECT_FALSE(seen.renamed);
}

TEST(TrackedCar, PressesGoThroughTheGateOneOfAKindAtATime) {
  TrackedCar car(Car(1, "One"), PollingSettings{}, "asleep", true);
  const auto bad = car.Press(Command::kWake, "press", 1000);
  ASSERT_TRUE(bad);
  EXPECT_FALSE(bad->sent);
  EXPECT_EQ(bad->message, "ignored: the payload is not PRESS (5 bytes)");
  EXPECT_FALSE(car.Press(Command::kWake, "PRESS", 1000));
  const auto busy = car.Press(Command::kWake, "PRESS", 6000);
  ASSERT_TRUE(busy);
  EXPECT_TRUE(busy->in_progress);
  EXPECT_EQ(busy->state, "asleep");
  EXPECT_EQ(busy->message, "ignored: a wake is already in progress (since 5 s)");
  EXPECT_FALSE(car.Press(Command::kSync, "PRESS", 6000));  // the other button is free
  car.EndCommand(Command::kWake);
  EXPECT_FALSE(car.Press(Command::kWake, "PRESS", 7000));
}

}  // namespace
}  // namespace tessie::vehicle
