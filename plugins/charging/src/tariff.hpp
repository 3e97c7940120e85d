#pragma once
// What a charging session cost. Plain logic: no I/O.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "session.hpp"
#include "tessie/local_time.hpp"

namespace tessie::charging {

// A local time-of-use period [from, to); from > to crosses midnight (22:00–06:00). Minutes of the day,
// `to_min` may be 1440 (24:00).
struct TouPeriod {
  int from_min = 0;
  int to_min = 0;
  double price_per_kwh = 0;

  bool Contains(int minute_of_day) const {
    if (from_min < to_min) return minute_of_day >= from_min && minute_of_day < to_min;
    return minute_of_day >= from_min || minute_of_day < to_min;
  }
};

struct TariffConfig {
  std::string currency = "EUR";
  std::optional<double> price_per_kwh;  // flat; also the price outside every time-of-use period
  std::vector<TouPeriod> time_of_use;   // not overlapping
  std::string time_zone = "UTC";
  std::map<std::string, double> place_prices;  // place name → price per kWh, overrides everything but free
  std::optional<double> supercharger_price_per_kwh;
  std::set<std::string> free_supercharging_vins;
};

// Immutable; safe to share between threads.
//
// Which price applies, first match wins:
//   1. DC at a Supercharger for a VIN in free_supercharging → 0;
//   2. a session at a place in `places` → that place's price for all its energy;
//   3. DC at a Supercharger → supercharger_price_per_kwh (none → no cost);
//   4. other DC (a third-party network) → no cost;
//   5. AC → time_of_use periods (energy between curve samples is spread evenly over the time between them
//      and priced by the local period it falls in), price_per_kwh outside them; nothing configured → no cost.
class Tariff {
 public:
  explicit Tariff(TariffConfig config);

  const std::string& Currency() const { return config_.currency; }
  const local_time::Zone& Zone() const { return zone_; }
  const TariffConfig& Config() const { return config_; }

  // nullopt when no price applies to some of the energy. `curve` may be empty (estimated sessions): the
  // energy is then spread evenly from start to end.
  std::optional<double> Cost(const SessionRecord& session, const std::vector<CurvePoint>& curve) const;

  // The price per kWh at an instant for AC energy (time of use, else flat); nullopt when none.
  std::optional<double> AcPriceAt(std::int64_t utc_ms) const;

 private:
  std::optional<double> AcCost(const SessionRecord& session, const std::vector<CurvePoint>& curve) const;
  // Cost of `energy_kwh` spread evenly over [from_ms, to_ms] (a point when equal).
  std::optional<double> SpreadCost(std::int64_t from_ms, std::int64_t to_ms, double energy_kwh) const;

  TariffConfig config_;
  local_time::Zone zone_;
  std::vector<int> boundaries_min_;  // sorted period boundaries within (0, 1440)
};

}  // namespace tessie::charging
