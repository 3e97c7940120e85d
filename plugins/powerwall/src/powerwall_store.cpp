#include "powerwall_store.hpp"

#include <algorithm>
#include <utility>

#include "hour_pack.hpp"
#include "tessie/sdk/row.hpp"

namespace tessie::powerwall {
namespace {

using sdk::SqlParams;
using sdk::SqlRow;
using sdk::SqlValue;

// ", solar_energy_exported_wh, ..." — the 16 flow columns of powerwall_intervals and powerwall_daily.
std::string FlowColumns() {
  std::string out;
  for (const auto name : kFlowNames) out += ", " + std::string(name) + "_wh";
  return out;
}

// ", solar_produced_wh, ..." — the totals columns of powerwall_daily.
std::string TotalsColumns() {
  std::string out;
  for (const auto& [name, value] : Fields(EnergyTotals{})) out += ", " + std::string(name);
  return out;
}

constexpr const char* kSiteColumns =
    "SELECT s.energy_site_id, s.site_name, s.resource_type, s.time_zone, s.installation_date, s.battery_count, "
    "s.nameplate_energy_wh, s.nameplate_power_w, s.backup_reserve_percent, s.storm_mode_enabled, "
    "s.wall_connector_count, s.has_solar, s.has_battery, s.has_grid, s.updated_ms, b.state, b.first_day, "
    "b.done_through, b.days_done, b.days_total FROM powerwall_sites s LEFT JOIN powerwall_backfill b "
    "ON b.energy_site_id = s.energy_site_id";

SiteRow SiteRowOf(const SqlRow& r) {
  SiteRow s;
  s.id = r.Int(0);
  s.name = r.String(1);
  s.resource_type = r.String(2);
  s.time_zone = r.String(3);
  s.installation_date = sdk::OptString(r, 4);
  s.battery_count = sdk::OptInt(r, 5);
  s.nameplate_energy_wh = sdk::OptDouble(r, 6);
  s.nameplate_power_w = sdk::OptDouble(r, 7);
  s.backup_reserve_percent = sdk::OptInt(r, 8);
  s.storm_mode_enabled = sdk::OptBool(r, 9);
  s.wall_connector_count = r.Int(10);
  s.has_solar = r.Bool(11);
  s.has_battery = r.Bool(12);
  s.has_grid = r.Bool(13);
  s.updated_ms = r.Int(14);
  s.backfill_state = sdk::OptString(r, 15);
  s.first_day = sdk::OptString(r, 16);
  s.done_through = sdk::OptString(r, 17);
  s.days_done = sdk::OptInt(r, 18);
  s.days_total = sdk::OptInt(r, 19);
  return s;
}

}  // namespace

// A powerwall_daily row as the hours need it.
struct PowerwallStore::DayRow {
  std::string local_date;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::optional<std::string> hours;
};

void PowerwallStore::Migrate() { db_.Migrate(Migrations(db_.Kind())); }

std::vector<std::int64_t> PowerwallStore::PresentSiteIds() {
  std::vector<std::int64_t> ids;
  for (const auto& r : db_.Query("SELECT energy_site_id FROM powerwall_sites WHERE removed = 0").rows) {
    ids.push_back(r.Int(0));
  }
  return ids;
}

void PowerwallStore::UpsertSite(const SiteRecord& s, std::int64_t now) {
  if (!s.info) {
    db_.Execute(
        "INSERT INTO powerwall_sites (energy_site_id, site_name, resource_type, has_solar, has_battery, has_grid, "
        "created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (energy_site_id) DO UPDATE SET "
        "site_name = excluded.site_name, resource_type = excluded.resource_type, removed = 0, "
        "updated_ms = excluded.updated_ms",
        {s.id, s.name, s.resource_type, sdk::ToSql(std::optional<bool>(s.has_solar)), sdk::ToSql(std::optional<bool>(s.has_battery)), sdk::ToSql(std::optional<bool>(s.has_grid)), now, now});
    return;
  }
  const sdk::SiteInfo& info = *s.info;
  db_.Execute(
      "INSERT INTO powerwall_sites (energy_site_id, site_name, resource_type, time_zone, installation_date, "
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
      {s.id, s.name, s.resource_type, info.installation_time_zone, sdk::ToSql(info.installation_date), sdk::ToSql(info.battery_count),
       sdk::ToSql(info.nameplate_energy_wh), sdk::ToSql(info.nameplate_power_w), sdk::ToSql(info.backup_reserve_percent),
       sdk::ToSql(info.storm_mode_enabled), static_cast<std::int64_t>(info.wall_connector_count), sdk::ToSql(std::optional<bool>(s.has_solar)),
       sdk::ToSql(std::optional<bool>(s.has_battery)), sdk::ToSql(std::optional<bool>(s.has_grid)), now, now});
}

void PowerwallStore::MarkRemoved(std::int64_t id, std::int64_t now) {
  db_.Execute("UPDATE powerwall_sites SET removed = 1, updated_ms = ? WHERE energy_site_id = ?", {now, id});
}

std::optional<StoredSite> PowerwallStore::LoadSite(std::int64_t id) {
  const auto rows = db_.Query(
      "SELECT site_name, time_zone, installation_date, battery_count, backup_reserve_percent, "
      "wall_connector_count, has_solar, has_battery, has_grid FROM powerwall_sites WHERE energy_site_id = ?",
      {id});
  if (rows.rows.empty()) return std::nullopt;
  const auto& r = rows.rows[0];
  return StoredSite{r.String(0),    r.String(1),    sdk::OptString(r, 2),
                    sdk::OptInt(r, 3), sdk::OptInt(r, 4), static_cast<int>(r.Int(5)),
                    r.Bool(6),      r.Bool(7),      r.Bool(8)};
}

std::vector<SiteRow> PowerwallStore::SiteRows() {
  std::vector<SiteRow> sites;
  for (const auto& r :
       db_.Query(std::string(kSiteColumns) + " WHERE s.removed = 0 ORDER BY s.site_name, s.energy_site_id").rows) {
    sites.push_back(SiteRowOf(r));
  }
  return sites;
}

std::optional<SiteRow> PowerwallStore::FindSiteRow(std::int64_t id) {
  const auto rows = db_.Query(std::string(kSiteColumns) + " WHERE s.energy_site_id = ?", {id});
  if (rows.rows.empty()) return std::nullopt;
  return SiteRowOf(rows.rows[0]);
}

bool PowerwallStore::InsertLive(std::int64_t id, std::int64_t ts, const sdk::LiveStatus& live) {
  return db_.Execute(
             "INSERT INTO powerwall_states (energy_site_id, ts_ms, solar_power_w, battery_power_w, grid_power_w, "
             "load_power_w, generator_power_w, battery_percentage, energy_left_wh, total_pack_energy_wh, "
             "grid_status, island_status, storm_mode_active, backup_capable, wall_connector_power_w, raw_data) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (energy_site_id, ts_ms) DO NOTHING",
             {id, ts, sdk::ToSql(live.solar_power_w), sdk::ToSql(live.battery_power_w), sdk::ToSql(live.grid_power_w),
              sdk::ToSql(live.load_power_w), sdk::ToSql(live.generator_power_w), sdk::ToSql(live.percentage_charged),
              sdk::ToSql(live.energy_left_wh), sdk::ToSql(live.total_pack_energy_wh), sdk::ToSql(live.grid_status), sdk::ToSql(live.island_status),
              sdk::ToSql(live.storm_mode_active), sdk::ToSql(live.backup_capable), sdk::ToSql(live.wall_connector_power_w),
              live.raw_json.empty() ? SqlValue() : SqlValue(live.raw_json)}) > 0;
}

std::optional<StoredLive> PowerwallStore::LatestLive(std::int64_t id) {
  const auto rows = db_.Query(
      "SELECT ts_ms, solar_power_w, battery_power_w, grid_power_w, load_power_w, generator_power_w, "
      "battery_percentage, energy_left_wh, total_pack_energy_wh, grid_status, island_status, storm_mode_active, "
      "backup_capable, wall_connector_power_w FROM powerwall_states WHERE energy_site_id = ? ORDER BY ts_ms DESC "
      "LIMIT 1",
      {id});
  if (rows.rows.empty()) return std::nullopt;
  const auto& r = rows.rows[0];
  StoredLive s;
  s.ts_ms = r.Int(0);
  s.live.solar_power_w = sdk::OptDouble(r, 1);
  s.live.battery_power_w = sdk::OptDouble(r, 2);
  s.live.grid_power_w = sdk::OptDouble(r, 3);
  s.live.load_power_w = sdk::OptDouble(r, 4);
  s.live.generator_power_w = sdk::OptDouble(r, 5);
  s.live.percentage_charged = sdk::OptDouble(r, 6);
  s.live.energy_left_wh = sdk::OptDouble(r, 7);
  s.live.total_pack_energy_wh = sdk::OptDouble(r, 8);
  s.live.grid_status = sdk::OptString(r, 9);
  s.live.island_status = sdk::OptString(r, 10);
  s.live.storm_mode_active = sdk::OptBool(r, 11);
  s.live.backup_capable = sdk::OptBool(r, 12);
  s.live.wall_connector_power_w = sdk::OptDouble(r, 13);
  return s;
}

std::vector<PowerSample> PowerwallStore::WallConnectorSamples(std::int64_t id, std::int64_t from_ms,
                                                              std::int64_t to_ms) {
  const auto rows = db_.Query(
      "SELECT ts_ms, wall_connector_power_w FROM powerwall_states WHERE energy_site_id = ? AND ts_ms >= ? AND "
      "ts_ms < ? AND wall_connector_power_w IS NOT NULL ORDER BY ts_ms",
      {id, from_ms, to_ms});
  std::vector<PowerSample> samples;
  for (const auto& r : rows.rows) samples.push_back({r.Int(0), r.Double(1)});
  return samples;
}

std::optional<BackfillProgress> PowerwallStore::LoadProgress(std::int64_t id) {
  const auto r = db_.Query("SELECT done_through, outages_done FROM powerwall_backfill WHERE energy_site_id = ?", {id});
  if (r.rows.empty()) return std::nullopt;
  BackfillProgress progress;
  if (!r.rows[0].IsNull(0)) progress.done_through = ParseDate(r.rows[0].String(0));
  progress.outages_done = r.rows[0].Int(1) != 0;
  return progress;
}

void PowerwallStore::SaveProgress(std::int64_t id, const BackfillState& s, std::int64_t now) {
  db_.Execute(
      "INSERT INTO powerwall_backfill (energy_site_id, state, first_day, done_through, days_done, days_total, "
      "outages_done, started_ms, completed_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (energy_site_id) DO UPDATE SET state = excluded.state, first_day = excluded.first_day, "
      "done_through = excluded.done_through, days_done = excluded.days_done, days_total = excluded.days_total, "
      "outages_done = excluded.outages_done, completed_ms = COALESCE(powerwall_backfill.completed_ms, "
      "excluded.completed_ms), updated_ms = excluded.updated_ms",
      {id, std::string(s.current ? "current" : "backfilling"), ToString(s.first_day),
       s.done_through ? SqlValue(ToString(*s.done_through)) : SqlValue(), std::int64_t{s.days_done},
       std::int64_t{s.days_total}, sdk::ToSql(std::optional<bool>(s.outages_done)), now, s.current ? SqlValue(now) : SqlValue(), now});
}

std::map<std::int64_t, Flows> PowerwallStore::IntervalFlows(std::int64_t id, std::int64_t from_ms, std::int64_t to_ms) {
  const auto rows = db_.Query("SELECT ts_ms" + FlowColumns() +
                                  " FROM powerwall_intervals WHERE energy_site_id = ? AND ts_ms >= ? AND ts_ms < ?",
                              {id, from_ms, to_ms});
  std::map<std::int64_t, Flows> stored;
  for (const auto& r : rows.rows) {
    Flows f{};
    for (std::size_t i = 0; i < kFlowCount; ++i) f[i] = r.Double(i + 1);
    stored[r.Int(0)] = f;
  }
  return stored;
}

void PowerwallStore::StoreDay(std::int64_t id, const DayWindow& w, const DayMerge& merge, std::int64_t now) {
  if (merge.changed.empty()) return;
  const std::string flow_cols = FlowColumns();
  std::string insert_interval =
      "INSERT INTO powerwall_intervals (energy_site_id, ts_ms" + flow_cols + ", updated_ms) VALUES (?, ?";
  for (std::size_t i = 0; i < kFlowCount; ++i) insert_interval += ", ?";
  insert_interval += ", ?) ON CONFLICT (energy_site_id, ts_ms) DO UPDATE SET ";
  for (const auto name : kFlowNames) {
    insert_interval += std::string(name) + "_wh = excluded." + std::string(name) + "_wh, ";
  }
  insert_interval += "updated_ms = excluded.updated_ms";
  const auto total_fields = Fields(merge.totals);
  std::string insert_day = "INSERT INTO powerwall_daily (energy_site_id, local_date, start_ms, end_ms, intervals" +
                           TotalsColumns() + flow_cols + ", hours, updated_ms) VALUES (?, ?, ?, ?, ?";
  for (std::size_t i = 0; i < total_fields.size() + kFlowCount; ++i) insert_day += ", ?";
  insert_day +=
      ", ?, ?) ON CONFLICT (energy_site_id, local_date) DO UPDATE SET start_ms = excluded.start_ms, "
      "end_ms = excluded.end_ms, intervals = excluded.intervals, hours = excluded.hours, ";
  for (const auto& [name, value] : total_fields) {
    insert_day += std::string(name) + " = excluded." + std::string(name) + ", ";
  }
  for (const auto name : kFlowNames) insert_day += std::string(name) + "_wh = excluded." + std::string(name) + "_wh, ";
  insert_day += "updated_ms = excluded.updated_ms";

  db_.InTransaction([&](sdk::Transaction& tx) {
    for (const auto& row : merge.changed) {
      SqlParams p{id, row.timestamp_ms};
      for (const double wh : FlowsOf(row)) p.emplace_back(wh);
      p.emplace_back(now);
      tx.Execute(insert_interval, p);
    }
    SqlParams p{id, ToString(w.date), w.start_ms, w.end_ms, std::int64_t{merge.intervals}};
    for (const auto& [name, value] : total_fields) p.emplace_back(value);
    for (const double wh : merge.flows) p.emplace_back(wh);
    p.emplace_back(merge.hours);
    p.emplace_back(now);
    tx.Execute(insert_day, p);
  });
}

std::optional<std::int64_t> PowerwallStore::OutageDuration(std::int64_t id, std::int64_t started_ms) {
  const auto rows = db_.Query("SELECT duration_s FROM powerwall_outages WHERE energy_site_id = ? AND started_ms = ?",
                              {id, started_ms});
  if (rows.rows.empty()) return std::nullopt;
  return rows.rows[0].Int(0);
}

void PowerwallStore::UpsertOutage(std::int64_t id, const Outage& outage, std::int64_t now) {
  db_.Execute(
      "INSERT INTO powerwall_outages (energy_site_id, started_ms, duration_s, updated_ms) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (energy_site_id, started_ms) DO UPDATE SET duration_s = excluded.duration_s, "
      "updated_ms = excluded.updated_ms",
      {id, outage.started_ms, outage.duration_s, now});
}

std::vector<Interval> PowerwallStore::Intervals(sdk::Transaction& tx, std::int64_t id, std::int64_t from_ms,
                                                std::int64_t to_ms) {
  std::vector<Interval> intervals;
  intervals.reserve(static_cast<std::size_t>(std::max<std::int64_t>(0, (to_ms - from_ms) / kIntervalMs + 1)));
  tx.QueryEach("SELECT ts_ms" + FlowColumns() +
                   " FROM powerwall_intervals WHERE energy_site_id = ? AND ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms",
               {id, from_ms, to_ms}, [&](const SqlRow& r) {
                 Interval interval{r.Int(0), {}};
                 for (std::size_t i = 0; i < kFlowCount; ++i) interval.flows[i] = r.Double(i + 1);
                 intervals.push_back(interval);
               });
  return intervals;
}

std::vector<Interval> PowerwallStore::Intervals(std::int64_t id, std::int64_t from_ms, std::int64_t to_ms) {
  std::vector<Interval> intervals;
  db_.InTransaction([&](sdk::Transaction& tx) { intervals = Intervals(tx, id, from_ms, to_ms); });
  return intervals;
}

std::vector<DayTotal> PowerwallStore::DailyFlows(std::int64_t id, const CivilDate& first, const CivilDate& last) {
  const auto rows = db_.Query("SELECT local_date, intervals" + FlowColumns() +
                                  " FROM powerwall_daily WHERE energy_site_id = ? AND local_date >= ? AND "
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
  return days;
}

// Unpacked, or summed from the intervals when the day has no packed hours yet (stored before schema v2) or
// they are unreadable.
std::vector<Bucket> PowerwallStore::DayHours(sdk::Transaction& tx, std::int64_t id, const local_time::Zone& zone,
                                             const DayRow& day) {
  if (day.hours) {
    if (auto hours = UnpackHours(*day.hours, day.start_ms)) return std::move(*hours);
    log_.Warn("energy site " + std::to_string(id) + ": unreadable hours for " + day.local_date +
              "; summing its intervals instead");
  }
  return BucketIntervals(zone, Resolution::kHour, Intervals(tx, id, day.start_ms, day.end_ms));
}

void PowerwallStore::ForEachDayHours(std::int64_t id, const local_time::Zone& zone, const CivilDate& first,
                                     const CivilDate& last,
                                     const std::function<void(const std::vector<Bucket>&)>& each) {
  db_.InTransaction([&](sdk::Transaction& tx) {
    tx.QueryEach(
        "SELECT local_date, start_ms, end_ms, hours FROM powerwall_daily WHERE energy_site_id = ? AND "
        "local_date >= ? AND local_date <= ? ORDER BY local_date",
        {id, ToString(first), ToString(last)}, [&](const SqlRow& r) {
          each(DayHours(tx, id, zone, DayRow{r.String(0), r.Int(1), r.Int(2), sdk::OptString(r, 3)}));
        });
  });
}

std::vector<Outage> PowerwallStore::Outages(std::int64_t id, std::int64_t from_ms, std::int64_t to_ms) {
  const auto rows = db_.Query(
      "SELECT started_ms, duration_s FROM powerwall_outages WHERE energy_site_id = ? AND started_ms >= ? AND "
      "started_ms < ? ORDER BY started_ms",
      {id, from_ms, to_ms});
  std::vector<Outage> outages;
  for (const auto& r : rows.rows) outages.push_back({r.Int(0), r.Int(1)});
  return outages;
}

int PowerwallStore::PackMissingHours(int batch, SiteZones& zones) {
  const auto rows = db_.Query(
      "SELECT d.local_date, d.start_ms, d.end_ms, d.energy_site_id, s.time_zone FROM powerwall_daily d "
      "JOIN powerwall_sites s ON s.energy_site_id = d.energy_site_id WHERE d.hours IS NULL ORDER BY "
      "d.energy_site_id, d.local_date LIMIT " +
      std::to_string(batch));
  for (const auto& r : rows.rows) {
    const std::int64_t id = r.Int(3);
    const auto zone = zones.For(r.String(4));
    const DayRow day{r.String(0), r.Int(1), r.Int(2), std::nullopt};
    db_.InTransaction([&](sdk::Transaction& tx) {
      tx.Execute("UPDATE powerwall_daily SET hours = ? WHERE energy_site_id = ? AND local_date = ?",
                 {PackHours(*zone, day.start_ms, DayHours(tx, id, *zone, day)), id, day.local_date});
    });
  }
  return static_cast<int>(rows.rows.size());
}

}  // namespace tessie::powerwall
