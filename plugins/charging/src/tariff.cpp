#include "tariff.hpp"

#include <algorithm>

namespace tessie::charging {

namespace {
constexpr std::int64_t kMsPerMinute = 60'000;
constexpr std::int64_t kMsPerDay = 86'400'000;
}  // namespace

Tariff::Tariff(TariffConfig config) : config_(std::move(config)), zone_(config_.time_zone) {
  for (const auto& p : config_.time_of_use) {
    for (int m : {p.from_min, p.to_min})
      if (m > 0 && m < 1440) boundaries_min_.push_back(m);
  }
  std::sort(boundaries_min_.begin(), boundaries_min_.end());
  boundaries_min_.erase(std::unique(boundaries_min_.begin(), boundaries_min_.end()), boundaries_min_.end());
}

std::optional<double> Tariff::Cost(const SessionRecord& s, const std::vector<CurvePoint>& curve) const {
  const bool supercharger = s.charger_kind == kKindDc && s.charger_type == kTypeSupercharger;
  if (supercharger && config_.free_supercharging_vins.count(s.vin)) return 0.0;
  if (!s.place.empty()) {
    if (auto it = config_.place_prices.find(s.place); it != config_.place_prices.end())
      return s.energy_added_kwh * it->second;
  }
  if (supercharger) {
    if (!config_.supercharger_price_per_kwh) return std::nullopt;
    return s.energy_added_kwh * *config_.supercharger_price_per_kwh;
  }
  if (s.charger_kind == kKindDc) return std::nullopt;
  return AcCost(s, curve);
}

std::optional<double> Tariff::AcPriceAt(std::int64_t utc_ms) const {
  if (!config_.time_of_use.empty()) {
    const int minute = static_cast<int>(zone_.Local(utc_ms).ms_of_day / kMsPerMinute);
    for (const auto& p : config_.time_of_use)
      if (p.Contains(minute)) return p.price_per_kwh;
  }
  return config_.price_per_kwh;
}

std::optional<double> Tariff::AcCost(const SessionRecord& s, const std::vector<CurvePoint>& curve) const {
  if (config_.time_of_use.empty()) {
    if (!config_.price_per_kwh) return std::nullopt;
    return s.energy_added_kwh * *config_.price_per_kwh;
  }
  const std::int64_t end_ms = s.ended_ms.value_or(curve.empty() ? s.started_ms : curve.back().ts_ms);
  if (curve.empty()) return SpreadCost(s.started_ms, std::max(s.started_ms, end_ms), s.energy_added_kwh);

  double total = 0;
  auto add = [&](std::int64_t from, std::int64_t to, double kwh) {
    if (kwh <= 0) return true;
    auto c = SpreadCost(from, std::max(from, to), kwh);
    if (!c) return false;
    total += *c;
    return true;
  };
  // Energy before the first sample (counted by the car before it was seen), between samples, and after
  // the last one (reported by the car after a gap).
  if (!add(std::min(s.started_ms, curve.front().ts_ms), curve.front().ts_ms, curve.front().energy_added_kwh))
    return std::nullopt;
  for (std::size_t i = 1; i < curve.size(); ++i) {
    if (!add(curve[i - 1].ts_ms, curve[i].ts_ms, curve[i].energy_added_kwh - curve[i - 1].energy_added_kwh))
      return std::nullopt;
  }
  if (!add(curve.back().ts_ms, end_ms, s.energy_added_kwh - curve.back().energy_added_kwh)) return std::nullopt;
  return total;
}

std::optional<double> Tariff::SpreadCost(std::int64_t from_ms, std::int64_t to_ms, double energy_kwh) const {
  if (to_ms <= from_ms) {
    auto price = AcPriceAt(from_ms);
    if (!price) return std::nullopt;
    return energy_kwh * *price;
  }
  const double kwh_per_ms = energy_kwh / static_cast<double>(to_ms - from_ms);
  double cost = 0;
  std::int64_t t = from_ms;
  while (t < to_ms) {
    // The price is constant until the next period boundary, local midnight or offset change.
    const std::int64_t local_ms_of_day = zone_.Local(t).ms_of_day;
    std::int64_t next_boundary_ms = kMsPerDay;
    for (int b : boundaries_min_) {
      if (b * kMsPerMinute > local_ms_of_day) {
        next_boundary_ms = b * kMsPerMinute;
        break;
      }
    }
    std::int64_t step_end = t + (next_boundary_ms - local_ms_of_day);
    if (auto transition = zone_.NextTransitionMs(t); transition && *transition > t)
      step_end = std::min(step_end, *transition);
    step_end = std::min(step_end, to_ms);
    auto price = AcPriceAt(t);
    if (!price) return std::nullopt;
    cost += static_cast<double>(step_end - t) * kwh_per_ms * *price;
    t = step_end;
  }
  return cost;
}

}  // namespace tessie::charging
