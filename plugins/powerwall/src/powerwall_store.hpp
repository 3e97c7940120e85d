#pragma once
// The powerwall plugin's tables (powerwall_*; README.md lists them) behind a typed API: every SQL statement
// of the plugin is in powerwall_store.cpp. Thread-safe as far as sdk::Database is.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "energy_math.hpp"
#include "local_time.hpp"
#include "site_registry.hpp"
#include "sync_rules.hpp"
#include "tessie/sdk/fleet.hpp"
#include "tessie/sdk/log.hpp"
#include "tessie/sdk/storage.hpp"

namespace tessie::powerwall {

// A row of powerwall_sites as the jobs need it.
struct StoredSite {
  std::string name;
  std::string time_zone;                         // "" when the site reports none
  std::optional<std::string> installation_date;  // RFC 3339
  std::optional<int> battery_count;
  std::optional<int> backup_reserve_percent;
  int wall_connector_count = 0;
  bool has_solar = false;
  bool has_battery = false;
  bool has_grid = false;
};

// A site with its backfill progress, as GET /api/energy/sites answers it.
struct SiteRow {
  std::int64_t id = 0;
  std::string name;
  std::string resource_type;
  std::string time_zone;
  std::optional<std::string> installation_date;
  std::optional<std::int64_t> battery_count;
  std::optional<double> nameplate_energy_wh;
  std::optional<double> nameplate_power_w;
  std::optional<std::int64_t> backup_reserve_percent;
  std::optional<bool> storm_mode_enabled;
  std::int64_t wall_connector_count = 0;
  bool has_solar = false;
  bool has_battery = false;
  bool has_grid = false;
  std::int64_t updated_ms = 0;
  std::optional<std::string> backfill_state;  // nullopt before the history job first ran
  std::optional<std::string> first_day;
  std::optional<std::string> done_through;
  std::optional<std::int64_t> days_done;
  std::optional<std::int64_t> days_total;
};

// The latest stored live_status sample.
struct StoredLive {
  std::int64_t ts_ms = 0;
  sdk::LiveStatus live;  // without timestamp and raw_json
};

struct BackfillProgress {
  std::optional<CivilDate> done_through;
  bool outages_done = false;
};

struct BackfillState {
  bool current = false;  // false: backfilling
  CivilDate first_day;
  std::optional<CivilDate> done_through;
  int days_done = 0;
  int days_total = 0;
  bool outages_done = false;
};

struct Outage {
  std::int64_t started_ms = 0;
  std::int64_t duration_s = 0;
};

class PowerwallStore {
 public:
  // `log` is told about packed hours that cannot be read.
  PowerwallStore(sdk::Database& db, sdk::Logger& log) : db_(db), log_(log) {}

  // v1 and v2 created the tables as energy_*; v3 renames them to powerwall_* (rows kept).
  static std::vector<sdk::Migration> Migrations(sdk::Backend backend);
  void Migrate();

  // ---- sites
  std::vector<std::int64_t> PresentSiteIds();  // not removed
  // Inserts or updates; without site_info only the summary's fields change and the site is present again.
  void UpsertSite(const SiteRecord& site, std::int64_t now_ms);
  void MarkRemoved(std::int64_t id, std::int64_t now_ms);
  std::optional<StoredSite> LoadSite(std::int64_t id);
  std::vector<SiteRow> SiteRows();  // not removed, by name
  std::optional<SiteRow> FindSiteRow(std::int64_t id);

  // ---- live_status
  // False when the sample (site, timestamp) is stored already.
  bool InsertLive(std::int64_t id, std::int64_t ts_ms, const sdk::LiveStatus& live);
  std::optional<StoredLive> LatestLive(std::int64_t id);
  // Wall connector power samples with ts in [from_ms, to_ms).
  std::vector<PowerSample> WallConnectorSamples(std::int64_t id, std::int64_t from_ms, std::int64_t to_ms);

  // ---- history
  std::optional<BackfillProgress> LoadProgress(std::int64_t id);
  void SaveProgress(std::int64_t id, const BackfillState& state, std::int64_t now_ms);
  // The stored intervals starting in [from_ms, to_ms), by start.
  std::map<std::int64_t, Flows> IntervalFlows(std::int64_t id, std::int64_t from_ms, std::int64_t to_ms);
  // Writes the changed intervals and the day's totals in one transaction (nothing when none changed).
  void StoreDay(std::int64_t id, const DayWindow& window, const DayMerge& merge, std::int64_t now_ms);
  std::optional<std::int64_t> OutageDuration(std::int64_t id, std::int64_t started_ms);
  void UpsertOutage(std::int64_t id, const Outage& outage, std::int64_t now_ms);

  // ---- reading history
  std::vector<Interval> Intervals(std::int64_t id, std::int64_t from_ms, std::int64_t to_ms);
  // Daily flows of the local dates first..last.
  std::vector<DayTotal> DailyFlows(std::int64_t id, const CivilDate& first, const CivilDate& last);
  // The hour buckets of each stored local day first..last in date order, streamed a day at a time.
  void ForEachDayHours(std::int64_t id, const local_time::Zone& zone, const CivilDate& first, const CivilDate& last,
                       const std::function<void(const std::vector<Bucket>&)>& each);
  std::vector<Outage> Outages(std::int64_t id, std::int64_t from_ms, std::int64_t to_ms);

  // Packs the hours of up to `batch` days stored before schema v2; returns how many it packed.
  int PackMissingHours(int batch, SiteZones& zones);

 private:
  struct DayRow;
  std::vector<Bucket> DayHours(sdk::Transaction& tx, std::int64_t id, const local_time::Zone& zone, const DayRow& day);
  std::vector<Interval> Intervals(sdk::Transaction& tx, std::int64_t id, std::int64_t from_ms, std::int64_t to_ms);

  sdk::Database& db_;
  sdk::Logger& log_;
};

}  // namespace tessie::powerwall
