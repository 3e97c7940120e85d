#include "share_service.hpp"

#include <algorithm>
#include <cmath>

namespace tessie::solar {

namespace {

bool Differs(const std::optional<double>& a, const std::optional<double>& b) {
  return a.has_value() != b.has_value() || (a && std::abs(*a - *b) > 1e-9);
}

}  // namespace

std::optional<std::int64_t> ShareService::HomeSite() {
  if (settings_.site_id) return settings_.site_id;
  const auto sites = repository_.SiteIds();
  if (sites.size() == 1) return sites.front();
  return std::nullopt;
}

std::vector<sdk::events::ChargingSolarShare> ShareService::OnSession(const sdk::events::ChargingSessionClosed& e,
                                                                     std::int64_t now_ms) {
  StoredSession s = repository_.Session(e.session_id).value_or(StoredSession{});
  s.session.session_id = e.session_id;
  s.session.started_ms = e.started_ms;
  s.session.ended_ms = std::max(e.ended_ms, e.started_ms);
  s.session.energy_kwh = e.energy_added_kwh;
  s.session.kind = e.charger_type;
  s.session.place = e.place;
  s.vehicle_id = e.vehicle_id;

  const auto home_site = HomeSite();
  const auto sites = repository_.SiteIds();
  const bool single_site = std::all_of(sites.begin(), sites.end(), [&](std::int64_t id) { return id == home_site; });
  s.at_home = IsAtHome(s.session, settings_.home, single_site);

  std::vector<sdk::events::ChargingSolarShare> out;
  if (auto event = Recompute(s, now_ms)) out.push_back(*event);
  return out;
}

std::vector<sdk::events::ChargingSolarShare> ShareService::OnIntervals(const sdk::events::EnergyIntervals& e,
                                                                       std::int64_t now_ms) {
  std::vector<IntervalFlows> flows;
  flows.reserve(e.rows.size());
  for (const auto& row : e.rows) flows.push_back(FlowsFromRow(row));
  repository_.UpsertIntervals(e.energy_site_id, e.time_zone, flows);

  std::vector<sdk::events::ChargingSolarShare> out;
  if (flows.empty() || HomeSite() != e.energy_site_id) return out;
  std::int64_t from_ms = flows.front().ts_ms;
  std::int64_t to_ms = flows.front().EndMs();
  for (const auto& f : flows) {
    from_ms = std::min(from_ms, f.ts_ms);
    to_ms = std::max(to_ms, f.EndMs());
  }
  for (auto& s : repository_.HomeSessionsOverlapping(from_ms, to_ms)) {
    if (auto event = Recompute(s, now_ms)) out.push_back(*event);
  }
  return out;
}

std::optional<sdk::events::ChargingSolarShare> ShareService::Recompute(StoredSession& s, std::int64_t now_ms) {
  const auto before_pct = s.published ? s.share_pct : std::nullopt;
  const auto before_cost = s.published ? s.cost : std::nullopt;
  const bool was_published = s.published;
  s.computed_ms = now_ms;
  std::optional<double> pct;
  std::optional<double> cost;
  if (!s.at_home) {
    // Not charged from this site: share 0 and no cost of ours (the charging plugin keeps its tariff's).
    s.site_id.reset();
    s.green_kwh = 0;
    s.covered_kwh = s.session.energy_kwh;
    s.complete = true;
    pct = 0.0;
  } else {
    const auto site = HomeSite();
    if (!site) {
      // Several sites and none configured, or none seen yet: wait for intervals (or a site_id).
      s.site_id.reset();
      s.complete = false;
      repository_.SaveSession(s);
      return std::nullopt;
    }
    s.site_id = site;
    const std::int64_t to_ms = std::max(s.session.ended_ms, s.session.started_ms);
    const ShareResult r =
        ComputeShare(s.session, repository_.Intervals(*site, s.session.started_ms, to_ms), settings_.share);
    s.green_kwh = r.green_wh / 1000;
    s.covered_kwh = r.car_wh / 1000;
    s.complete = r.complete;
    if (!r.complete) {
      // Keep what was published (if anything) until the intervals cover the whole session.
      if (!was_published) {
        s.share_pct = r.SharePct();
        s.cost.reset();
      }
      repository_.SaveSession(s);
      return std::nullopt;
    }
    pct = r.SharePct();
    cost = ChargeCost(s.session.energy_kwh, *pct, settings_.prices);
  }
  s.share_pct = pct;
  s.cost = cost;
  const bool changed = !was_published || Differs(before_pct, pct) || Differs(before_cost, cost);
  s.published = true;
  repository_.SaveSession(s);
  if (!changed) return std::nullopt;
  return sdk::events::ChargingSolarShare{s.session.session_id, *pct, cost};
}

}  // namespace tessie::solar
