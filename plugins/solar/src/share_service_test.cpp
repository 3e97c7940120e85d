#include "share_service.hpp"

#include <gtest/gtest.h>

#include <map>

namespace tessie::solar {
namespace {

namespace ev = sdk::events;

constexpr std::int64_t kNoon = 1'780'315'200'000;  // 2026-06-01T12:00:00Z
constexpr std::int64_t kMin = 60'000;
constexpr std::int64_t kSite = 123456;

// The repository in memory, as the store keeps it in its tables.
class MemoryRepository final : public ShareRepository {
 public:
  void UpsertIntervals(std::int64_t site_id, const std::string& time_zone,
                       const std::vector<IntervalFlows>& intervals) override {
    auto& zone = zones[site_id];
    if (!time_zone.empty()) zone = time_zone;
    for (const auto& f : intervals) this->intervals[site_id][f.ts_ms] = f;
  }
  std::vector<std::int64_t> SiteIds() override {
    std::vector<std::int64_t> out;
    for (const auto& [id, zone] : zones) out.push_back(id);
    return out;
  }
  std::vector<IntervalFlows> Intervals(std::int64_t site_id, std::int64_t from_ms, std::int64_t to_ms) override {
    std::vector<IntervalFlows> out;
    for (const auto& [ts, f] : intervals[site_id])
      if (ts > from_ms - kIntervalMs && ts < std::max(to_ms, from_ms + 1)) out.push_back(f);
    return out;
  }
  std::optional<StoredSession> Session(std::int64_t id) override {
    auto it = sessions.find(id);
    if (it == sessions.end()) return std::nullopt;
    return it->second;
  }
  std::vector<StoredSession> HomeSessionsOverlapping(std::int64_t from_ms, std::int64_t to_ms) override {
    std::vector<StoredSession> out;
    for (const auto& [id, s] : sessions)
      if (s.at_home && s.session.started_ms < to_ms && s.session.ended_ms >= from_ms) out.push_back(s);
    return out;
  }
  void SaveSession(const StoredSession& s) override { sessions[s.session.session_id] = s; }

  std::map<std::int64_t, std::string> zones;
  std::map<std::int64_t, std::map<std::int64_t, IntervalFlows>> intervals;
  std::map<std::int64_t, StoredSession> sessions;
};

// Rows of 5-minute intervals from `from_ms` to `to_ms`: `solar_wh` of sun, a 50 Wh base load plus the car's
// `car_wh`, the rest from the grid.
ev::EnergyIntervals Rows(std::int64_t site, std::int64_t from_ms, std::int64_t to_ms, double solar_wh, double car_wh) {
  ev::EnergyIntervals e;
  e.energy_site_id = site;
  e.time_zone = "Europe/London";
  for (std::int64_t t = from_ms; t < to_ms; t += kIntervalMs) {
    sdk::EnergyHistoryRow r;
    r.timestamp_ms = t;
    r.solar_energy_exported = solar_wh;
    const double home_wh = 50 + car_wh;
    r.consumer_energy_imported_from_solar = std::min(solar_wh, home_wh);
    r.consumer_energy_imported_from_grid = home_wh - r.consumer_energy_imported_from_solar;
    r.grid_energy_imported = r.consumer_energy_imported_from_grid;
    r.grid_energy_exported_from_solar = std::max(0.0, solar_wh - home_wh);
    e.rows.push_back(r);
  }
  return e;
}

// A 7 kWh session 12:00-13:00: 583.3 Wh per interval.
ev::ChargingSessionClosed Closed(std::int64_t id, std::string place = "Home", std::string type = "AC") {
  ev::ChargingSessionClosed e;
  e.session_id = id;
  e.vehicle_id = 1000000001;
  e.vin = "LRW3F7EK4NC000001";
  e.started_ms = kNoon;
  e.ended_ms = kNoon + 60 * kMin;
  e.energy_added_kwh = 7;
  e.charger_type = std::move(type);
  e.place = std::move(place);
  return e;
}

constexpr double kCarWh = 7000.0 / 12;

ShareSettings Settings() {
  ShareSettings s;
  s.prices = {0.30, 0.10, "EUR"};
  return s;
}

TEST(ShareServiceTest, SessionWhoseIntervalsAreStoredIsPublishedAtOnce) {
  MemoryRepository repo;
  ShareService service(Settings(), repo);
  EXPECT_TRUE(service.OnIntervals(Rows(kSite, kNoon, kNoon + 60 * kMin, 2000, kCarWh), 1).empty());
  const auto out = service.OnSession(Closed(7), 2);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].session_id, 7);
  EXPECT_NEAR(out[0].solar_percentage, 100, 1e-9);
  EXPECT_NEAR(*out[0].cost, 7 * 0.10, 1e-9);  // all at the feed-in price
  EXPECT_TRUE(repo.sessions[7].complete);
  EXPECT_EQ(repo.sessions[7].site_id, kSite);
}

TEST(ShareServiceTest, LateIntervalsCompleteAndCorrectTheShare) {
  MemoryRepository repo;
  ShareService service(Settings(), repo);
  repo.UpsertIntervals(kSite, "Europe/London", {});  // the site is known, its noon data is not yet
  EXPECT_TRUE(service.OnSession(Closed(7), 1).empty());
  EXPECT_FALSE(repo.sessions[7].complete);

  // The first half arrives: still incomplete, nothing published.
  EXPECT_TRUE(service.OnIntervals(Rows(kSite, kNoon, kNoon + 30 * kMin, 2000, kCarWh), 2).empty());
  EXPECT_FALSE(repo.sessions[7].complete);
  EXPECT_NEAR(repo.sessions[7].covered_kwh, 3.5, 1e-9);

  // The second half (no sun): complete, half solar.
  auto out = service.OnIntervals(Rows(kSite, kNoon + 30 * kMin, kNoon + 60 * kMin, 0, kCarWh), 3);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NEAR(out[0].solar_percentage, 50, 1e-9);
  EXPECT_NEAR(*out[0].cost, 7 * (0.5 * 0.30 + 0.5 * 0.10), 1e-9);
  EXPECT_TRUE(repo.sessions[7].complete);

  // The same rows again change nothing; corrected rows (it was sunny after all) do.
  EXPECT_TRUE(service.OnIntervals(Rows(kSite, kNoon + 30 * kMin, kNoon + 60 * kMin, 0, kCarWh), 4).empty());
  out = service.OnIntervals(Rows(kSite, kNoon + 45 * kMin, kNoon + 60 * kMin, 2000, kCarWh), 5);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NEAR(out[0].solar_percentage, 75, 1e-9);
  // Rows of another day do not touch the session.
  EXPECT_TRUE(service.OnIntervals(Rows(kSite, kNoon + 86'400'000, kNoon + 86'400'000 + 3'600'000, 0, 0), 6).empty());
}

TEST(ShareServiceTest, TheChargingPluginsEchoIsNotAnsweredAgain) {
  MemoryRepository repo;
  ShareService service(Settings(), repo);
  service.OnIntervals(Rows(kSite, kNoon, kNoon + 60 * kMin, 2000, kCarWh), 1);
  ASSERT_EQ(service.OnSession(Closed(7), 2).size(), 1u);
  auto echo = Closed(7);
  echo.cost = 0.7;  // the charging plugin re-publishes the session with the cost it stored
  EXPECT_TRUE(service.OnSession(echo, 3).empty());
  // A correction of the session itself is answered.
  auto corrected = Closed(7);
  corrected.energy_added_kwh = 8;
  const auto out = service.OnSession(corrected, 4);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NEAR(*out[0].cost, 8 * 0.10, 1e-9);
}

TEST(ShareServiceTest, SessionsAwayFromHomeGetZeroAndKeepTheirTariffCost) {
  MemoryRepository repo;
  ShareService service(Settings(), repo);
  service.OnIntervals(Rows(kSite, kNoon, kNoon + 60 * kMin, 2000, 0), 1);
  const auto out = service.OnSession(Closed(8, "Gilroy Supercharger", "DC"), 2);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].solar_percentage, 0);
  EXPECT_FALSE(out[0].cost);
  EXPECT_FALSE(repo.sessions[8].at_home);
  EXPECT_TRUE(service.OnSession(Closed(8, "Gilroy Supercharger", "DC"), 3).empty());
}

TEST(ShareServiceTest, UnknownPlaceCountsAsHomeOnlyWithOneSite) {
  auto settings = Settings();
  settings.home.unknown_place_is_home = true;
  MemoryRepository repo;
  ShareService service(settings, repo);
  service.OnIntervals(Rows(kSite, kNoon, kNoon + 60 * kMin, 2000, kCarWh), 1);
  auto out = service.OnSession(Closed(9, ""), 2);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NEAR(out[0].solar_percentage, 100, 1e-9);

  // With a second site (and the first configured as home) an unknown place is no longer home.
  settings.site_id = kSite;
  ShareService two_sites(settings, repo);
  two_sites.OnIntervals(Rows(777, kNoon, kNoon + 60 * kMin, 0, 0), 3);
  out = two_sites.OnSession(Closed(10, ""), 4);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].solar_percentage, 0);
  // Intervals of the other site do not recompute home sessions.
  EXPECT_TRUE(two_sites.OnIntervals(Rows(777, kNoon, kNoon + 60 * kMin, 5000, 0), 5).empty());
}

TEST(ShareServiceTest, SeveralSitesWithoutSiteIdWaitForConfiguration) {
  MemoryRepository repo;
  ShareService service(Settings(), repo);
  service.OnIntervals(Rows(kSite, kNoon, kNoon + 60 * kMin, 2000, kCarWh), 1);
  service.OnIntervals(Rows(777, kNoon, kNoon + 60 * kMin, 2000, 0), 2);
  EXPECT_FALSE(service.HomeSite());
  EXPECT_TRUE(service.OnSession(Closed(7), 3).empty());
  EXPECT_FALSE(repo.sessions[7].complete);
}

TEST(ShareServiceTest, NoGridPriceMeansNoCost) {
  auto settings = Settings();
  settings.prices.grid_per_kwh.reset();
  MemoryRepository repo;
  ShareService service(settings, repo);
  service.OnIntervals(Rows(kSite, kNoon, kNoon + 60 * kMin, 300, kCarWh), 1);
  const auto out = service.OnSession(Closed(7), 2);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NEAR(out[0].solar_percentage, 100 * 250 / kCarWh, 1e-9);
  EXPECT_FALSE(out[0].cost);
}

}  // namespace
}  // namespace tessie::solar
