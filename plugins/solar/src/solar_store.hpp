#pragma once
// The solar plugin's tables (solar_sites, solar_intervals, solar_sessions) behind ShareRepository, plus the
// sums the stats route reads. Thread-safe as far as sdk::Database is; the plugin serialises the writers
// (ShareService calls) and lets REST handlers read concurrently.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "share_service.hpp"
#include "stats.hpp"
#include "tessie/sdk/clock.hpp"
#include "tessie/sdk/storage.hpp"

namespace tessie::solar {

class SolarStore final : public ShareRepository {
 public:
  SolarStore(sdk::Database& db, const sdk::Clock& clock) : db_(db), clock_(clock) {}

  static std::vector<sdk::Migration> Migrations();

  void UpsertIntervals(std::int64_t site_id, const std::string& time_zone,
                       const std::vector<IntervalFlows>& intervals) override;
  std::vector<std::int64_t> SiteIds() override;
  std::vector<IntervalFlows> Intervals(std::int64_t site_id, std::int64_t from_ms, std::int64_t to_ms) override;
  std::optional<StoredSession> Session(std::int64_t session_id) override;
  std::vector<StoredSession> HomeSessionsOverlapping(std::int64_t from_ms, std::int64_t to_ms) override;
  void SaveSession(const StoredSession& session) override;

  // site id → time zone the powerwall plugin reported ("" when unknown).
  std::vector<std::pair<std::int64_t, std::string>> Sites();
  // Sums of the intervals starting in the window.
  EnergyTotals Totals(std::int64_t site_id, const Window& window);
  // Start of the first and end of the last stored interval of the site.
  std::optional<std::pair<std::int64_t, std::int64_t>> Span(std::int64_t site_id);

 private:
  sdk::Database& db_;
  const sdk::Clock& clock_;  // for updated_ms
};

}  // namespace tessie::solar
