// The powerwall plugin's schema history. v1 and v2 are applied on existing installs exactly as they were
// written (they name the tables energy_*); v3 renames the tables to powerwall_*.
#include "powerwall_store.hpp"

namespace tessie::powerwall {
// Column comments state the sign conventions; SQLite keeps them in the schema text, PostgreSQL gets
// COMMENT ON statements as well.
std::vector<sdk::Migration> PowerwallStore::Migrations(sdk::Backend backend) {
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
  if (backend == sdk::Backend::kPostgres) {
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
  // v3: the tables take the plugin's name as their prefix (docs/plugins.md). ALTER TABLE ... RENAME keeps the rows,
  // indexes and constraints on SQLite and PostgreSQL alike; index names stay as v1 created them.
  std::string v3;
  for (const char* table : {"sites", "states", "intervals", "daily", "outages", "backfill"}) {
    v3 += std::string(v3.empty() ? "" : ";\n") + "ALTER TABLE energy_" + table + " RENAME TO powerwall_" + table;
  }
  return {{1, "energy sites, live states, intervals, daily totals, outages, backfill progress", v1},
          {2, "hour buckets of each day in energy_daily.hours", v2},
          {3, "tables renamed from energy_* to powerwall_*", v3}};
}

}  // namespace tessie::powerwall
