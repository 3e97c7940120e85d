#include "day_distance.hpp"

#include <algorithm>

namespace tessie::daily_distance {

double DistanceToday(const DayOdometer& today, std::optional<double> last_before_km) {
  const double start = last_before_km.value_or(today.first_km);
  return std::max(0.0, today.last_km - start);
}

std::vector<DayDistance> Distances(const std::vector<DayOdometer>& days) {
  std::vector<DayDistance> out;
  out.reserve(days.size());
  std::optional<double> previous_last;
  for (const auto& day : days) {
    out.push_back({day.day, DistanceToday(day, previous_last)});
    previous_last = day.last_km;
  }
  return out;
}

}  // namespace tessie::daily_distance
