#include "vehicle_sample.hpp"

#include <gtest/gtest.h>

namespace tessie::drivers {
namespace {

sdk::events::VehicleState Driving() {
  sdk::events::VehicleState e;
  e.vehicle_id = 42;
  e.vin = "5YJ3E7EB0KF000001";
  e.display_name = "Blue";
  e.timestamp_ms = 1'709'280'000'000;
  e.state = "online";
  e.has_data = true;
  e.place = "Home";
  e.data.timestamp_ms = 1'709'279'999'000;
  e.data.shift_state = "D";
  e.data.speed_kmh = 48.5;
  e.data.power_kw = 11.0;
  e.data.latitude = 52.5;
  e.data.longitude = 13.4;
  e.data.odometer_km = 12'345.6;
  e.data.battery_level = 80;
  e.data.usable_battery_level = 79;
  e.data.energy_remaining_kwh = 55.2;
  e.data.battery_range_km = 380.0;
  return e;
}

TEST(VehicleSample, CarriesWhatADriveNeeds) {
  const auto s = ToSample(Driving());
  EXPECT_EQ(s.time_ms, 1'709'280'000'000);
  EXPECT_EQ(s.shift_state, "D");
  EXPECT_TRUE(s.IsDriving());
  EXPECT_EQ(s.speed_kmh, 48.5);
  EXPECT_EQ(s.power_kw, 11.0);
  EXPECT_TRUE(s.HasPosition());
  EXPECT_EQ(s.odometer_km, 12'345.6);
  EXPECT_EQ(s.battery_level, 80);
  EXPECT_EQ(s.usable_battery_level, 79);
  EXPECT_EQ(s.energy_remaining_kwh, 55.2);
  EXPECT_EQ(s.battery_range_km, 380.0);
  EXPECT_EQ(s.place, "Home");
  EXPECT_FALSE(s.charging);
}

TEST(VehicleSample, WithoutAnEventTimeTheDataTimestampIsUsed) {
  auto e = Driving();
  e.timestamp_ms = 0;
  EXPECT_EQ(ToSample(e).time_ms, 1'709'279'999'000);
  e.data.timestamp_ms.reset();
  EXPECT_EQ(ToSample(e).time_ms, 0);
}

TEST(VehicleSample, ChargingOrStartingToChargeIsCharging) {
  auto e = Driving();
  for (const char* state : {"Charging", "Starting"}) {
    e.data.charging_state = state;
    EXPECT_TRUE(ToSample(e).charging) << state;
  }
  for (const char* state : {"Disconnected", "Stopped", "Complete", "NoPower"}) {
    e.data.charging_state = state;
    EXPECT_FALSE(ToSample(e).charging) << state;
  }
}

TEST(VehicleSample, TheLabelIsTheVehiclesVinAndName) {
  const auto label = LabelOf(Driving());
  EXPECT_EQ(label.vin, "5YJ3E7EB0KF000001");
  EXPECT_EQ(label.display_name, "Blue");
}

}  // namespace
}  // namespace tessie::drivers
