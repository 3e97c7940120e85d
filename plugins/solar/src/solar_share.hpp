#pragma once
// The solar share of a charging session and the cost that follows from it. Plain logic, no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "flows.hpp"

namespace tessie::solar {

// A charging session as the charging plugin reports it.
struct ChargeSession {
  std::int64_t session_id = 0;
  std::int64_t started_ms = 0;
  std::int64_t ended_ms = 0;
  double energy_kwh = 0;
  std::string kind;   // "AC" or "DC"
  std::string place;  // "" when the car was not at a known place
};

struct ShareOptions {
  // Home battery discharge counts as solar (it was charged from solar in self-consumption mode).
  bool battery_counts_as_solar = true;
};

// The surplus energy of one interval that went into the car, Wh:
//   green = min(max(0, solar + battery_out − (home − car) − battery_in), car)
// (without the battery_out term when the battery does not count as solar). `home` is the interval's whole
// home usage, which includes the car's `car_wh`.
double GreenWh(const IntervalFlows& interval, double car_wh, const ShareOptions& options);

struct ShareResult {
  double session_wh = 0;  // the session's energy
  double car_wh = 0;      // the part of it that falls into stored intervals
  double green_wh = 0;    // of car_wh, covered by surplus
  bool complete = false;  // every moment of the session lies in a stored interval

  // 100 × green / car over the covered part; 0 when nothing is covered.
  double SharePct() const { return car_wh > 0 ? 100.0 * green_wh / car_wh : 0.0; }
};

// Integrates GreenWh over the intervals the session overlaps. The event carries no curve, so the car's
// energy is spread evenly over the session: an interval gets energy × overlap / duration (a session without
// duration puts all of it into the interval containing its start). `intervals` may hold rows of other times
// and need not be sorted; rows must not overlap each other.
ShareResult ComputeShare(const ChargeSession& session, const std::vector<IntervalFlows>& intervals,
                         const ShareOptions& options);

// Which sessions charged at home.
struct HomeRule {
  std::vector<std::string> home_places{"Home"};  // compared ignoring ASCII case and surrounding blanks
  bool unknown_place_is_home = false;
};
// A session at one of `home_places` (AC or DC) is at home; with `unknown_place_is_home`, so is an AC session
// without a place — but only when the home site is the only energy site (`single_site`).
bool IsAtHome(const ChargeSession& session, const HomeRule& rule, bool single_site);

struct Prices {
  std::optional<double> grid_per_kwh;  // nullopt: no cost is computed
  double feed_in_per_kwh = 0;
  std::string currency = "EUR";
};
// energy × (grid × (1 − share) + feed_in × share), share = pct / 100; nullopt without a grid price.
std::optional<double> ChargeCost(double energy_kwh, double share_pct, const Prices& prices);

}  // namespace tessie::solar
