#include "energy_model.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace tessie::sim {
namespace {

const double kStart = ParseRfc3339("2026-06-01T00:00:00Z");

EnergySiteSpec Site() {
  EnergySiteSpec spec;
  spec.energy_site_id = 1;
  spec.time_zone = "Europe/London";
  spec.location = {51.5, -0.12, ""};
  spec.battery_count = 1;
  spec.battery_capacity_kwh = 13.5;
  spec.battery_power_kw = 5;
  spec.start_soc_pct = 50;
  spec.solar_peak_kw = 6;
  spec.base_load_w = 600;
  spec.backup_reserve_pct = 30;
  spec.outages = {{kStart + 26 * 3600, 3 * 3600}};  // 2026-06-02 02:00-05:00 UTC, at night
  return spec;
}

TEST(EnergyModelTest, SolarFollowsTheSun) {
  const EnergyModel site(Site(), kStart, {});
  EXPECT_EQ(site.SolarPowerW(ParseRfc3339("2026-06-01T00:00:00Z")), 0);
  const double noon_w = site.SolarPowerW(ParseRfc3339("2026-06-01T12:05:00Z"));  // solar noon in London
  EXPECT_GT(noon_w, 6000 * 0.85);                                                // sun ~62° high in June
  EXPECT_LT(noon_w, 6000);
  EXPECT_LT(site.SolarPowerW(ParseRfc3339("2026-12-01T12:05:00Z")), 6000 * 0.30);  // ~15° in December
}

TEST(EnergyModelTest, EveryStepBalancesAndKeepsTheReserveOnGrid) {
  EnergyModel site(Site(), kStart, {{kStart + 20 * 3600, kStart + 22 * 3600, 7000}});
  const double reserve_wh = 13500 * 0.30;
  int steps = 0;
  site.ForEachCompletedStep(kStart, kStart + 48 * 3600, kStart + 48 * 3600, [&](const SiteStep& s) {
    ++steps;
    const double h = EnergyModel::kStepS / 3600;
    EXPECT_NEAR(s.load_w * h, s.flows.HomeWh(), 1e-6);
    EXPECT_NEAR(s.solar_w * h, s.flows.SolarWh(), 1e-6);
    EXPECT_NEAR(s.solar_w + s.battery_w + s.grid_w, s.load_w, 1e-6);
    EXPECT_NEAR(s.soc_end_wh - s.soc_start_wh, (s.flows.solar_to_battery_wh - s.flows.battery_to_home_wh), 1e-6);
    EXPECT_LE(s.soc_end_wh, 13500 + 1e-6);
    EXPECT_LE(std::abs(s.battery_w), 5000 + 1e-6);
    if (!s.off_grid && s.battery_w > 0) {
      EXPECT_GE(s.soc_end_wh, reserve_wh - 1e-6);
    }
    if (s.off_grid) {
      EXPECT_EQ(s.grid_w, 0);
    }
  });
  EXPECT_EQ(steps, 48 * 12);
}

TEST(EnergyModelTest, WallConnectorChargingAddsToTheHouseLoad) {
  EnergyModel site(Site(), kStart, {{kStart + 20 * 3600, kStart + 20 * 3600 + 450, 7000}});
  EXPECT_NEAR(site.StepAt(kStart + 20 * 3600)->wall_connector_w, 7000, 1e-9);
  EXPECT_NEAR(site.StepAt(kStart + 20 * 3600 + 300)->wall_connector_w, 3500, 1e-9);
  EXPECT_EQ(site.StepAt(kStart + 20 * 3600 + 600)->wall_connector_w, 0);
}

TEST(EnergyModelTest, OutageIslandsTheSiteAndUsesTheReserve) {
  EnergySiteSpec spec = Site();
  spec.backup_reserve_pct = 90;
  EnergyModel site(spec, kStart, {});
  const SiteStep* before = site.StepAt(kStart + 26 * 3600 - 300);
  EXPECT_FALSE(before->off_grid);
  const SiteStep* during = site.StepAt(kStart + 28 * 3600);
  EXPECT_TRUE(during->off_grid);
  EXPECT_EQ(during->grid_w, 0);
  EXPECT_GT(during->battery_w, 0);
  // Before the outage the battery holds the reserve; by its end it has gone below it.
  EXPECT_GE(site.SocPctAt(kStart + 26 * 3600), 90 - 1e-9);
  EXPECT_LT(site.SocPctAt(kStart + 29 * 3600 - 1), 90);
}

TEST(EnergyModelTest, SolarShareOfAChargeIsHighAtNoonAndZeroAtNight) {
  EnergySiteSpec spec = Site();
  spec.outages.clear();
  spec.start_soc_pct = spec.backup_reserve_pct;  // nothing to give at night: the battery starts at its reserve
  const double night_s = kStart;                 // 01:00 local, sun below the horizon
  const double noon_s = kStart + 12 * 3600;      // 13:00 local on a clear June day
  EnergyModel site(spec, kStart, {{night_s, night_s + 3600, 7000}, {noon_s, noon_s + 3600, 7000}});
  const auto seven_kw_for_an_hour = [](double start_s) {
    return [start_s](double t_s) { return std::clamp(t_s - start_s, 0.0, 3600.0) * 7 / 3600; };
  };
  const auto noon = site.ChargeSolarSharePct(noon_s, noon_s + 3600, seven_kw_for_an_hour(noon_s));
  ASSERT_TRUE(noon);
  EXPECT_GT(*noon, 90);  // ~5.3 kW of sun, the morning-charged battery covers the rest
  EXPECT_LE(*noon, 100);
  const auto night = site.ChargeSolarSharePct(night_s, night_s + 3600, seven_kw_for_an_hour(night_s));
  ASSERT_TRUE(night);
  EXPECT_NEAR(*night, 0, 1e-9);
  // Without energy there is no share.
  EXPECT_FALSE(site.ChargeSolarSharePct(noon_s, noon_s, seven_kw_for_an_hour(noon_s)));
}

}  // namespace
}  // namespace tessie::sim
