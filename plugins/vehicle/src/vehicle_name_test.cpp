#include "vehicle_name.hpp"

#include <gtest/gtest.h>

namespace tessie::vehicle {
namespace {

TEST(VehicleName, TheAccountListNameWins) {
  EXPECT_EQ(VehicleName("Commuter", "In-car name", "model3", "LRW3F7EK4NC000001"), "Commuter");
  EXPECT_EQ(VehicleName("  Commuter ", "", "", ""), "Commuter");
}

TEST(VehicleName, AnEmptyListNameTakesTheNameSetInTheCar) {
  EXPECT_EQ(VehicleName("", "Tripper", "modely", "7SAYGDEE1PA000002"), "Tripper");
  EXPECT_EQ(VehicleName("   ", "Tripper", "", "7SAYGDEE1PA000002"), "Tripper");
}

TEST(VehicleName, NoNameAnywhereFallsBackToModelAndTheVinsLastDigits) {
  EXPECT_EQ(VehicleName("", "", "modely", "7SAYGDEE1PA000002"), "Model Y \u20260002");
  // car_type unknown (the car was asleep): the model comes from the VIN's 4th character.
  EXPECT_EQ(VehicleName("", "", "", "5YJ3E1EA7PF001234"), "Model 3 \u20261234");
  EXPECT_EQ(VehicleName("", "", "", "5YJSA1E26MF001234"), "Model S \u20261234");
  EXPECT_EQ(VehicleName("", "", "", "7SAXCBE6XPF001234"), "Model X \u20261234");
  EXPECT_EQ(VehicleName("", " ", "models2", "5YJSA1E26MF009876"), "Model S \u20269876");
  // Nothing decodable: still a name, never "".
  EXPECT_EQ(VehicleName("", "", "", "ABC"), "Tesla \u2026ABC");
}

TEST(VehicleName, RecognisesItsOwnPlaceholder) {
  EXPECT_TRUE(IsFallbackName("Model Y \u20260002", "modely", "7SAYGDEE1PA000002"));
  EXPECT_TRUE(IsFallbackName("Model Y \u20260002", "", "7SAYGDEE1PA000002"));
  EXPECT_TRUE(IsFallbackName("", "", "7SAYGDEE1PA000002"));
  EXPECT_FALSE(IsFallbackName("Tripper", "modely", "7SAYGDEE1PA000002"));
}

}  // namespace
}  // namespace tessie::vehicle
