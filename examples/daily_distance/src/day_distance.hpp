#pragma once
// How far a car went on each local day, from the odometer readings the vehicle plugin stores. Plain logic: no
// I/O, no clock, unit-tested in day_distance_test.cpp.
#include <optional>
#include <string>
#include <vector>

namespace tessie::daily_distance {

// The odometer readings of one car on one local day: the lowest and the highest seen.
struct DayOdometer {
  std::string day;  // "2026-06-01", in the plugin's time zone
  double first_km = 0;
  double last_km = 0;
};

struct DayDistance {
  std::string day;
  double km = 0;
};

// One entry per day of `days` (sorted by day, one car). A day's distance runs from the previous day's last
// reading, so a drive across midnight counts on the day it ends; the first day runs from its own first
// reading. An odometer that goes backwards (a replaced gateway, a bad sample) counts as 0, never negative.
std::vector<DayDistance> Distances(const std::vector<DayOdometer>& days);

// Today's distance from today's row and the last reading before today (if any).
double DistanceToday(const DayOdometer& today, std::optional<double> last_before_km);

}  // namespace tessie::daily_distance
