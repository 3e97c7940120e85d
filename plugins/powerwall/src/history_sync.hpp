#pragma once
// The history job of a site: backfills the 5-minute energy history one local day per run (BackfillPlanner),
// then keeps today and yesterday current; stores grid outages; reports progress (events::SyncBackfill) and
// the daily counters for Home Assistant.
//
// Threads: Run on the site's history job thread (never concurrent with itself for one site); it alone
// touches the Site's history fields, the rest goes through thread-safe parts.
#include <chrono>
#include <cstdint>
#include <vector>

#include "backfill_planner.hpp"
#include "powerwall_mqtt.hpp"
#include "powerwall_store.hpp"
#include "settings.hpp"
#include "site_registry.hpp"
#include "tessie/sdk/context.hpp"

namespace tessie::powerwall {

class HistorySync {
 public:
  HistorySync(sdk::Context& ctx, PowerwallStore& store, SiteRegistry& sites, PowerwallMqtt& mqtt,
              const Settings& settings)
      : ctx_(ctx), store_(store), sites_(sites), mqtt_(mqtt), settings_(settings) {}

  void Run(std::int64_t id, sdk::JobRun& run);

 private:
  void Step(Site& site, std::int64_t id, const local_time::Zone& zone, const std::optional<CivilDate>& installed,
            sdk::JobRun& run);
  // Returns true when the progress was read now (the first run since start).
  bool LoadProgress(Site& site, std::int64_t id);
  void SaveProgress(const Site& site, std::int64_t id, const CivilDate& first_day, const HistoryStep& step,
                    std::int64_t now);
  // Fetches one local day (5-minute rows), stores what is new or changed and that day's totals, and announces
  // the changed intervals.
  DayMerge FetchDay(std::int64_t id, const local_time::Zone& zone, const CivilDate& day, std::int64_t now);
  void StoreOutages(std::int64_t id, const std::vector<sdk::BackupEvent>& events, std::int64_t now);

  sdk::Context& ctx_;
  PowerwallStore& store_;
  SiteRegistry& sites_;
  PowerwallMqtt& mqtt_;
  const Settings settings_;
};

}  // namespace tessie::powerwall
