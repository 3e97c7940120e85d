#!/usr/bin/env python3
"""Energy history benchmark (make bench): a year of one site's data as the powerwall plugin stores it (525,600
1-minute powerwall_states, 105,120 5-minute powerwall_intervals, 365 powerwall_daily rows), queried through the REST API on
loopback (GET /api/energy/sites/:id/history: a year at hour, day and month resolution, a month at 5 minutes), on
SQLite and, when TESSIE_TEST_PG_URL is set, PostgreSQL. Prints a Markdown section with p50/p99 latencies. Figures,
not pass/fail."""
import http.client, json, math, os, shutil, signal, sqlite3, statistics, subprocess, sys, tempfile, time

import benchlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(os.environ.get("TESSIE_BUILD_DIR", os.path.join(ROOT, "build")))
BIN = os.path.join(BUILD, "bin")
PLUGIN = os.path.join(BUILD, "lib", "tessie-stats", "plugins", "libpowerwall.so")
PASSWORD = "bench-energy-password"
SITE = 1689047239870291
ROWS = 525_600
START_MS = 1_735_689_600_000  # 2025-01-01T00:00:00Z
FLOWS = ["solar_energy_exported", "generator_energy_exported", "grid_energy_imported", "grid_services_energy_imported",
         "grid_services_energy_exported", "grid_energy_exported_from_solar", "grid_energy_exported_from_generator",
         "grid_energy_exported_from_battery", "battery_energy_exported", "battery_energy_imported_from_grid",
         "battery_energy_imported_from_solar", "battery_energy_imported_from_generator",
         "consumer_energy_imported_from_grid", "consumer_energy_imported_from_solar",
         "consumer_energy_imported_from_battery", "consumer_energy_imported_from_generator"]
REQUESTS = int(os.environ.get("BENCH_ENERGY_REQUESTS", "60"))


def call(port, method, path, body=None, token=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = "Bearer " + token
    c.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    r = c.getresponse()
    return r.status, r.read()


def start_host(work, storage_url):
    extra = f"plugin_dir: {work}/plugins\n" + (f"storage:\n  url: {storage_url}\n" if storage_url else "")
    return benchlib.start_host(os.path.join(BIN, "tessie-stats"), work, PASSWORD, extra)


def stop(host):
    host.send_signal(signal.SIGTERM)
    host.wait(timeout=60)


ZONE = "America/Los_Angeles"
TOTALS = {  # powerwall_daily totals columns: name -> flow indexes summed (as the plugin's TotalsOf)
    "solar_produced_wh": [0], "home_consumed_wh": [12, 13, 14, 15], "grid_imported_wh": [2],
    "grid_exported_wh": [5, 6, 7], "battery_charged_wh": [9, 10, 11], "battery_discharged_wh": [8],
    "generator_produced_wh": [1], "solar_to_home_wh": [13], "solar_to_battery_wh": [10], "solar_to_grid_wh": [5],
    "battery_to_home_wh": [14], "battery_to_grid_wh": [7], "grid_to_home_wh": [12], "grid_to_battery_wh": [9]}


def model():
    """A year of one site, minute by minute: solar (cloudy every fifth day), home load, a 13.5 kWh Powerwall that
    stores surplus and covers the evening, the grid for the rest. Yields (ts_ms, solar_w, load_w, battery_w (+ out),
    grid_w (+ in), battery_pct, flows_wh[16] of that minute)."""
    capacity, stored = 13_500.0, 6_000.0
    for i in range(ROWS):
        t = START_MS + i * 60_000
        day = i // 1440
        local_hour = ((t // 60_000 - 8 * 60) % 1440) / 60  # PST is close enough for the shape
        sun = max(0.0, math.sin((local_hour - 6) / 13 * math.pi))
        solar = 6000 * sun * (0.35 if day % 5 == 4 else 1.0)
        load = 450 + 900 * (17 <= local_hour < 22) + 300 * (6 <= local_hour < 8)
        surplus = solar - load
        battery = 0.0  # + discharging
        if surplus > 0:
            battery = -min(surplus, 5000, (capacity - stored) * 60)
        elif local_hour >= 16 or local_hour < 6:
            battery = min(-surplus, 5000, max(0.0, stored - 0.2 * capacity) * 60)
        stored -= battery / 60
        grid = load - solar - battery  # + importing
        f = [0.0] * 16
        to_home = min(solar, load)
        f[0] = solar / 60
        f[13] = to_home / 60
        f[10] = max(0.0, -battery) / 60
        f[5] = max(0.0, solar - to_home + min(0.0, battery)) / 60
        f[8] = max(0.0, battery) / 60
        f[14] = max(0.0, battery) / 60
        f[2] = max(0.0, grid) / 60
        f[12] = max(0.0, grid) / 60
        yield t, solar, load, battery, grid, 100 * stored / capacity, f


DAILY_COLUMNS = (["energy_site_id", "local_date", "start_ms", "end_ms", "intervals"] + list(TOTALS) +
                 [f + "_wh" for f in FLOWS] + ["updated_ms"])


def daily_rows(site, intervals, zone_name):
    """powerwall_daily rows (DAILY_COLUMNS, hours left NULL for the host to pack) from 5-minute intervals given as
    (start_ms, flows[16]), summed per local day of `zone_name` as the powerwall plugin does."""
    from zoneinfo import ZoneInfo
    import datetime
    zone = ZoneInfo(zone_name)
    days = {}
    for start, flows in intervals:
        date = datetime.datetime.fromtimestamp(start / 1000, zone).date()
        d = days.setdefault(date, [0, [0.0] * 16])
        d[0] += 1
        for k in range(16):
            d[1][k] += flows[k]
    out = []
    for date, (count, flows) in sorted(days.items()):
        midnight = datetime.datetime.combine(date, datetime.time(), zone)
        next_midnight = datetime.datetime.combine(date + datetime.timedelta(days=1), datetime.time(), zone)
        totals = [sum(flows[k] for k in ks) for ks in TOTALS.values()]
        out.append((site, date.isoformat(), int(midnight.timestamp() * 1000), int(next_midnight.timestamp() * 1000),
                    count, *totals, *flows, START_MS))
    return out


def tables():
    """Rows for powerwall_states (1 minute), powerwall_intervals (5 minutes) and powerwall_daily (local days, hours left NULL
    for the host to pack), as the powerwall plugin would have stored them."""
    from zoneinfo import ZoneInfo
    import datetime
    zone = ZoneInfo(ZONE)
    states, intervals = [], []
    interval = None
    for t, solar, load, battery, grid, pct, f in model():
        raw = json.dumps({"response": {"solar_power": solar, "battery_power": battery, "grid_power": grid,
                                       "load_power": load, "percentage_charged": pct, "grid_status": "Active",
                                       "island_status": "on_grid", "storm_mode_active": False,
                                       "timestamp": datetime.datetime.fromtimestamp(t / 1000, zone).isoformat()}})
        states.append((SITE, t, solar, battery, grid, load, 0.0, pct, pct * 135, 13_500.0, "Active", "on_grid", 0, 1,
                       raw))
        start = t - t % 300_000
        if interval is None or interval[0] != start:
            interval = [start, [0.0] * 16]
            intervals.append(interval)
        for k in range(16):
            interval[1][k] += f[k]
    daily = daily_rows(SITE, intervals, ZONE)
    return {
        "powerwall_states": (["energy_site_id", "ts_ms", "solar_power_w", "battery_power_w", "grid_power_w",
                           "load_power_w", "generator_power_w", "battery_percentage", "energy_left_wh",
                           "total_pack_energy_wh", "grid_status", "island_status", "storm_mode_active",
                           "backup_capable", "raw_data"], states),
        "powerwall_intervals": (["energy_site_id", "ts_ms"] + [f + "_wh" for f in FLOWS] + ["updated_ms"],
                             [(SITE, s, *fl, START_MS) for s, fl in intervals]),
        "powerwall_daily": (DAILY_COLUMNS, daily),
    }


SITE_ROW = ("INSERT INTO powerwall_sites (energy_site_id, site_name, time_zone, has_solar, has_battery, has_grid, "
            f"created_ms, updated_ms) VALUES ({SITE}, 'Bench Home', '{ZONE}', 1, 1, 1, {START_MS}, {START_MS})")


def fill_sqlite(db, data):
    con = sqlite3.connect(db)
    con.execute(SITE_ROW)
    for table, (cols, rows) in data.items():
        con.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['?'] * len(cols))})", rows)
    con.commit()
    con.close()


def fill_postgres(url, data):
    import csv, io
    subprocess.run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-c", SITE_ROW], check=True, stdout=subprocess.DEVNULL)
    for table, (cols, rows) in data.items():
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        subprocess.run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-c",
                        f"\\copy {table} ({', '.join(cols)}) FROM STDIN WITH (FORMAT csv)"],
                       input=buf.getvalue(), text=True, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["psql", url, "-q", "-c", "ANALYZE"], check=True, stdout=subprocess.DEVNULL)


def reset_postgres(url):
    subprocess.run(["psql", url, "-q", "-c",
                    # energy_*: the names before schema v3, left by a bench run of an older build
                    "DROP TABLE IF EXISTS powerwall_sites, powerwall_states, powerwall_intervals, powerwall_daily, "
                    "powerwall_outages, powerwall_backfill, energy_sites, energy_states, energy_intervals, "
                    "energy_daily, energy_outages, energy_backfill; DELETE FROM schema_migrations WHERE owner = 'powerwall'"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def unpacked_days(storage_url, db):
    sql = "SELECT COUNT(*) FROM powerwall_daily WHERE hours IS NULL"
    if storage_url:
        return int(subprocess.run(["psql", storage_url, "-tA", "-c", sql], check=True, capture_output=True,
                                  text=True).stdout.strip())
    con = sqlite3.connect(db)
    n = con.execute(sql).fetchone()[0]
    con.close()
    return n


QUERIES = [  # (resolution, from, to): a whole year at hour, day and month, and a month at 5 minutes
    ("5min", "2025-06-01", "2025-07-01"),
    ("hour", "2025-01-01", "2026-01-01"),
    ("day", "2025-01-01", "2026-01-01"),
    ("month", "2025-01-01", "2026-01-01"),
]


def measure(label, storage_url, data):
    work = tempfile.mkdtemp(prefix="tessie-energy-")
    os.makedirs(os.path.join(work, "plugins"))
    shutil.copy(PLUGIN, os.path.join(work, "plugins"))
    if storage_url:
        reset_postgres(storage_url)
    host, _ = start_host(work, storage_url)  # creates the tables
    stop(host)
    db = os.path.join(work, "data", "tessie.db")
    t0 = time.time()
    if storage_url:
        fill_postgres(storage_url, data)
    else:
        fill_sqlite(db, data)
    fill_s = time.time() - t0
    host, port = start_host(work, storage_url)
    t0 = time.time()
    while unpacked_days(storage_url, db) > 0:  # the plugin's pack-hours job packs each day's hours
        if time.time() - t0 > 300:
            sys.exit("the host did not pack the hours of the stored days within 5 minutes; see " + work)
        time.sleep(0.2)
    pack_s = time.time() - t0
    token = json.loads(call(port, "POST", "/api/auth/login", {"password": PASSWORD})[1])["token"]
    out = []
    for resolution, since, until in QUERIES:
        path = f"/api/energy/sites/{SITE}/history?resolution={resolution}&from={since}&to={until}"
        status, body = call(port, "GET", path, token=token)
        if status != 200:
            sys.exit(f"{path}: {status} {body[:200]}")
        reply = json.loads(body)
        buckets = len(reply["items"])
        solar_kwh = reply["totals"]["solar_produced_wh"] / 1000
        times = []
        for _ in range(REQUESTS):
            t = time.perf_counter()
            call(port, "GET", path, token=token)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        out.append((label, resolution, buckets, statistics.median(times), times[max(0, int(len(times) * 0.99) - 1)],
                    len(body), solar_kwh))
    stop(host)
    if storage_url:
        reset_postgres(storage_url)
    shutil.rmtree(work)
    return out, fill_s, pack_s


def main():
    data = tables()
    results, notes = [], []
    r, fill_s, pack_s = measure("SQLite", "", data)
    results += r
    notes.append(f"SQLite: filled in {fill_s:.1f} s, the host packed the hours of {len(data['powerwall_daily'][1])} days "
                 f"in {pack_s:.1f} s")
    pg = os.environ.get("TESSIE_TEST_PG_URL")
    if pg:
        r, fill_s, pack_s = measure("PostgreSQL 15", pg, data)
        results += r
        notes.append(f"PostgreSQL: filled in {fill_s:.1f} s, hours packed in {pack_s:.1f} s")
    print("## Energy history queries (issue 5)\n")
    print(f"Measured {time.strftime('%Y-%m-%d')} by `make bench` (bench/energy_bench.py). One site, one year "
          f"(2025, {ZONE}): {len(data['powerwall_states'][1]):,} powerwall_states rows (live status every minute), "
          f"{len(data['powerwall_intervals'][1]):,} 5-minute powerwall_intervals and {len(data['powerwall_daily'][1])} "
          f"powerwall_daily rows, written as the plugin stores them; the plugin itself packs each day's hours "
          f"(powerwall_daily.hours) at start. `GET /api/energy/sites/:id/history` through the REST API on loopback "
          f"with a token, {REQUESTS} sequential requests per row after one warm-up; default body (totals per bucket, "
          f"no per-flow breakdown). {'; '.join(notes)}.\n")
    print("| backend | resolution | range | buckets | response | p50 | p99 | target |")
    print("|---|---|---|---|---|---|---|---|")
    for label, res, buckets, p50, p99, size, solar in results:
        span = "a month" if res == "5min" else "a year"
        target = "p99 < 20 ms" if res in ("hour", "day") else "—"
        print(f"| {label} | {res} | {span} | {buckets:,} | {size / 1024:.0f} KB | {p50:.1f} ms | {p99:.1f} ms | "
              f"{target} |")


if __name__ == "__main__":
    main()
