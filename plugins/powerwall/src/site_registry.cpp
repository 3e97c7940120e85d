#include "site_registry.hpp"

#include <stdexcept>
#include <utility>

namespace tessie::powerwall {

SiteZones::SiteZones(std::string fallback, std::function<void(const std::string&)> warn)
    : fallback_(std::move(fallback)), warn_(std::move(warn)) {
  For(fallback_);  // fails early (invalid_argument) when the zone or the ICU data is missing
}

std::shared_ptr<const local_time::Zone> SiteZones::For(const std::string& name) {
  std::lock_guard lock(mutex_);
  const std::string key = name.empty() ? fallback_ : name;
  auto it = zones_.find(key);
  if (it != zones_.end()) return it->second;
  std::shared_ptr<const local_time::Zone> zone;
  try {
    zone = std::make_shared<const local_time::Zone>(key);
  } catch (const std::invalid_argument& e) {
    if (key == fallback_) throw;
    warn_(std::string(e.what()) + "; using " + fallback_);
    zone = std::make_shared<const local_time::Zone>(fallback_);
  }
  zones_[key] = zone;
  return zone;
}

std::shared_ptr<Site> SiteRegistry::Find(std::int64_t id) const {
  std::lock_guard lock(mutex_);
  auto it = sites_.find(id);
  return it == sites_.end() ? nullptr : it->second;
}

std::shared_ptr<Site> SiteRegistry::Insert(std::int64_t id, bool& added) {
  std::lock_guard lock(mutex_);
  auto& slot = sites_[id];
  added = !slot;
  if (!slot) slot = std::make_shared<Site>();
  return slot;
}

std::optional<ActiveSite> SiteRegistry::Active(std::int64_t id) const {
  auto site = Find(id);
  if (!site) return std::nullopt;
  std::lock_guard lock(site->m);
  if (site->removed) return std::nullopt;
  return ActiveSite{site, site->zone, site->installation_date, site->identity.wall_connector_count};
}

std::vector<std::shared_ptr<Site>> SiteRegistry::Present() const {
  std::vector<std::shared_ptr<Site>> all;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, site] : sites_) all.push_back(site);
  }
  std::vector<std::shared_ptr<Site>> present;
  for (const auto& site : all) {
    std::lock_guard lock(site->m);
    if (!site->removed) present.push_back(site);
  }
  return present;
}

std::string SiteRegistry::Name(std::int64_t id) const {
  if (auto site = Find(id)) {
    std::lock_guard lock(site->m);
    return site->identity.name;
  }
  return "";
}

}  // namespace tessie::powerwall
