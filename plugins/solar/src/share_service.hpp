#pragma once
// When to (re)compute the solar share of charging sessions, and what to tell the charging plugin. Plain
// logic: storage is behind ShareRepository (the plugin's tables in production, memory in the unit tests).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "flows.hpp"
#include "solar_share.hpp"
#include "tessie/sdk/events/charging.hpp"
#include "tessie/sdk/events/energy.hpp"

namespace tessie::solar {

// A charging session as this plugin keeps it, with its latest computation and what was last published.
struct StoredSession {
  ChargeSession session;
  std::int64_t vehicle_id = 0;
  bool at_home = false;
  std::optional<std::int64_t> site_id;  // the site whose intervals were used
  double green_kwh = 0;
  double covered_kwh = 0;           // the session's energy that fell into stored intervals
  bool complete = false;            // computed over intervals covering the whole session (always true away from home)
  std::optional<double> share_pct;  // latest computation
  std::optional<double> cost;
  bool published = false;  // a share_pct and cost went to the charging plugin (answered or published)
  std::int64_t computed_ms = 0;
};

// The storage the service needs. Calls come from one thread at a time (the service's caller serialises).
class ShareRepository {
 public:
  virtual ~ShareRepository() = default;
  // Inserts or replaces the intervals of a site (by ts_ms) and remembers the site's time zone ("" = unknown).
  virtual void UpsertIntervals(std::int64_t site_id, const std::string& time_zone,
                               const std::vector<IntervalFlows>& intervals) = 0;
  virtual std::vector<std::int64_t> SiteIds() = 0;
  // The site's intervals that overlap [from_ms, to_ms), or the one containing from_ms when they are equal.
  virtual std::vector<IntervalFlows> Intervals(std::int64_t site_id, std::int64_t from_ms, std::int64_t to_ms) = 0;
  virtual std::optional<StoredSession> Session(std::int64_t session_id) = 0;
  // Sessions at home whose [started_ms, ended_ms] overlaps [from_ms, to_ms).
  virtual std::vector<StoredSession> HomeSessionsOverlapping(std::int64_t from_ms, std::int64_t to_ms) = 0;
  virtual void SaveSession(const StoredSession& session) = 0;
};

struct ShareSettings {
  HomeRule home;
  ShareOptions share;
  Prices prices;
  std::optional<std::int64_t> site_id;  // the home site; absent: the only site seen
};

// Not thread-safe: the caller serialises all calls (and the repository with them). What OnSession returns is
// the answer to the charging plugin's share request; what OnIntervals returns is for the caller to publish
// after it released its lock (the charging plugin stores it on the publisher's thread).
class ShareService {
 public:
  ShareService(ShareSettings settings, ShareRepository& repository)
      : settings_(std::move(settings)), repository_(repository) {}

  // A session was closed or corrected. Away from home: share 0, no cost (the tariff's stays). At home: the
  // share over the stored intervals; published once they cover the whole session.
  std::vector<sdk::events::ChargingSolarShare> OnSession(const sdk::events::ChargingSessionClosed& event,
                                                         std::int64_t now_ms);
  // Intervals arrived (new, late or corrected): stores them and recomputes the home sessions they overlap.
  std::vector<sdk::events::ChargingSolarShare> OnIntervals(const sdk::events::EnergyIntervals& event,
                                                           std::int64_t now_ms);

  // The site whose intervals count for home sessions: the configured one, else the only site seen.
  std::optional<std::int64_t> HomeSite();
  const ShareSettings& Settings() const { return settings_; }

 private:
  // Recomputes `s` and saves it; returns the event to publish when the share or cost changed.
  std::optional<sdk::events::ChargingSolarShare> Recompute(StoredSession& s, std::int64_t now_ms);

  ShareSettings settings_;
  ShareRepository& repository_;
};

}  // namespace tessie::solar
