#include "stats.hpp"

#include <gtest/gtest.h>

#include "query.hpp"

namespace tessie::charging {
namespace {

std::int64_t At(const std::string& iso) {
  static const local_time::Zone utc("UTC");
  return *ParseTimeParam(iso, utc, false);
}

StatsSession S(std::int64_t vehicle, const std::string& started, double kwh, const std::string& kind = "AC",
               std::optional<double> cost = std::nullopt, std::optional<double> avg_kw = std::nullopt,
               std::optional<double> solar = std::nullopt) {
  return {vehicle, "VIN" + std::to_string(vehicle), At(started), kwh, cost, kind, avg_kw, solar};
}

TEST(Stats, MonthsAreLocalAcrossDstChanges) {
  const local_time::Zone berlin("Europe/Berlin");
  // Each pair is an hour apart around local midnight at a month end, after the spring (UTC+2) and the autumn
  // (UTC+1) change: a fixed offset would put one of each pair in the wrong month.
  auto months = AggregateByMonth({S(1, "2026-03-31T21:30:00Z", 1), S(1, "2026-03-31T22:30:00Z", 2),
                                  S(1, "2026-10-31T22:30:00Z", 4), S(1, "2026-10-31T23:30:00Z", 8)},
                                 berlin);
  ASSERT_EQ(months.size(), 4u);
  EXPECT_EQ(months[0].month, "2026-03");
  EXPECT_DOUBLE_EQ(months[0].energy_kwh, 1);
  EXPECT_EQ(months[1].month, "2026-04");
  EXPECT_DOUBLE_EQ(months[1].energy_kwh, 2);
  EXPECT_EQ(months[2].month, "2026-10");
  EXPECT_DOUBLE_EQ(months[2].energy_kwh, 4);
  EXPECT_EQ(months[3].month, "2026-11");
  EXPECT_DOUBLE_EQ(months[3].energy_kwh, 8);

  const local_time::Zone utc("UTC");
  auto in_utc = AggregateByMonth({S(1, "2026-03-31T21:30:00Z", 1), S(1, "2026-03-31T22:30:00Z", 2)}, utc);
  ASSERT_EQ(in_utc.size(), 1u);
  EXPECT_EQ(in_utc[0].sessions, 2);
}

TEST(Stats, SumsPerVehicleAndMonth) {
  const local_time::Zone utc("UTC");
  auto months = AggregateByMonth(
      {S(1, "2026-06-01T10:00:00Z", 30, "AC", 9.0, 10.0, 50.0),
       S(1, "2026-06-10T10:00:00Z", 10, "DC", std::nullopt, 100.0, std::nullopt),
       S(1, "2026-06-20T10:00:00Z", 10, "AC", 1.0, std::nullopt, 100.0), S(2, "2026-06-05T10:00:00Z", 5, "AC")},
      utc);
  ASSERT_EQ(months.size(), 2u);
  const auto& m = months[0];
  EXPECT_EQ(m.vehicle_id, 1);
  EXPECT_EQ(m.vin, "VIN1");
  EXPECT_EQ(m.sessions, 3);
  EXPECT_DOUBLE_EQ(m.energy_kwh, 50);
  EXPECT_DOUBLE_EQ(m.ac_kwh, 40);
  EXPECT_DOUBLE_EQ(m.dc_kwh, 10);
  EXPECT_DOUBLE_EQ(*m.cost, 10.0);  // the sessions that have a cost
  // 40 kWh in 3 h + 0.1 h of charging (the estimated-like session without power is left out)
  EXPECT_NEAR(*m.avg_power_kw, 40.0 / 3.1, 1e-9);
  // energy-weighted: (30 × 50 + 10 × 100) / 40
  EXPECT_NEAR(*m.solar_share_pct, 62.5, 1e-9);

  const auto& other = months[1];
  EXPECT_EQ(other.vehicle_id, 2);
  EXPECT_FALSE(other.cost);
  EXPECT_FALSE(other.solar_share_pct);
  EXPECT_FALSE(other.avg_power_kw);
}

}  // namespace
}  // namespace tessie::charging
