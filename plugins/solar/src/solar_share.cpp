#include "solar_share.hpp"

#include <algorithm>
#include <cctype>

namespace tessie::solar {

namespace {

std::string Normalised(const std::string& text) {
  auto begin = text.begin();
  auto end = text.end();
  while (begin != end && std::isspace(static_cast<unsigned char>(*begin))) ++begin;
  while (end != begin && std::isspace(static_cast<unsigned char>(*(end - 1)))) --end;
  std::string out(begin, end);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

double GreenWh(const IntervalFlows& in, double car_wh, const ShareOptions& options) {
  if (car_wh <= 0) return 0;
  const double battery_out_wh = options.battery_counts_as_solar ? in.battery_out_wh : 0.0;
  const double surplus_wh = in.solar_wh + battery_out_wh - (in.home_wh - car_wh) - in.battery_in_wh;
  return std::min(std::max(0.0, surplus_wh), car_wh);
}

ShareResult ComputeShare(const ChargeSession& session, const std::vector<IntervalFlows>& intervals,
                         const ShareOptions& options) {
  ShareResult r;
  r.session_wh = std::max(0.0, session.energy_kwh) * 1000;
  const std::int64_t start = session.started_ms;
  const std::int64_t end = std::max(session.ended_ms, session.started_ms);
  const std::int64_t duration = end - start;
  std::int64_t covered_ms = 0;
  bool instant_covered = false;
  for (const auto& in : intervals) {
    double car_wh = 0;
    if (duration == 0) {
      if (start < in.ts_ms || start >= in.EndMs() || instant_covered) continue;
      instant_covered = true;
      car_wh = r.session_wh;
    } else {
      const std::int64_t overlap = std::min(end, in.EndMs()) - std::max(start, in.ts_ms);
      if (overlap <= 0) continue;
      covered_ms += overlap;
      car_wh = r.session_wh * static_cast<double>(overlap) / static_cast<double>(duration);
    }
    r.car_wh += car_wh;
    r.green_wh += GreenWh(in, car_wh, options);
  }
  r.complete = duration == 0 ? instant_covered : covered_ms >= duration;
  return r;
}

bool IsAtHome(const ChargeSession& session, const HomeRule& rule, bool single_site) {
  const std::string place = Normalised(session.place);
  if (place.empty()) return rule.unknown_place_is_home && single_site && session.kind == "AC";
  return std::any_of(rule.home_places.begin(), rule.home_places.end(),
                     [&](const std::string& home) { return Normalised(home) == place; });
}

std::optional<double> ChargeCost(double energy_kwh, double share_pct, const Prices& prices) {
  if (!prices.grid_per_kwh) return std::nullopt;
  const double share = std::clamp(share_pct, 0.0, 100.0) / 100;
  return std::max(0.0, energy_kwh) * (*prices.grid_per_kwh * (1 - share) + prices.feed_in_per_kwh * share);
}

}  // namespace tessie::solar
