// The powerwall plugin: discovers the account's energy sites, records live_status every minute, backfills
// and keeps current the 5-minute energy history (calendar_history) and grid outages, serves
// /api/energy/sites, publishes events for other plugins (solar share) and puts each site into Home
// Assistant. The logic lives in the plain classes next to this file; this class wires them to the context.
//
// Threads: the discover job, one live job and one history job per site run on scheduler threads (each
// never overlaps itself, different jobs may run in parallel); REST handlers run on HTTP workers; the
// republish hook runs on the MQTT thread. Shared state is the site map (mutex_) and each Site (its m).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

#include "backfill_planner.hpp"
#include "energy_math.hpp"
#include "ha_discovery.hpp"
#include "history_json.hpp"
#include "hour_pack.hpp"
#include "local_time.hpp"
#include "openapi_part.hpp"
#include "tessie/sdk/events/energy.hpp"
#include "tessie/sdk/events/openapi.hpp"
#include "tessie/sdk/events/sync.hpp"
#include "tessie/sdk/plugin.hpp"
#include "tessie/sdk/query.hpp"
#include "tessie/sdk/resolution.hpp"

namespace tessie::powerwall {
namespace {

using namespace tessie::sdk;
using std::chrono::milliseconds;

constexpr const char* kVersion = "0.1.0";
constexpr std::int64_t kDayMs = 86'400'000;
constexpr int kProgressLogEveryDays = 30;

// ---- schema ---------------------------------------------------------------------------------------

// ", solar_energy_exported_wh, ..." — the 16 flow columns of energy_intervals and energy_daily.
std::string FlowColumns() {
  std::string out;
  for (const auto name : kFlowNames) out += ", " + std::string(name) + "_wh";
  return out;
}

// ", solar_produced_wh, ..." — the totals columns of energy_daily.
std::string TotalsColumns() {
  std::string out;
  for (const auto& [name, value] : Fields(EnergyTotals{})) out += ", " + std::string(name);
  return out;
}

// Column comments state the sign conventions; SQLite keeps them in the schema text, PostgreSQL gets
// COMMENT ON statements as well.
std::vector<Migration> Migrations(Backend backend) {
  const std::string real_col = " {{real}} NOT NULL DEFAULT 0,\n";
  std::string v1 =
      "CREATE TABLE energy_sites (\n"
      " energy_site_id BIGINT PRIMARY KEY,\n"
      " site_name TEXT NOT NULL DEFAULT '',\n"
      " resource_type TEXT NOT NULL DEFAULT '',\n"
      " time_zone TEXT NOT NULL DEFAULT '', -- installation_time_zone (IANA): local days, months, years\n"
      " installation_date TEXT, -- RFC 3339 as Tesla reports it\n"
      " battery_count INTEGER,\n"
      " nameplate_energy_wh {{real}},\n"
      " nameplate_power_w {{real}},\n"
      " backup_reserve_percent INTEGER,\n"
      " storm_mode_enabled INTEGER,\n"
      " wall_connector_count INTEGER NOT NULL DEFAULT 0,\n"
      " has_solar INTEGER NOT NULL DEFAULT 0,\n"
      " has_battery INTEGER NOT NULL DEFAULT 0,\n"
      " has_grid INTEGER NOT NULL DEFAULT 0,\n"
      " removed INTEGER NOT NULL DEFAULT 0,\n"
      " created_ms BIGINT NOT NULL,\n"
      " updated_ms BIGINT NOT NULL);\n"
      "CREATE TABLE energy_states (\n"
      " id {{pk}},\n"
      " energy_site_id BIGINT NOT NULL,\n"
      " ts_ms BIGINT NOT NULL, -- live_status timestamp, UTC epoch ms\n"
      " solar_power_w {{real}}, -- solar production, 0 or more\n"
      " battery_power_w {{real}}, -- SIGN: + discharging, - charging\n"
      " grid_power_w {{real}}, -- SIGN: + importing from the grid, - exporting to the grid\n"
      " load_power_w {{real}}, -- home consumption, 0 or more\n"
      " generator_power_w {{real}},\n"
      " battery_percentage {{real}}, -- percentage_charged, 0 to 100\n"
      " energy_left_wh {{real}},\n"
      " total_pack_energy_wh {{real}},\n"
      " grid_status TEXT, -- Active, Inactive, Unknown\n"
      " island_status TEXT, -- on_grid, off_grid_intentional, off_grid_unintentional, island_status_unknown\n"
      " storm_mode_active INTEGER,\n"
      " backup_capable INTEGER,\n"
      " wall_connector_power_w {{real}}, -- sum over the wall connectors, 0 or more\n"
      " raw_data {{json}});\n"
      "CREATE UNIQUE INDEX energy_states_site_ts ON energy_states (energy_site_id, ts_ms);\n"
      "CREATE TABLE energy_intervals (\n"
      " energy_site_id BIGINT NOT NULL,\n"
      " ts_ms BIGINT NOT NULL, -- interval start, UTC epoch ms (5 minutes long), every flow in Wh, 0 or more\n";
  for (const auto name : kFlowNames) v1 += " " + std::string(name) + "_wh" + real_col;
  v1 +=
      " updated_ms BIGINT NOT NULL,\n"
      " PRIMARY KEY (energy_site_id, ts_ms));\n"
      "CREATE TABLE energy_daily (\n"
      " energy_site_id BIGINT NOT NULL,\n"
      " local_date TEXT NOT NULL, -- YYYY-MM-DD in the site time zone\n"
      " start_ms BIGINT NOT NULL, -- local midnight, UTC epoch ms\n"
      " end_ms BIGINT NOT NULL, -- next local midnight: 23, 24 or 25 hours later\n"
      " intervals INTEGER NOT NULL, -- 5-minute intervals stored for the day\n";
  for (const auto& [name, value] : Fields(EnergyTotals{})) {
    v1 += " " + std::string(name) + real_col;
  }
  for (const auto name : kFlowNames) v1 += " " + std::string(name) + "_wh" + real_col;
  v1 +=
      " updated_ms BIGINT NOT NULL,\n"
      " PRIMARY KEY (energy_site_id, local_date));\n"
      "CREATE TABLE energy_outages (\n"
      " id {{pk}},\n"
      " energy_site_id BIGINT NOT NULL,\n"
      " started_ms BIGINT NOT NULL, -- UTC epoch ms\n"
      " duration_s BIGINT NOT NULL, -- so far, while the outage lasts\n"
      " updated_ms BIGINT NOT NULL,\n"
      " UNIQUE (energy_site_id, started_ms));\n"
      "CREATE TABLE energy_backfill (\n"
      " energy_site_id BIGINT PRIMARY KEY,\n"
      " state TEXT NOT NULL DEFAULT 'pending', -- pending, backfilling, current\n"
      " first_day TEXT NOT NULL, -- first local day wanted (installation date)\n"
      " done_through TEXT, -- last local day stored complete (a restart resumes after it)\n"
      " days_done INTEGER NOT NULL DEFAULT 0,\n"
      " days_total INTEGER NOT NULL DEFAULT 0,\n"
      " outages_done INTEGER NOT NULL DEFAULT 0,\n"
      " started_ms BIGINT,\n"
      " completed_ms BIGINT,\n"
      " updated_ms BIGINT NOT NULL)";
  if (backend == Backend::kPostgres) {
    v1 +=
        ";\nCOMMENT ON COLUMN energy_states.battery_power_w IS 'W; + discharging, - charging';\n"
        "COMMENT ON COLUMN energy_states.grid_power_w IS 'W; + importing from the grid, - exporting to the grid';\n"
        "COMMENT ON COLUMN energy_states.solar_power_w IS 'W; solar production, 0 or more';\n"
        "COMMENT ON COLUMN energy_states.load_power_w IS 'W; home consumption, 0 or more';\n"
        "COMMENT ON COLUMN energy_intervals.ts_ms IS 'interval start, UTC epoch ms; 5 minutes; flows in Wh';\n"
        "COMMENT ON COLUMN energy_daily.local_date IS 'YYYY-MM-DD in the site time zone'";
  }
  // v2: each day's hour buckets packed in one value (hour_pack.hpp); NULL for days stored before v2 until
  // the hours job fills them (the history route sums those days' intervals meanwhile).
  const std::string v2 = "ALTER TABLE energy_daily ADD COLUMN hours TEXT";
  return {{1, "energy sites, live states, intervals, daily totals, outages, backfill progress", v1},
          {2, "hour buckets of each day in energy_daily.hours", v2}};
}

// ---- small helpers ------------------------------------------------------------------------------

SqlValue Sql(const std::optional<double>& v) { return v ? SqlValue(*v) : SqlValue(); }
SqlValue Sql(const std::optional<int>& v) { return v ? SqlValue(static_cast<std::int64_t>(*v)) : SqlValue(); }
SqlValue Sql(const std::optional<bool>& v) { return v ? SqlValue(static_cast<std::int64_t>(*v ? 1 : 0)) : SqlValue(); }
SqlValue Sql(const std::optional<std::string>& v) { return v ? SqlValue(*v) : SqlValue(); }
SqlValue Flag(bool b) { return static_cast<std::int64_t>(b ? 1 : 0); }

Poco::Dynamic::Var JsonDouble(const SqlRow& r, std::size_t i) {
  return r.IsNull(i) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.Double(i));
}
Poco::Dynamic::Var JsonInt(const SqlRow& r, std::size_t i) {
  return r.IsNull(i) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.Int(i));
}
Poco::Dynamic::Var JsonString(const SqlRow& r, std::size_t i) {
  return r.IsNull(i) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.String(i));
}
Poco::Dynamic::Var JsonBool(const SqlRow& r, std::size_t i) {
  return r.IsNull(i) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(r.Int(i) != 0);
}

// The signed power in column `i` as its two unsigned directions (both null when the power is unknown).
void SetSplit(Poco::JSON::Object& o, const SqlRow& r, std::size_t i, const std::string& positive_name,
              const std::string& negative_name) {
  if (r.IsNull(i)) {
    o.set(positive_name, Poco::Dynamic::Var());
    o.set(negative_name, Poco::Dynamic::Var());
    return;
  }
  const auto split = Split(r.Double(i));
  o.set(positive_name, split.positive_w);
  o.set(negative_name, split.negative_w);
}

Poco::JSON::Object::Ptr NewObject() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

// Number of wall connectors in a site_info response (components.wall_connectors), 0 when unknown.
int WallConnectorCount(const std::string& site_info_json) {
  if (site_info_json.empty()) return 0;
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(site_info_json).extract<Poco::JSON::Object::Ptr>();
    if (root && root->has("response") && root->getObject("response")) root = root->getObject("response");
    const auto components = root ? root->getObject("components") : nullptr;
    const auto list = components ? components->getArray("wall_connectors") : nullptr;
    return list ? static_cast<int>(list->size()) : 0;
  } catch (const std::exception&) {
    return 0;
  }
}

std::int64_t ParseSiteId(const std::string& text) {
  // Digits only; 19 digits beyond INT64_MAX made std::stoll throw (a 500).
  const auto id = text.empty() || text[0] == '-' ? std::nullopt
                                                 : query::ParseInt(text, 0, std::numeric_limits<std::int64_t>::max());
  if (!id) {
    throw HttpError::BadRequest("'" + text + "' is not an energy site id: use the numeric energy_site_id from " +
                                "GET /api/energy/sites");
  }
  return *id;
}

// ---- per-site state -----------------------------------------------------------------------------

// One energy site. `m` guards the fields marked so; the rest is touched only by the site's history job
// (never concurrent with itself).
struct Site {
  std::mutex m;
  SiteIdentity identity;                       // m
  std::shared_ptr<const SiteTimeZone> zone;    // m (replaced, never mutated)
  std::optional<CivilDate> installation_date;  // m
  std::optional<int> backup_reserve_percent;   // m
  bool removed = false;                        // m
  DailyCounters counters;                      // m
  // History job only.
  bool progress_loaded = false;
  std::optional<CivilDate> done_through;
  bool outages_done = false;
};

struct DayResult {
  EnergyTotals totals;
  int intervals = 0;
  int changed = 0;
};

class PowerwallPlugin final : public Plugin {
 public:
  PluginInfo Info() const override {
    auto duration = [](const char* key, const char* desc, std::int64_t default_ms, std::int64_t min_ms,
                       const char* min_text) {
      return ConfigField{key,
                         ConfigType::kDuration,
                         desc,
                         Poco::Int64(default_ms),
                         false,
                         false,
                         [min_ms, min_text](const Poco::Dynamic::Var& v) -> std::string {
                           return v.convert<Poco::Int64>() >= min_ms ? "" : std::string("must be at least ") + min_text;
                         }};
    };
    return {
        "powerwall",
        kVersion,
        "energy sites: live power, 5-minute energy history with backfill, grid outages, Home Assistant entities",
        {},
        {
            duration("live_interval", "how often live_status is recorded per site", 60'000, 10'000, "10s"),
            duration("history_interval", "how often today's and yesterday's 5-minute energy are re-fetched",
                     10 * 60'000, 60'000, "1m"),
            duration("backfill_delay", "pause between two backfill requests (one local day each)", 2'000, 100, "100ms"),
            duration("discovery_interval", "how often the account's energy sites and site_info are refreshed", 3600'000,
                     60'000, "1m"),
            {"backfill",
             ConfigType::kBool,
             "fetch the energy history since the installation date on first start",
             true,
             false,
             false,
             {}},
            {"backfill_max_days", ConfigType::kInt,
             "backfill at most this many days back (0: since the installation date)", Poco::Int64(0), false, false,
             [](const Poco::Dynamic::Var& v) -> std::string {
               return v.convert<Poco::Int64>() >= 0 ? "" : "must be 0 (no limit) or more";
             }},
            {"time_zone", ConfigType::kString,
             "IANA time zone for sites that report none (installation_time_zone empty); default UTC",
             std::string("UTC"), false, false,
             [](const Poco::Dynamic::Var& v) -> std::string {
               try {
                 SiteTimeZone zone(v.toString());
                 return "";
               } catch (const std::exception& e) {
                 return e.what();
               }
             }},
        }};
  }

  void Configure(Context& ctx) override {
    // This plugin's routes in GET /api/openapi.json (openapi.yaml, embedded at build time).
    ctx.Events().Publish(::tessie::sdk::events::OpenApiPart{kOpenApiYaml});
    ctx_ = &ctx;
    const auto& c = ctx.Config();
    live_interval_ = c.GetDuration("live_interval");
    history_interval_ = c.GetDuration("history_interval");
    backfill_delay_ = c.GetDuration("backfill_delay");
    discovery_interval_ = c.GetDuration("discovery_interval");
    backfill_ = c.GetBool("backfill");
    backfill_max_days_ = static_cast<int>(c.GetInt("backfill_max_days"));
    fallback_zone_ = c.GetString("time_zone");
    ZoneFor(fallback_zone_);  // validated already; fails early if ICU data is missing
    ctx.Db().Migrate(Migrations(ctx.Db().Kind()));
    AddRoutes(ctx);
  }

  void Start(Context& ctx) override {
    options_.base_topic = ctx.Mqtt().BaseTopic();
    options_.availability_topic = ctx.Mqtt().AvailabilityTopic();
    options_.origin_version = kVersion;
    // Known sites first: recording resumes at once after a restart even when the API is unreachable.
    const auto rows = ctx.Db().Query("SELECT energy_site_id FROM energy_sites WHERE removed = 0");
    for (const auto& r : rows.rows) Track(r.Int(0));
    ctx.Jobs().Every(
        {.name = "discover", .interval = discovery_interval_, .jitter = milliseconds(30'000), .is_sync = true},
        [this](JobRun&) { Discover(); });
    // Drains a backlog in batches 100 ms apart: below the scheduler's one-second floor, so opted in.
    ctx.Jobs().Every({.name = "pack-hours", .interval = std::chrono::hours(6), .min_delay = milliseconds(100)},
                     [this](JobRun& run) { FillHours(run); });
    if (ctx.Mqtt().Enabled()) ctx.Mqtt().OnRepublish([this] { RepublishAll(); });
  }

  void Stop() override {}

 private:
  // ---- time zones -------------------------------------------------------------------------------

  // Thread-safe cache; unknown or empty names fall back to the configured zone.
  std::shared_ptr<const SiteTimeZone> ZoneFor(const std::string& name) {
    std::lock_guard lock(zones_mutex_);
    const std::string key = name.empty() ? fallback_zone_ : name;
    auto it = zones_.find(key);
    if (it != zones_.end()) return it->second;
    std::shared_ptr<const SiteTimeZone> zone;
    try {
      zone = std::make_shared<const SiteTimeZone>(key);
    } catch (const std::invalid_argument& e) {
      ctx_->Log().Warn(std::string(e.what()) + "; using " + fallback_zone_);
      zone = std::make_shared<const SiteTimeZone>(fallback_zone_);
    }
    zones_[key] = zone;
    return zone;
  }

  // ---- discovery --------------------------------------------------------------------------------

  void Discover() {
    auto& api = ctx_->Tesla();
    if (!api.Connected()) return;
    const auto products = api.GetProducts();
    const auto now = ToEpochMs(ctx_->Time().Now());
    std::set<std::int64_t> seen;
    for (const auto& summary : products.energy_sites) {
      const std::int64_t id = summary.energy_site_id;
      if (id == 0) continue;
      seen.insert(id);
      std::optional<SiteInfo> info;
      try {
        info = api.GetSiteInfo(id);
      } catch (const FleetError& e) {
        if (e.Kind() == FleetErrorKind::kNotConnected || e.Kind() == FleetErrorKind::kRateLimited) throw;
        ctx_->Log().Warn("energy site " + std::to_string(id) + ": site_info failed (" + e.what() +
                         "); keeping what is stored");
      }
      StoreSite(summary, info, now);
      Track(id);
    }
    // Sites that left the account: stop recording and remove them from Home Assistant.
    const auto known = ctx_->Db().Query("SELECT energy_site_id FROM energy_sites WHERE removed = 0");
    for (const auto& r : known.rows) {
      const std::int64_t id = r.Int(0);
      if (seen.count(id)) continue;
      ctx_->Log().Info("energy site " + std::to_string(id) + " is no longer in the account");
      ctx_->Db().Execute("UPDATE energy_sites SET removed = 1, updated_ms = ? WHERE energy_site_id = ?", {now, id});
      if (auto site = Find(id)) {
        std::lock_guard lock(site->m);
        site->removed = true;
      }
      ctx_->Mqtt().RemoveDiscovery(DeviceId(id));
    }
    // Every site's history job reports its backfill (SaveProgress).
    ctx_->Events().Publish(
        events::SyncDiscovered{"energy_sites", static_cast<int>(seen.size()), static_cast<int>(seen.size())});
  }

  void StoreSite(const EnergySiteSummary& s, const std::optional<SiteInfo>& info, std::int64_t now) {
    const std::string name = info && !info->site_name.empty() ? info->site_name : s.site_name;
    const bool has_solar = info ? info->has_solar || s.has_solar : s.has_solar;
    const bool has_battery = info ? info->has_battery || s.has_battery : s.has_battery;
    const bool has_grid = info ? info->has_grid || s.has_grid : s.has_grid;
    if (!info) {
      ctx_->Db().Execute(
          "INSERT INTO energy_sites (energy_site_id, site_name, resource_type, has_solar, has_battery, has_grid, "
          "created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (energy_site_id) DO UPDATE SET "
          "site_name = excluded.site_name, resource_type = excluded.resource_type, removed = 0, "
          "updated_ms = excluded.updated_ms",
          {s.energy_site_id, name, s.resource_type, Flag(has_solar), Flag(has_battery), Flag(has_grid), now, now});
      return;
    }
    if (info->installation_time_zone.empty()) {
      ctx_->Log().Warn("energy site " + std::to_string(s.energy_site_id) +
                       " reports no installation_time_zone; its days follow " + fallback_zone_ +
                       " (plugins.powerwall.time_zone)");
    }
    ctx_->Db().Execute(
        "INSERT INTO energy_sites (energy_site_id, site_name, resource_type, time_zone, installation_date, "
        "battery_count, nameplate_energy_wh, nameplate_power_w, backup_reserve_percent, storm_mode_enabled, "
        "wall_connector_count, has_solar, has_battery, has_grid, created_ms, updated_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (energy_site_id) DO UPDATE SET "
        "site_name = excluded.site_name, resource_type = excluded.resource_type, time_zone = excluded.time_zone, "
        "installation_date = excluded.installation_date, battery_count = excluded.battery_count, "
        "nameplate_energy_wh = excluded.nameplate_energy_wh, nameplate_power_w = excluded.nameplate_power_w, "
        "backup_reserve_percent = excluded.backup_reserve_percent, storm_mode_enabled = excluded.storm_mode_enabled, "
        "wall_connector_count = excluded.wall_connector_count, has_solar = excluded.has_solar, "
        "has_battery = excluded.has_battery, has_grid = excluded.has_grid, removed = 0, "
        "updated_ms = excluded.updated_ms",
        {s.energy_site_id, name, s.resource_type, info->installation_time_zone, Sql(info->installation_date),
         Sql(info->battery_count), Sql(info->nameplate_energy_wh), Sql(info->nameplate_power_w),
         Sql(info->backup_reserve_percent), Sql(info->storm_mode_enabled),
         static_cast<std::int64_t>(WallConnectorCount(info->raw_json)), Flag(has_solar), Flag(has_battery),
         Flag(has_grid), now, now});
  }

  std::shared_ptr<Site> Find(std::int64_t id) {
    std::lock_guard lock(mutex_);
    auto it = sites_.find(id);
    return it == sites_.end() ? nullptr : it->second;
  }

  // (Re)loads a site from energy_sites, announces it to Home Assistant and makes sure its jobs run.
  void Track(std::int64_t id) {
    const auto rows = ctx_->Db().Query(
        "SELECT site_name, time_zone, installation_date, battery_count, backup_reserve_percent, "
        "wall_connector_count, has_solar, has_battery, has_grid FROM energy_sites WHERE energy_site_id = ?",
        {id});
    if (rows.rows.empty()) return;
    const auto& r = rows.rows[0];
    SiteIdentity identity;
    identity.id = id;
    identity.name = r.String(0);
    identity.battery_count = r.IsNull(3) ? 0 : static_cast<int>(r.Int(3));
    identity.wall_connector_count = static_cast<int>(r.Int(5));
    identity.has_solar = r.Bool(6);
    identity.has_battery = r.Bool(7);
    identity.has_grid = r.Bool(8);
    auto zone = ZoneFor(r.String(1));
    std::optional<CivilDate> installed;
    if (!r.IsNull(2)) {
      if (auto ms = ParseRfc3339Ms(r.String(2))) installed = zone->LocalDate(*ms);
    }
    const std::optional<int> reserve = r.IsNull(4) ? std::nullopt : std::optional<int>(static_cast<int>(r.Int(4)));

    std::shared_ptr<Site> site;
    bool added = false;
    {
      std::lock_guard lock(mutex_);
      auto& slot = sites_[id];
      if (!slot) {
        slot = std::make_shared<Site>();
        added = true;
      }
      site = slot;
    }
    {
      std::lock_guard lock(site->m);
      site->identity = identity;
      site->zone = zone;
      site->installation_date = installed;
      site->backup_reserve_percent = reserve;
      site->removed = false;
    }
    PublishDiscovery(*site);
    for (const auto& [topic, payload] : SiteInfoMessages(options_, id, reserve)) Publish(topic, payload);
    if (!added) return;
    ctx_->Log().Info("recording energy site " + identity.name + " (" + std::to_string(id) + ", " + zone->Name() + ")");
    try {
      ctx_->Jobs().Every({.name = "live-" + std::to_string(id),
                          .interval = live_interval_,
                          .max_backoff = std::chrono::minutes(15),
                          .is_sync = true},
                         [this, id](JobRun& run) { Live(id, run); });
      ctx_->Jobs().Every({.name = "history-" + std::to_string(id),
                          .interval = history_interval_,
                          .first_delay = milliseconds(1'000),
                          .max_backoff = std::chrono::minutes(30),
                          .is_sync = true},
                         [this, id](JobRun& run) { History(id, run); });
    } catch (const std::invalid_argument&) {
      // Already registered (a site removed and added again): the jobs pick it up again.
    }
  }

  // ---- live_status ------------------------------------------------------------------------------

  // Handles FleetErrors that only mean "later": returns true when the run should end quietly.
  bool Later(const FleetError& e, JobRun& run, milliseconds normal, const std::string& what) {
    if (e.Kind() == FleetErrorKind::kRateLimited) {
      const milliseconds wait =
          std::max<milliseconds>(normal, std::chrono::seconds(std::max(1, e.RetryAfterSeconds())));
      ctx_->Log().Info(what + ": rate limited by Tesla, next try in " + std::to_string(wait.count() / 1000) + " s");
      run.SetNextDelay(wait);
      return true;
    }
    if (e.Kind() == FleetErrorKind::kNotConnected) {
      run.SetNextDelay(std::chrono::minutes(5));
      return true;
    }
    return false;
  }

  void Live(std::int64_t id, JobRun& run) {
    auto site = Find(id);
    std::shared_ptr<const SiteTimeZone> zone;
    int wall_connectors = 0;
    if (site) {
      std::lock_guard lock(site->m);
      if (site->removed) {
        site.reset();
      } else {
        zone = site->zone;
        wall_connectors = site->identity.wall_connector_count;
      }
    }
    if (!site) {
      run.SetNextDelay(std::chrono::hours(1));
      return;
    }
    auto& api = ctx_->Tesla();
    if (!api.Connected()) {
      run.SetNextDelay(std::chrono::minutes(5));
      return;
    }
    LiveStatus live;
    try {
      live = api.GetLiveStatus(id);
    } catch (const FleetError& e) {
      if (Later(e, run, live_interval_, "energy site " + std::to_string(id) + " live_status")) return;
      throw;
    }
    const std::int64_t now = ToEpochMs(ctx_->Time().Now());
    const std::int64_t ts = live.timestamp_ms.value_or(now);
    const std::optional<double> wall_w = WallConnectorPowerW(live.raw_json);
    const std::size_t inserted = ctx_->Db().Execute(
        "INSERT INTO energy_states (energy_site_id, ts_ms, solar_power_w, battery_power_w, grid_power_w, "
        "load_power_w, generator_power_w, battery_percentage, energy_left_wh, total_pack_energy_wh, grid_status, "
        "island_status, storm_mode_active, backup_capable, wall_connector_power_w, raw_data) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (energy_site_id, ts_ms) DO NOTHING",
        {id, ts, Sql(live.solar_power_w), Sql(live.battery_power_w), Sql(live.grid_power_w), Sql(live.load_power_w),
         Sql(live.generator_power_w), Sql(live.percentage_charged), Sql(live.energy_left_wh),
         Sql(live.total_pack_energy_wh), Sql(live.grid_status), Sql(live.island_status), Sql(live.storm_mode_active),
         Sql(live.backup_capable), Sql(wall_w), live.raw_json.empty() ? SqlValue() : SqlValue(live.raw_json)});
    if (inserted == 0) return;  // the same sample again (cache): nothing new

    events::EnergyLive event;
    event.energy_site_id = id;
    event.time_zone = zone->Name();
    event.timestamp_ms = ts;
    event.live = live;
    ctx_->Events().Publish(event);

    if (!ctx_->Mqtt().Enabled()) return;
    auto messages = LiveStateMessages(options_, id, live, wall_connectors > 0 ? wall_w : std::nullopt);
    if (wall_connectors > 0 && wall_w) {
      const CivilDate today = zone->LocalDate(ts);
      std::optional<CivilDate> last;
      {
        std::lock_guard lock(site->m);
        last = site->counters.LastDate("car_charging_energy");
      }
      // After local midnight, the previous day's final value first, so Home Assistant counts its last minutes.
      if (last && *last < today) {
        const double wh = WallConnectorEnergyWh(id, *zone, *last);
        std::lock_guard lock(site->m);
        messages.push_back(CarChargingEnergyMessage(options_, id, *last, wh, site->counters));
      }
      const double wh = WallConnectorEnergyWh(id, *zone, today);
      std::lock_guard lock(site->m);
      messages.push_back(CarChargingEnergyMessage(options_, id, today, wh, site->counters));
    }
    for (const auto& [topic, payload] : messages) Publish(topic, payload);
  }

  // Wall connector energy of one local day, integrated from the stored samples.
  double WallConnectorEnergyWh(std::int64_t id, const SiteTimeZone& zone, const CivilDate& date) {
    const DayWindow day = DayWindowOf(zone, date);
    const std::int64_t max_gap = std::max<std::int64_t>(4 * live_interval_.count(), 10 * 60'000);
    const auto rows = ctx_->Db().Query(
        "SELECT ts_ms, wall_connector_power_w FROM energy_states WHERE energy_site_id = ? AND ts_ms >= ? AND "
        "ts_ms < ? AND wall_connector_power_w IS NOT NULL ORDER BY ts_ms",
        {id, day.start_ms - max_gap, day.end_ms + max_gap});
    std::vector<PowerSample> samples;
    for (const auto& r : rows.rows) samples.push_back({r.Int(0), r.Double(1)});
    return IntegrateEnergyWh(samples, day.start_ms, day.end_ms, max_gap);
  }

  // ---- energy history ---------------------------------------------------------------------------

  // Returns true when the progress was read now (the first run since start).
  bool LoadProgress(Site& site, std::int64_t id) {
    if (site.progress_loaded) return false;
    const auto r =
        ctx_->Db().Query("SELECT done_through, outages_done FROM energy_backfill WHERE energy_site_id = ?", {id});
    if (!r.rows.empty()) {
      if (!r.rows[0].IsNull(0)) site.done_through = ParseDate(r.rows[0].String(0));
      site.outages_done = r.rows[0].Int(1) != 0;
    }
    site.progress_loaded = true;
    return true;
  }

  void SaveProgress(const Site& site, std::int64_t id, const CivilDate& first_day, const HistoryStep& step,
                    std::int64_t now) {
    const bool current = step.mode == HistoryStep::Mode::kCurrent;
    ctx_->Db().Execute(
        "INSERT INTO energy_backfill (energy_site_id, state, first_day, done_through, days_done, days_total, "
        "outages_done, started_ms, completed_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (energy_site_id) DO UPDATE SET state = excluded.state, first_day = excluded.first_day, "
        "done_through = excluded.done_through, days_done = excluded.days_done, days_total = excluded.days_total, "
        "outages_done = excluded.outages_done, completed_ms = COALESCE(energy_backfill.completed_ms, "
        "excluded.completed_ms), updated_ms = excluded.updated_ms",
        {id, std::string(current ? "current" : "backfilling"), ToString(first_day),
         site.done_through ? SqlValue(ToString(*site.done_through)) : SqlValue(), std::int64_t{step.days_done},
         std::int64_t{step.days_total}, Flag(site.outages_done), now, current ? SqlValue(now) : SqlValue(), now});
    // The host's first-run status ("fetching the energy history: N of M days").
    events::SyncBackfill progress;
    progress.target = "energy_site:" + std::to_string(id);
    progress.name = SiteName(id);
    progress.days_done = current ? step.days_total : step.days_done;
    progress.days_total = step.days_total;
    ctx_->Events().Publish(progress);
  }

  std::string SiteName(std::int64_t id) {
    if (auto site = Find(id)) {
      std::lock_guard lock(site->m);
      return site->identity.name;
    }
    return "";
  }

  CivilDate FirstDay(const std::optional<CivilDate>& installed, const CivilDate& today) const {
    if (!backfill_) return today;
    CivilDate first = installed ? *installed : AddDays(today, -364);
    if (backfill_max_days_ > 0) first = std::max(first, AddDays(today, -(backfill_max_days_ - 1)));
    return std::min(first, today);
  }

  void History(std::int64_t id, JobRun& run) {
    auto site = Find(id);
    std::shared_ptr<const SiteTimeZone> zone;
    std::optional<CivilDate> installed;
    if (site) {
      std::lock_guard lock(site->m);
      if (site->removed) {
        site.reset();
      } else {
        zone = site->zone;
        installed = site->installation_date;
      }
    }
    if (!site) {
      run.SetNextDelay(std::chrono::hours(1));
      return;
    }
    if (!ctx_->Tesla().Connected()) {
      run.SetNextDelay(std::chrono::minutes(5));
      return;
    }
    const std::string what = "energy site " + std::to_string(id) + " history";
    try {
      HistoryStepRun(*site, id, *zone, installed, run);
    } catch (const FleetError& e) {
      if (Later(e, run, backfill_delay_, what)) return;
      throw;
    }
  }

  void HistoryStepRun(Site& site, std::int64_t id, const SiteTimeZone& zone, const std::optional<CivilDate>& installed,
                      JobRun& run) {
    const bool resumed = LoadProgress(site, id) && site.outages_done;
    auto& api = ctx_->Tesla();
    const std::int64_t now = ToEpochMs(ctx_->Time().Now());
    const CivilDate today = zone.LocalDate(now);
    const BackfillPlanner planner(FirstDay(installed, today));
    const HistoryStep step = planner.Next(site.done_through, today);
    const std::string label = "energy site " + std::to_string(id);
    if (resumed && step.mode == HistoryStep::Mode::kBackfill) {
      ctx_->Log().Info(label + ": resuming the energy history backfill at " + ToString(step.days.front()) + " (" +
                       std::to_string(step.days_done) + "/" + std::to_string(step.days_total) + " days done)");
    }

    if (step.mode == HistoryStep::Mode::kBackfill && !site.outages_done) {
      // Every grid outage since the first day, once, before the days themselves.
      ctx_->Log().Info(label + ": backfilling energy history, " + std::to_string(step.days_total - step.days_done) +
                       " of " + std::to_string(step.days_total) + " days to fetch (from " +
                       ToString(step.days.front()) + ", one day per request)");
      const auto events = api.GetBackupHistory(id, "lifetime", DayWindowOf(zone, planner.FirstDay()).start,
                                               DayWindowOf(zone, today).end, zone.Name());
      StoreOutages(id, events, now);
      site.outages_done = true;
      SaveProgress(site, id, planner.FirstDay(), step, now);
      run.SetNextDelay(backfill_delay_);
      return;
    }

    std::optional<DayResult> today_result;
    for (const auto& day : step.days) {
      const DayResult result = FetchDay(id, zone, day, now);
      if (day == today) today_result = result;
      // Yesterday's final totals before today's first ones, so Home Assistant counts the day's last minutes
      // (only while the published counters are still yesterday's).
      if (day == AddDays(today, -1)) PublishDailyCounters(id, day, result.totals, /*only_if_current=*/true);
      site.done_through = planner.Advance(site.done_through, day, today);
      // Outages starting on recent days (older ones came with the one lifetime request): today on every
      // run, yesterday once more when the backfill reaches it after midnight.
      const bool recent = step.mode == HistoryStep::Mode::kCurrent ? day == today : day >= AddDays(today, -1);
      if (recent) {
        const DayWindow w = DayWindowOf(zone, day);
        StoreOutages(id, api.GetBackupHistory(id, "day", w.start, w.end, zone.Name()), now);
      }
    }
    const HistoryStep after = planner.Next(site.done_through, today);
    SaveProgress(site, id, planner.FirstDay(), after, now);

    if (step.mode == HistoryStep::Mode::kBackfill) {
      if (after.mode == HistoryStep::Mode::kCurrent) {
        ctx_->Log().Info(label + ": energy history backfill complete (" + std::to_string(after.days_done) + "/" +
                         std::to_string(after.days_total) + " days)");
      } else if (after.days_done % kProgressLogEveryDays == 0) {
        ctx_->Log().Info(label + ": energy history backfill " + std::to_string(after.days_done) + "/" +
                         std::to_string(after.days_total) + " days (through " + ToString(*site.done_through) + ")");
      }
      run.SetNextDelay(after.mode == HistoryStep::Mode::kCurrent ? milliseconds(1'000) : backfill_delay_);
      return;
    }
    if (today_result) PublishDailyCounters(id, today, today_result->totals);
  }

  // Fetches one local day (5-minute rows), stores what is new or changed and that day's totals, and
  // announces the changed intervals.
  DayResult FetchDay(std::int64_t id, const SiteTimeZone& zone, const CivilDate& day, std::int64_t now) {
    const DayWindow w = DayWindowOf(zone, day);
    const auto history = ctx_->Tesla().GetEnergyHistory(id, "day", w.start, w.end, zone.Name());
    std::vector<EnergyHistoryRow> fetched;
    for (const auto& row : history.rows) {
      if (row.timestamp_ms >= w.start_ms && row.timestamp_ms < w.end_ms) fetched.push_back(row);
    }
    const std::string flow_cols = FlowColumns();
    const auto stored_rows = ctx_->Db().Query(
        "SELECT ts_ms" + flow_cols + " FROM energy_intervals WHERE energy_site_id = ? AND ts_ms >= ? AND ts_ms < ?",
        {id, w.start_ms, w.end_ms});
    std::map<std::int64_t, Flows> stored;
    for (const auto& r : stored_rows.rows) {
      Flows f{};
      for (std::size_t i = 0; i < kFlowCount; ++i) f[i] = r.Double(i + 1);
      stored[r.Int(0)] = f;
    }
    const auto changed = ChangedRows(stored, fetched);
    for (const auto& row : fetched) stored[row.timestamp_ms] = FlowsOf(row);
    Flows day_flows{};
    std::vector<Interval> day_intervals;
    day_intervals.reserve(stored.size());
    for (const auto& [ts, flows] : stored) {
      Add(day_flows, flows);
      day_intervals.push_back({ts, flows});
    }
    DayResult result;
    result.totals = TotalsOf(day_flows);
    result.intervals = static_cast<int>(stored.size());
    result.changed = static_cast<int>(changed.size());
    if (changed.empty()) return result;

    std::string insert_interval =
        "INSERT INTO energy_intervals (energy_site_id, ts_ms" + flow_cols + ", updated_ms) VALUES (?, ?";
    for (std::size_t i = 0; i < kFlowCount; ++i) insert_interval += ", ?";
    insert_interval += ", ?) ON CONFLICT (energy_site_id, ts_ms) DO UPDATE SET ";
    for (const auto name : kFlowNames)
      insert_interval += std::string(name) + "_wh = excluded." + std::string(name) + "_wh, ";
    insert_interval += "updated_ms = excluded.updated_ms";
    const auto total_fields = Fields(result.totals);
    std::string insert_day = "INSERT INTO energy_daily (energy_site_id, local_date, start_ms, end_ms, intervals" +
                             TotalsColumns() + flow_cols + ", hours, updated_ms) VALUES (?, ?, ?, ?, ?";
    for (std::size_t i = 0; i < total_fields.size() + kFlowCount; ++i) insert_day += ", ?";
    insert_day +=
        ", ?, ?) ON CONFLICT (energy_site_id, local_date) DO UPDATE SET start_ms = excluded.start_ms, "
        "end_ms = excluded.end_ms, intervals = excluded.intervals, hours = excluded.hours, ";
    for (const auto& [name, value] : total_fields) {
      insert_day += std::string(name) + " = excluded." + std::string(name) + ", ";
    }
    for (const auto name : kFlowNames)
      insert_day += std::string(name) + "_wh = excluded." + std::string(name) + "_wh, ";
    insert_day += "updated_ms = excluded.updated_ms";

    ctx_->Db().InTransaction([&](Transaction& tx) {
      for (const auto& row : changed) {
        SqlParams p{id, row.timestamp_ms};
        for (const double wh : FlowsOf(row)) p.emplace_back(wh);
        p.emplace_back(now);
        tx.Execute(insert_interval, p);
      }
      SqlParams p{id, ToString(day), w.start_ms, w.end_ms, std::int64_t{result.intervals}};
      for (const auto& [name, value] : total_fields) p.emplace_back(value);
      for (const double wh : day_flows) p.emplace_back(wh);
      p.emplace_back(PackHours(zone, w.start_ms, BucketIntervals(zone, Resolution::kHour, day_intervals)));
      p.emplace_back(now);
      tx.Execute(insert_day, p);
    });

    events::EnergyIntervals event;
    event.energy_site_id = id;
    event.time_zone = zone.Name();
    event.rows = changed;
    ctx_->Events().Publish(event);
    return result;
  }

  void StoreOutages(std::int64_t id, const std::vector<BackupEvent>& events, std::int64_t now) {
    for (const auto& e : events) {
      const auto existing = ctx_->Db().Query(
          "SELECT duration_s FROM energy_outages WHERE energy_site_id = ? AND started_ms = ?", {id, e.timestamp_ms});
      if (!existing.rows.empty() && existing.rows[0].Int(0) == e.duration_s) continue;
      ctx_->Db().Execute(
          "INSERT INTO energy_outages (energy_site_id, started_ms, duration_s, updated_ms) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (energy_site_id, started_ms) DO UPDATE SET duration_s = excluded.duration_s, "
          "updated_ms = excluded.updated_ms",
          {id, e.timestamp_ms, e.duration_s, now});
      if (existing.rows.empty()) {
        ctx_->Log().Info("energy site " + std::to_string(id) + ": grid outage at " + IsoUtc(e.timestamp_ms) + " for " +
                         std::to_string(e.duration_s) + " s");
        ctx_->Events().Publish(events::GridOutage{id, e.timestamp_ms, e.duration_s});
      }
    }
  }

  // ---- MQTT -------------------------------------------------------------------------------------

  std::string Relative(const std::string& absolute) const { return absolute.substr(options_.base_topic.size() + 1); }

  void Publish(const std::string& absolute_topic, const std::string& payload) {
    if (ctx_->Mqtt().Enabled()) ctx_->Mqtt().Publish(Relative(absolute_topic), payload);
  }

  void PublishDiscovery(Site& site) {
    if (!ctx_->Mqtt().Enabled()) return;
    SiteIdentity identity;
    {
      std::lock_guard lock(site.m);
      identity = site.identity;
    }
    ctx_->Mqtt().PublishDiscovery(DeviceId(identity.id), *BuildDiscovery(identity, options_));
  }

  // `only_if_current`: publish only when the counters were last published for `date` (a final value of
  // the day), never to go back to an earlier day after a restart.
  void PublishDailyCounters(std::int64_t id, const CivilDate& date, const EnergyTotals& totals,
                            bool only_if_current = false) {
    auto site = Find(id);
    if (!site || !ctx_->Mqtt().Enabled()) return;
    std::vector<Message> messages;
    {
      std::lock_guard lock(site->m);
      if (only_if_current && site->counters.LastDate("home_energy") != date) return;
      messages = DailyEnergyMessages(options_, id, date, totals, site->counters);
    }
    for (const auto& [topic, payload] : messages) Publish(topic, payload);
  }

  // The bridge re-sends every retained state itself after a reconnect or Home Assistant's birth; the
  // discovery configs are sent again here (as every plugin does), built from the current identity.
  void RepublishAll() {
    std::vector<std::shared_ptr<Site>> all;
    {
      std::lock_guard lock(mutex_);
      for (const auto& [id, site] : sites_) all.push_back(site);
    }
    for (const auto& site : all) {
      {
        std::lock_guard lock(site->m);
        if (site->removed) continue;
      }
      PublishDiscovery(*site);
    }
  }

  // ---- REST -------------------------------------------------------------------------------------

  static constexpr const char* kSiteColumns =
      "SELECT s.energy_site_id, s.site_name, s.resource_type, s.time_zone, s.installation_date, s.battery_count, "
      "s.nameplate_energy_wh, s.nameplate_power_w, s.backup_reserve_percent, s.storm_mode_enabled, "
      "s.wall_connector_count, s.has_solar, s.has_battery, s.has_grid, s.updated_ms, b.state, b.first_day, "
      "b.done_through, b.days_done, b.days_total FROM energy_sites s LEFT JOIN energy_backfill b "
      "ON b.energy_site_id = s.energy_site_id";

  Poco::JSON::Object::Ptr SiteJson(const SqlRow& r) {
    auto o = NewObject();
    o->set("energy_site_id", r.Int(0));
    o->set("site_name", r.String(1));
    o->set("resource_type", r.String(2));
    o->set("time_zone", ZoneFor(r.String(3))->Name());
    o->set("installation_date", JsonString(r, 4));
    o->set("battery_count", JsonInt(r, 5));
    o->set("nameplate_energy_wh", JsonDouble(r, 6));
    o->set("nameplate_power_w", JsonDouble(r, 7));
    o->set("backup_reserve_percent", JsonInt(r, 8));
    o->set("storm_mode_enabled", JsonBool(r, 9));
    o->set("wall_connector_count", r.Int(10));
    o->set("has_solar", r.Bool(11));
    o->set("has_battery", r.Bool(12));
    o->set("has_grid", r.Bool(13));
    o->set("updated", IsoUtc(r.Int(14)));
    auto backfill = NewObject();
    backfill->set("state",
                  r.IsNull(15) ? Poco::Dynamic::Var(std::string("pending")) : Poco::Dynamic::Var(r.String(15)));
    backfill->set("first_day", JsonString(r, 16));
    backfill->set("done_through", JsonString(r, 17));
    backfill->set("days_done", r.IsNull(18) ? Poco::Dynamic::Var(0) : Poco::Dynamic::Var(r.Int(18)));
    backfill->set("days_total", r.IsNull(19) ? Poco::Dynamic::Var(0) : Poco::Dynamic::Var(r.Int(19)));
    o->set("backfill", backfill);
    return o;
  }

  // The site row (404 when unknown) and its zone.
  std::pair<SqlRow, std::shared_ptr<const SiteTimeZone>> Resolve(const HttpRequest& request) {
    const std::int64_t id = ParseSiteId(request.Param("id"));
    auto rows = ctx_->Db().Query(std::string(kSiteColumns) + " WHERE s.energy_site_id = ?", {id});
    if (rows.rows.empty()) {
      throw HttpError::NotFound("no energy site " + std::to_string(id) + " (GET /api/energy/sites lists them)");
    }
    auto zone = ZoneFor(rows.rows[0].String(3));
    return {rows.rows[0], zone};
  }

  // "2026-06-01" (local midnight of the site), RFC 3339 with Z or an offset, or epoch ms. 400 naming the
  // parameter otherwise (sdk/query.hpp).
  static std::int64_t ParseTime(const HttpRequest& request, const char* name, const SiteTimeZone& zone,
                                std::int64_t fallback) {
    query::TimeFormat format;
    format.epoch_ms = true;
    format.offset_without_colon = true;  // local_time::ParseRfc3339Ms, used here before, took "+0200"
    format.date_to_utc = [&zone](const local_time::CivilDate& date) { return zone.StartOfDayMs(date); };
    format.hint = "a date (YYYY-MM-DD, local to the site), an RFC 3339 time with Z or an offset, or epoch milliseconds";
    return query::TimeParam(request, name, format).value_or(fallback);
  }

  void AddRoutes(Context& ctx) {
    ctx.Http().Add("GET", "/api/energy/sites",
                   [this](const HttpRequest&) {
                     auto rows = ctx_->Db().Query(std::string(kSiteColumns) +
                                                  " WHERE s.removed = 0 ORDER BY s.site_name, s.energy_site_id");
                     Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
                     for (const auto& r : rows.rows) items->add(SiteJson(r));
                     Poco::JSON::Object o;
                     o.set("items", items);
                     o.set("total", static_cast<int>(rows.rows.size()));
                     return HttpResponse::Json(o);
                   },
                   {.summary = "The account's energy sites with their backfill progress"});
    ctx.Http().Add("GET", "/api/energy/sites/:id",
                   [this](const HttpRequest& r) { return HttpResponse::Json(SiteJson(Resolve(r).first)); },
                   {.summary = "One energy site"});
    ctx.Http().Add("GET", "/api/energy/sites/:id/live", [this](const HttpRequest& r) { return LiveRoute(r); },
                   {.summary = "The latest stored live_status of a site, with explicit signs"});
    ctx.Http().Add("GET", "/api/energy/sites/:id/history", [this](const HttpRequest& r) { return HistoryRoute(r); },
                   {.summary = "Energy per flow per 5 minutes, hour, day or month (local to the site)"});
    ctx.Http().Add("GET", "/api/energy/sites/:id/outages", [this](const HttpRequest& r) { return OutagesRoute(r); },
                   {.summary = "Grid outages of a site"});
  }

  HttpResponse LiveRoute(const HttpRequest& request) {
    const auto [site, zone] = Resolve(request);
    const std::int64_t id = site.Int(0);
    const auto rows = ctx_->Db().Query(
        "SELECT ts_ms, solar_power_w, battery_power_w, grid_power_w, load_power_w, generator_power_w, "
        "battery_percentage, energy_left_wh, total_pack_energy_wh, grid_status, island_status, storm_mode_active, "
        "backup_capable, wall_connector_power_w FROM energy_states WHERE energy_site_id = ? ORDER BY ts_ms DESC "
        "LIMIT 1",
        {id});
    auto o = NewObject();
    o->set("energy_site_id", id);
    auto signs = NewObject();
    signs->set("battery_power_w", "+ discharging (battery to home or grid), - charging");
    signs->set("grid_power_w", "+ importing from the grid, - exporting to the grid");
    o->set("sign_convention", signs);
    if (rows.rows.empty()) {
      o->set("timestamp", Poco::Dynamic::Var());
      return HttpResponse::Json(o);
    }
    const auto& r = rows.rows[0];
    o->set("timestamp", IsoUtc(r.Int(0)));
    o->set("local_time", zone->FormatRfc3339(r.Int(0)));
    o->set("solar_power_w", JsonDouble(r, 1));
    o->set("load_power_w", JsonDouble(r, 4));
    o->set("battery_power_w", JsonDouble(r, 2));
    SetSplit(*o, r, 2, "battery_discharging_w", "battery_charging_w");
    o->set("grid_power_w", JsonDouble(r, 3));
    SetSplit(*o, r, 3, "grid_import_w", "grid_export_w");
    o->set("generator_power_w", JsonDouble(r, 5));
    o->set("wall_connector_power_w", JsonDouble(r, 13));
    o->set("battery_percentage", JsonDouble(r, 6));
    o->set("energy_left_wh", JsonDouble(r, 7));
    o->set("total_pack_energy_wh", JsonDouble(r, 8));
    o->set("grid_status", JsonString(r, 9));
    o->set("island_status", JsonString(r, 10));
    o->set("storm_mode_active", JsonBool(r, 11));
    o->set("backup_capable", JsonBool(r, 12));
    return HttpResponse::Json(o);
  }

  HttpResponse HistoryRoute(const HttpRequest& request) {
    const auto [site, zone] = Resolve(request);
    const std::int64_t id = site.Int(0);
    using Asked = query::Resolution;
    const Asked asked =
        query::ResolutionParam(request, "resolution", Asked::k1h, {Asked::k5m, Asked::k1h, Asked::k1d, Asked::k1mo});
    const auto resolution = FromQuery(asked);  // set for every allowed value
    const std::string resolution_text(query::ResolutionName(asked));
    struct Limits {
      std::int64_t default_ms;
      std::int64_t max_ms;
      const char* max_text;
    };
    static const std::map<Resolution, Limits> kLimits = {
        {Resolution::kFiveMinutes, {kDayMs, 31 * kDayMs, "31 days"}},
        {Resolution::kHour, {7 * kDayMs, 367 * kDayMs, "a year"}},  // 8,784 hourly points: a chart of a year
        {Resolution::kDay, {31 * kDayMs, 3700 * kDayMs, "10 years"}},
        {Resolution::kMonth, {366 * kDayMs, 100 * 366 * kDayMs, "100 years"}},
    };
    const Limits& limits = kLimits.at(*resolution);
    const std::int64_t now = ToEpochMs(ctx_->Time().Now());
    const std::int64_t to = ParseTime(request, "to", *zone, now);
    const std::int64_t from = ParseTime(request, "from", *zone, to - limits.default_ms);
    if (to <= from) throw HttpError::BadRequest("'to' must be after 'from'");
    if (to - from > limits.max_ms) {
      throw HttpError::BadRequest(std::string("at resolution ") + resolution_text + " ask for at most " +
                                  limits.max_text + " at a time (or use a coarser resolution)");
    }

    static const std::map<std::string, HistoryBody::Detail> kDetails = {{"main", HistoryBody::Detail::kMain},
                                                                        {"breakdown", HistoryBody::Detail::kBreakdown},
                                                                        {"flows", HistoryBody::Detail::kFlows}};
    const auto detail = kDetails.find(request.Query("detail").value_or("main"));
    if (detail == kDetails.end()) throw HttpError::BadRequest("detail must be main, breakdown or flows");
    HistoryBody body;
    body.energy_site_id = id;
    body.time_zone = zone->Name();
    body.resolution = *resolution;
    body.from_ms = from;
    body.to_ms = to;
    body.detail = detail->second;

    // Every bucket that overlaps [from, to) is returned whole.
    if (*resolution == Resolution::kHour) {
      // The packed hours of each local day (365 rows for a year, not 105,120 intervals), streamed from storage
      // into the body a day at a time.
      HistoryWriter writer(body, static_cast<std::size_t>((to - from) / 3'600'000 + 2));
      ctx_->Db().InTransaction([&](Transaction& tx) {
        tx.QueryEach(
            "SELECT local_date, start_ms, end_ms, hours FROM energy_daily WHERE energy_site_id = ? AND "
            "local_date >= ? AND local_date <= ? ORDER BY local_date",
            {id, ToString(zone->LocalDate(from)), ToString(zone->LocalDate(to - 1))}, [&](const SqlRow& r) {
              for (const auto& b : DayHours(tx, id, *zone, r)) {
                if (b.end_ms > from && b.start_ms < to) writer.Add(b);
              }
            });
      });
      return HttpResponse::Text(writer.Finish(), "application/json");
    }
    std::vector<Bucket> buckets;
    if (*resolution == Resolution::kFiveMinutes) {
      ctx_->Db().InTransaction([&](Transaction& tx) {
        buckets =
            BucketIntervals(*zone, *resolution, ReadIntervals(tx, id, BucketStartMs(*zone, *resolution, from), to));
      });
    } else {
      CivilDate first = zone->LocalDate(from);
      CivilDate last = zone->LocalDate(to - 1);
      if (*resolution == Resolution::kMonth) {
        first = FirstOfMonth(first);
        last = AddDays(AddMonths(FirstOfMonth(last), 1), -1);
      }
      const auto rows = ctx_->Db().Query("SELECT local_date, intervals" + FlowColumns() +
                                             " FROM energy_daily WHERE energy_site_id = ? AND local_date >= ? AND "
                                             "local_date <= ? ORDER BY local_date",
                                         {id, ToString(first), ToString(last)});
      std::vector<DayTotal> days;
      for (const auto& r : rows.rows) {
        const auto date = ParseDate(r.String(0));
        if (!date) continue;
        DayTotal day{*date, {}, static_cast<int>(r.Int(1))};
        for (std::size_t i = 0; i < kFlowCount; ++i) day.flows[i] = r.Double(i + 2);
        days.push_back(day);
      }
      buckets = BucketDays(*zone, *resolution, days);
    }
    return HttpResponse::Text(HistoryJson(body, buckets), "application/json");
  }

  // Stored 5-minute intervals of a site starting in [from_ms, to_ms).
  std::vector<Interval> ReadIntervals(Transaction& tx, std::int64_t id, std::int64_t from_ms, std::int64_t to_ms) {
    std::vector<Interval> intervals;
    intervals.reserve(static_cast<std::size_t>(std::max<std::int64_t>(0, (to_ms - from_ms) / 300'000 + 1)));
    tx.QueryEach("SELECT ts_ms" + FlowColumns() +
                     " FROM energy_intervals WHERE energy_site_id = ? AND ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms",
                 {id, from_ms, to_ms}, [&](const SqlRow& r) {
                   Interval interval{r.Int(0), {}};
                   for (std::size_t i = 0; i < kFlowCount; ++i) interval.flows[i] = r.Double(i + 1);
                   intervals.push_back(interval);
                 });
    return intervals;
  }

  // The hour buckets of one energy_daily row (local_date, start_ms, end_ms, hours): unpacked, or summed from
  // the intervals when the row has none yet (stored before schema v2) or they are unreadable.
  std::vector<Bucket> DayHours(Transaction& tx, std::int64_t id, const SiteTimeZone& zone, const SqlRow& r) {
    if (!r.IsNull(3)) {
      if (auto hours = UnpackHours(r.String(3), r.Int(1))) return std::move(*hours);
      ctx_->Log().Warn("energy site " + std::to_string(id) + ": unreadable hours for " + r.String(0) +
                       "; summing its intervals instead");
    }
    return BucketIntervals(zone, Resolution::kHour, ReadIntervals(tx, id, r.Int(1), r.Int(2)));
  }

  // Fills energy_daily.hours of days stored before schema v2, a batch per run; idle once none is left.
  void FillHours(JobRun& run) {
    constexpr int kBatch = 62;
    const auto rows = ctx_->Db().Query(
        "SELECT d.local_date, d.start_ms, d.end_ms, d.hours, d.energy_site_id, s.time_zone FROM energy_daily d "
        "JOIN energy_sites s ON s.energy_site_id = d.energy_site_id WHERE d.hours IS NULL ORDER BY "
        "d.energy_site_id, d.local_date LIMIT " +
        std::to_string(kBatch));
    for (const auto& r : rows.rows) {
      const std::int64_t id = r.Int(4);
      const auto zone = ZoneFor(r.String(5));
      ctx_->Db().InTransaction([&](Transaction& tx) {
        tx.Execute("UPDATE energy_daily SET hours = ? WHERE energy_site_id = ? AND local_date = ?",
                   {PackHours(*zone, r.Int(1), DayHours(tx, id, *zone, r)), id, r.String(0)});
      });
    }
    if (!rows.rows.empty()) {
      ctx_->Log().Info("packed the hours of " + std::to_string(rows.rows.size()) + " stored day(s)");
    }
    if (static_cast<int>(rows.rows.size()) == kBatch) run.SetNextDelay(milliseconds(100));
  }

  HttpResponse OutagesRoute(const HttpRequest& request) {
    const auto [site, zone] = Resolve(request);
    const std::int64_t id = site.Int(0);
    const std::int64_t now = ToEpochMs(ctx_->Time().Now());
    const std::int64_t from = ParseTime(request, "from", *zone, 0);
    const std::int64_t to = ParseTime(request, "to", *zone, now + 1);
    if (to <= from) throw HttpError::BadRequest("'to' must be after 'from'");
    const auto rows = ctx_->Db().Query(
        "SELECT started_ms, duration_s FROM energy_outages WHERE energy_site_id = ? AND started_ms >= ? AND "
        "started_ms < ? ORDER BY started_ms",
        {id, from, to});
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
    std::int64_t total_s = 0;
    for (const auto& r : rows.rows) {
      auto item = NewObject();
      item->set("started", IsoUtc(r.Int(0)));
      item->set("ended", IsoUtc(r.Int(0) + r.Int(1) * 1000));
      item->set("local_start", zone->FormatRfc3339(r.Int(0)));
      item->set("duration_s", r.Int(1));
      total_s += r.Int(1);
      items->add(item);
    }
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("energy_site_id", id);
    out.set("from", IsoUtc(from));
    out.set("to", IsoUtc(to));
    out.set("items", items);
    out.set("total", static_cast<int>(rows.rows.size()));
    out.set("total_duration_s", total_s);
    return HttpResponse::Json(out);
  }

  Context* ctx_ = nullptr;
  milliseconds live_interval_{60'000};
  milliseconds history_interval_{600'000};
  milliseconds backfill_delay_{2'000};
  milliseconds discovery_interval_{3600'000};
  bool backfill_ = true;
  int backfill_max_days_ = 0;
  std::string fallback_zone_ = "UTC";
  DiscoveryOptions options_;  // set in Start, read-only afterwards
  std::mutex zones_mutex_;    // guards zones_
  std::map<std::string, std::shared_ptr<const SiteTimeZone>> zones_;
  std::mutex mutex_;  // guards sites_ (the map; each Site has its own mutex)
  std::map<std::int64_t, std::shared_ptr<Site>> sites_;
};

}  // namespace
}  // namespace tessie::powerwall

TESSIE_PLUGIN(tessie::powerwall::PowerwallPlugin)
