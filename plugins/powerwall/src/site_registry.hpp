#pragma once
// The energy sites the plugin records and their time zones, shared by the jobs, the REST handlers and the
// MQTT republish hook (plain state, no I/O).
//
// Thread-safe: the registry's map and the zone cache have their own mutexes; each Site has its own (`m`).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ha_discovery.hpp"
#include "local_time.hpp"

namespace tessie::powerwall {

// One energy site. `m` guards the fields marked so; the rest is touched only by the site's history job
// (never concurrent with itself).
struct Site {
  std::mutex m;
  SiteIdentity identity;                       // m
  std::shared_ptr<const local_time::Zone> zone;    // m (replaced, never mutated)
  std::optional<CivilDate> installation_date;  // m
  std::optional<int> backup_reserve_percent;   // m
  bool removed = false;                        // m
  DailyCounters counters;                      // m
  // History job only.
  bool progress_loaded = false;
  std::optional<CivilDate> done_through;
  bool outages_done = false;
};

// Zones by IANA name, built once each. Unknown or empty names fall back to the configured zone (`warn` is
// told once per unknown name).
class SiteZones {
 public:
  // Throws std::invalid_argument when `fallback` itself is not a zone.
  SiteZones(std::string fallback, std::function<void(const std::string&)> warn);
  std::shared_ptr<const local_time::Zone> For(const std::string& name);
  const std::string& Fallback() const { return fallback_; }

 private:
  const std::string fallback_;
  const std::function<void(const std::string&)> warn_;
  std::mutex mutex_;  // guards zones_
  std::map<std::string, std::shared_ptr<const local_time::Zone>> zones_;
};

// What a job needs of a site that is being recorded, copied under the site's lock.
struct ActiveSite {
  std::shared_ptr<Site> site;
  std::shared_ptr<const local_time::Zone> zone;
  std::optional<CivilDate> installation_date;
  int wall_connector_count = 0;
};

class SiteRegistry {
 public:
  std::shared_ptr<Site> Find(std::int64_t id) const;
  // The site, created when new (`added` true).
  std::shared_ptr<Site> Insert(std::int64_t id, bool& added);
  // nullopt when the site is unknown or was removed from the account.
  std::optional<ActiveSite> Active(std::int64_t id) const;
  std::vector<std::shared_ptr<Site>> Present() const;  // every site not removed
  std::string Name(std::int64_t id) const;             // "" when unknown

 private:
  mutable std::mutex mutex_;  // guards sites_ (the map; each Site has its own mutex)
  std::map<std::int64_t, std::shared_ptr<Site>> sites_;
};

}  // namespace tessie::powerwall
