#pragma once
#include <optional>
#include <string>
#include <vector>

namespace tessie::vehicle {

struct Place {
  std::string name;
  double latitude = 0;
  double longitude = 0;
  double radius_m = 100;
};

// Great-circle distance (haversine, mean Earth radius).
double DistanceM(double lat1, double lon1, double lat2, double lon2);

// The configured place containing the point, the nearest when several overlap; "" when none.
std::string PlaceAt(const std::vector<Place>& places, std::optional<double> latitude, std::optional<double> longitude);

}  // namespace tessie::vehicle
