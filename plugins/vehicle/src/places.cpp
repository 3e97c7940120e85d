#include "places.hpp"

#include <cmath>
#include <limits>

namespace tessie::vehicle {

double DistanceM(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kEarthRadiusM = 6'371'008.8;
  constexpr double kRad = M_PI / 180.0;
  const double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(a)));
}

std::string PlaceAt(const std::vector<Place>& places, std::optional<double> latitude, std::optional<double> longitude) {
  if (!latitude || !longitude) return "";
  std::string best;
  double best_m = std::numeric_limits<double>::max();
  for (const auto& p : places) {
    const double d = DistanceM(*latitude, *longitude, p.latitude, p.longitude);
    if (d <= p.radius_m && d < best_m) {
      best = p.name;
      best_m = d;
    }
  }
  return best;
}

}  // namespace tessie::vehicle
