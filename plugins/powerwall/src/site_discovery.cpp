#include "site_discovery.hpp"

#include <set>

#include "tessie/sdk/events/sync.hpp"

namespace tessie::powerwall {

void SiteDiscovery::Run() {
  auto& api = ctx_.Tesla();
  if (!api.Connected()) return;
  const auto products = api.GetProducts();
  const auto now = sdk::ToEpochMs(ctx_.Time().Now());
  std::set<std::int64_t> seen;
  for (const auto& summary : products.energy_sites) {
    const std::int64_t id = summary.energy_site_id;
    if (id == 0) continue;
    seen.insert(id);
    std::optional<sdk::SiteInfo> info;
    try {
      info = api.GetSiteInfo(id);
    } catch (const sdk::FleetError& e) {
      if (e.Kind() == sdk::FleetErrorKind::kNotConnected || e.Kind() == sdk::FleetErrorKind::kRateLimited) throw;
      ctx_.Log().Warn("energy site " + std::to_string(id) + ": site_info failed (" + e.what() +
                      "); keeping what is stored");
    }
    if (info && info->installation_time_zone.empty()) {
      ctx_.Log().Warn("energy site " + std::to_string(id) + " reports no installation_time_zone; its days follow " +
                      zones_.Fallback() + " (plugins.powerwall.time_zone)");
    }
    store_.UpsertSite(MergeSite(summary, info), now);
    Track(id);
  }
  // Sites that left the account: stop recording and remove them from Home Assistant.
  for (const std::int64_t id : store_.PresentSiteIds()) {
    if (seen.count(id)) continue;
    ctx_.Log().Info("energy site " + std::to_string(id) + " is no longer in the account");
    store_.MarkRemoved(id, now);
    if (auto site = sites_.Find(id)) {
      std::lock_guard lock(site->m);
      site->removed = true;
    }
    mqtt_.RemoveSite(id);
  }
  // Every site's history job reports its backfill (HistorySync).
  ctx_.Events().Publish(
      sdk::events::SyncDiscovered{"energy_sites", static_cast<int>(seen.size()), static_cast<int>(seen.size())});
}

void SiteDiscovery::Track(std::int64_t id) {
  const auto stored = store_.LoadSite(id);
  if (!stored) return;
  SiteIdentity identity;
  identity.id = id;
  identity.name = stored->name;
  identity.battery_count = stored->battery_count.value_or(0);
  identity.wall_connector_count = stored->wall_connector_count;
  identity.has_solar = stored->has_solar;
  identity.has_battery = stored->has_battery;
  identity.has_grid = stored->has_grid;
  auto zone = zones_.For(stored->time_zone);
  std::optional<CivilDate> installed;
  if (stored->installation_date) {
    if (auto ms = ParseRfc3339Ms(*stored->installation_date)) installed = zone->LocalDate(*ms);
  }

  bool added = false;
  auto site = sites_.Insert(id, added);
  {
    std::lock_guard lock(site->m);
    site->identity = identity;
    site->zone = zone;
    site->installation_date = installed;
    site->backup_reserve_percent = stored->backup_reserve_percent;
    site->removed = false;
  }
  mqtt_.PublishSite(*site);
  if (!added) return;
  ctx_.Log().Info("recording energy site " + identity.name + " (" + std::to_string(id) + ", " + zone->Name() + ")");
  start_jobs_(id);
}

}  // namespace tessie::powerwall
