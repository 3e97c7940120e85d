#include "places.hpp"

#include <gtest/gtest.h>

namespace tessie::vehicle {
namespace {

TEST(Places, DistanceMatchesKnownValues) {
  // London (51.5074, -0.1278) to Paris (48.8566, 2.3522): about 343.5 km.
  EXPECT_NEAR(DistanceM(51.5074, -0.1278, 48.8566, 2.3522), 343'500, 1'000);
  EXPECT_NEAR(DistanceM(10, 10, 10, 10), 0, 1e-6);
}

TEST(Places, ThePointIsInTheNearestPlaceWithinItsRadius) {
  const std::vector<Place> places = {
      {"Home", 51.5000, -0.1200, 100}, {"Work", 51.5200, -0.0800, 200}, {"Big", 51.5000, -0.1200, 5000}};
  EXPECT_EQ(PlaceAt(places, 51.5003, -0.1201), "Home");  // ~34 m from Home, inside Big too
  EXPECT_EQ(PlaceAt(places, 51.5300, -0.1200), "Big");
  EXPECT_EQ(PlaceAt(places, 51.5210, -0.0800), "Work");
  EXPECT_EQ(PlaceAt(places, 52.0, 0.0), "");
  EXPECT_EQ(PlaceAt(places, std::nullopt, -0.12), "");
}

}  // namespace
}  // namespace tessie::vehicle
