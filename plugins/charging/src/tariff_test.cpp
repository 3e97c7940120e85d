#include "tariff.hpp"

#include <gtest/gtest.h>

#include "query.hpp"

namespace tessie::charging {
namespace {

constexpr std::int64_t kMin = 60'000;
constexpr const char* kVin = "5YJ3E7EB0KF000001";

std::int64_t At(const std::string& iso) {
  static const local_time::Zone utc("UTC");
  return *ParseTimeParam(iso, utc, false);
}

SessionRecord Ac(std::int64_t start, std::int64_t end, double kwh, const std::string& place = "") {
  SessionRecord r;
  r.vin = kVin;
  r.started_ms = start;
  r.ended_ms = end;
  r.energy_added_kwh = kwh;
  r.charger_kind = kKindAc;
  r.charger_type = kTypeWallConnector;
  r.place = place;
  return r;
}

SessionRecord Dc(const std::string& type, double kwh, const std::string& vin = kVin) {
  SessionRecord r = Ac(At("2026-06-01T12:00:00Z"), At("2026-06-01T12:30:00Z"), kwh);
  r.vin = vin;
  r.charger_kind = kKindDc;
  r.charger_type = type;
  return r;
}

// Evenly charging `kw` from start to end, a sample every `step`.
std::vector<CurvePoint> Steady(std::int64_t start, std::int64_t end, double kw, std::int64_t step = 5 * kMin) {
  std::vector<CurvePoint> curve;
  for (std::int64_t t = start; t <= end; t += step)
    curve.push_back({t, kw, std::nullopt, kw * static_cast<double>(t - start) / 3'600'000.0});
  return curve;
}

TariffConfig NightAndDay() {
  TariffConfig c;
  c.time_zone = "Europe/Berlin";
  c.time_of_use = {{22 * 60, 6 * 60, 0.10}, {6 * 60, 22 * 60, 0.30}};
  return c;
}

TEST(Tariff, FlatPrice) {
  TariffConfig c;
  c.price_per_kwh = 0.30;
  Tariff t(c);
  EXPECT_NEAR(*t.Cost(Ac(0, 3'600'000, 10), {}), 3.0, 1e-9);
}

TEST(Tariff, NoPriceConfiguredMeansNoCost) {
  Tariff t{TariffConfig{}};
  EXPECT_FALSE(t.Cost(Ac(0, 3'600'000, 10), {}));
}

TEST(Tariff, TimeOfUseAcrossMidnight) {
  Tariff t(NightAndDay());
  // 23:00 to 05:00 Berlin summer time (UTC+2): entirely in the night period that crosses midnight.
  const auto start = At("2026-06-01T21:00:00Z"), end = At("2026-06-02T03:00:00Z");
  auto r = Ac(start, end, 66);
  EXPECT_NEAR(*t.Cost(r, Steady(start, end, 11)), 6.6, 1e-6);
}

TEST(Tariff, TimeOfUseBoundaryInsideASession) {
  Tariff t(NightAndDay());
  // 21:00 to 23:00 local at 11 kW: one hour at the day price, one at the night price.
  const auto start = At("2026-06-01T19:00:00Z"), end = At("2026-06-01T21:00:00Z");
  EXPECT_NEAR(*t.Cost(Ac(start, end, 22), Steady(start, end, 11)), 11 * 0.30 + 11 * 0.10, 1e-6);
  // The boundary falls between two samples an hour apart (05:30 and 06:30 local): energy split by time.
  const auto a = At("2026-06-02T03:30:00Z"), b = At("2026-06-02T04:30:00Z");
  std::vector<CurvePoint> sparse = {{a, 10, std::nullopt, 0}, {b, 10, std::nullopt, 10}};
  EXPECT_NEAR(*t.Cost(Ac(a, b, 10), sparse), 5 * 0.10 + 5 * 0.30, 1e-6);
}

TEST(Tariff, TimeOfUseAcrossTheSpringDstChange) {
  TariffConfig c;
  c.time_zone = "Europe/Berlin";
  c.time_of_use = {{0, 3 * 60, 0.10}, {3 * 60, 24 * 60, 0.30}};
  Tariff t(c);
  // 2026-03-29 01:00 CET to 04:00 CEST is two real hours; the clock skips 02:00–03:00, so the first hour is
  // cheap and the second one is not.
  const auto start = At("2026-03-29T00:00:00Z"), end = At("2026-03-29T02:00:00Z");
  EXPECT_NEAR(*t.Cost(Ac(start, end, 10), Steady(start, end, 5)), 5 * 0.10 + 5 * 0.30, 1e-6);
  // The same with only the first and last sample: the energy between them is split at the change.
  std::vector<CurvePoint> sparse = {{start, 5, std::nullopt, 0}, {end, 5, std::nullopt, 10}};
  EXPECT_NEAR(*t.Cost(Ac(start, end, 10), sparse), 5 * 0.10 + 5 * 0.30, 1e-6);
}

TEST(Tariff, EnergyNotSeenOnTheCurveIsPricedAtItsEnds) {
  Tariff t(NightAndDay());
  // Curve ends at 21:30 local with 5 kWh; the car reported 12 kWh after a gap: the rest at the end time.
  const auto start = At("2026-06-01T19:00:00Z"), last = At("2026-06-01T19:30:00Z");
  std::vector<CurvePoint> curve = {{start, 10, std::nullopt, 0}, {last, 10, std::nullopt, 5}};
  EXPECT_NEAR(*t.Cost(Ac(start, last, 12), curve), 12 * 0.30, 1e-6);
}

TEST(Tariff, EstimatedSessionIsSpreadOverItsTime) {
  Tariff t(NightAndDay());
  // 20:00 to 04:00 local: 2 of 8 hours at the day price.
  auto r = Ac(At("2026-06-01T18:00:00Z"), At("2026-06-02T02:00:00Z"), 16);
  r.estimated = true;
  EXPECT_NEAR(*t.Cost(r, {}), 4 * 0.30 + 12 * 0.10, 1e-6);
}

TEST(Tariff, FlatPriceOutsideTimeOfUsePeriods) {
  TariffConfig c;
  c.time_of_use = {{60, 5 * 60, 0.05}};
  c.price_per_kwh = 0.40;
  Tariff t(c);
  const auto start = At("2026-06-01T00:00:00Z"), end = At("2026-06-01T02:00:00Z");
  EXPECT_NEAR(*t.Cost(Ac(start, end, 20), Steady(start, end, 10)), 10 * 0.40 + 10 * 0.05, 1e-6);
}

TEST(Tariff, PlaceOverridesTheHomeTariff) {
  TariffConfig c = NightAndDay();
  c.place_prices = {{"Work", 0.0}, {"Hotel", 0.50}};
  Tariff t(c);
  const auto start = At("2026-06-01T19:00:00Z"), end = At("2026-06-01T21:00:00Z");
  EXPECT_NEAR(*t.Cost(Ac(start, end, 22, "Work"), Steady(start, end, 11)), 0.0, 1e-9);
  EXPECT_NEAR(*t.Cost(Ac(start, end, 22, "Hotel"), Steady(start, end, 11)), 11.0, 1e-9);
  EXPECT_NEAR(*t.Cost(Ac(start, end, 22, "Elsewhere"), Steady(start, end, 11)), 4.4, 1e-6);
}

TEST(Tariff, Superchargers) {
  TariffConfig c;
  c.price_per_kwh = 0.30;
  c.free_supercharging_vins = {kVin};
  Tariff no_sc_price(c);
  EXPECT_NEAR(*no_sc_price.Cost(Dc(kTypeSupercharger, 40), {}), 0.0, 1e-9);            // free for this car
  EXPECT_FALSE(no_sc_price.Cost(Dc(kTypeSupercharger, 40, "5YJ3E7EB0KF000002"), {}));  // price unknown
  c.supercharger_price_per_kwh = 0.45;
  Tariff with_sc_price(c);
  EXPECT_NEAR(*with_sc_price.Cost(Dc(kTypeSupercharger, 40, "5YJ3E7EB0KF000002"), {}), 18.0, 1e-9);
  EXPECT_NEAR(*with_sc_price.Cost(Dc(kTypeSupercharger, 40), {}), 0.0, 1e-9);
  // A third-party DC charger is not priced by the home tariff.
  EXPECT_FALSE(with_sc_price.Cost(Dc("CCS", 40), {}));
}

}  // namespace
}  // namespace tessie::charging
