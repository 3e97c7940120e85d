#!/usr/bin/env python3
"""Energy history benchmark (make bench): one year of 1-minute energy rows (525,600) for one site, queried through
the REST API on loopback (GET /api/energy/sites/:id/history, a whole year at hour and at day resolution), on SQLite
and on PostgreSQL. Prints a Markdown section with p50/p99 latencies. Figures, not pass/fail.
The powerwall plugin stores 5-minute intervals; the benchmark fills that table at 1-minute spacing, five times the
rows a real year has, so the query path is measured at the size the issue names."""
import http.client, json, math, os, shutil, signal, sqlite3, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("TESSIE_BUILD_DIR", os.path.join(ROOT, "build"))
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


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def start_host(work, storage_url):
    port = free_port()
    cfg = os.path.join(work, "config.yaml")
    with open(cfg, "w") as f:
        f.write(f"server:\n  listen: 127.0.0.1:{port}\ndata_dir: {work}/data\nplugin_dir: {work}/plugins\nlog_level: warn\n")
        if storage_url:
            f.write(f"storage:\n  url: {storage_url}\n")
    host = subprocess.Popen([os.path.join(BIN, "tessie-stats"), "--config", cfg],
                            env=dict(os.environ, TESSIE_ADMIN_PASSWORD=PASSWORD),
                            stderr=open(os.path.join(work, "host.log"), "a"))
    for _ in range(300):
        try:
            if call(port, "GET", "/api/health")[0] == 200:
                return host, port
        except OSError:
            pass
        if host.poll() is not None:
            sys.exit("host exited; see " + work)
        time.sleep(0.05)
    sys.exit("host did not start")


def stop(host):
    host.send_signal(signal.SIGTERM)
    host.wait(timeout=60)


def rows():
    for i in range(ROWS):
        t = START_MS + i * 60_000
        hour = (t // 3_600_000) % 24
        sun = max(0.0, math.sin((hour - 6) / 12 * math.pi))
        solar = 80 * sun
        home = 12 + 6 * (hour >= 17)
        vals = [0.0] * 16
        vals[0] = solar
        vals[13] = min(solar, home)
        vals[12] = max(0.0, home - solar)
        vals[2] = vals[12]
        vals[5] = max(0.0, solar - home)
        yield [SITE, t] + vals + [t]


def fill_sqlite(db):
    con = sqlite3.connect(db)
    con.execute("INSERT OR REPLACE INTO energy_sites (energy_site_id, site_name, time_zone, has_solar, has_battery, "
                "has_grid, created_ms, updated_ms) VALUES (?, ?, ?, 1, 1, 1, ?, ?)",
                (SITE, "Bench Home", "America/Los_Angeles", START_MS, START_MS))
    cols = ", ".join(["energy_site_id", "ts_ms"] + [f + "_wh" for f in FLOWS] + ["updated_ms"])
    con.executemany(f"INSERT INTO energy_intervals ({cols}) VALUES ({', '.join(['?'] * 19)})", rows())
    con.commit()
    con.close()


def fill_postgres(url):
    flows = ", ".join(f + "_wh" for f in FLOWS)
    hour = "((t / 3600000) % 24)"
    sun = f"GREATEST(0, sin(({hour} - 6) / 12.0 * pi()))"
    solar = f"80 * {sun}"
    home = f"(12 + 6 * ({hour} >= 17)::int)"
    values = [f"{solar}", "0", f"GREATEST(0, {home} - {solar})", "0", "0", f"GREATEST(0, {solar} - {home})", "0", "0", "0",
              "0", "0", "0", f"GREATEST(0, {home} - {solar})", f"LEAST({solar}, {home})", "0", "0"]
    sql = (f"INSERT INTO energy_sites (energy_site_id, site_name, time_zone, has_solar, has_battery, has_grid, created_ms, "
           f"updated_ms) VALUES ({SITE}, 'Bench Home', 'America/Los_Angeles', 1, 1, 1, {START_MS}, {START_MS}) "
           f"ON CONFLICT DO NOTHING;"
           f"INSERT INTO energy_intervals (energy_site_id, ts_ms, {flows}, updated_ms) SELECT {SITE}, t, "
           f"{', '.join(values)}, t FROM (SELECT {START_MS}::bigint + g * 60000 AS t FROM generate_series(0, {ROWS - 1}) g) s;")
    subprocess.run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, stdout=subprocess.DEVNULL)


def reset_postgres(url):
    subprocess.run(["psql", url, "-q", "-c",
                    "DROP TABLE IF EXISTS energy_sites, energy_states, energy_intervals, energy_daily, energy_outages, "
                    "energy_backfill; DELETE FROM schema_migrations WHERE owner = 'powerwall'"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(label, storage_url):
    work = tempfile.mkdtemp(prefix="tessie-energy-")
    os.makedirs(os.path.join(work, "plugins"))
    shutil.copy(PLUGIN, os.path.join(work, "plugins"))
    if storage_url:
        reset_postgres(storage_url)
    host, _ = start_host(work, storage_url)  # creates the tables
    stop(host)
    t0 = time.time()
    if storage_url:
        fill_postgres(storage_url)
    else:
        fill_sqlite(os.path.join(work, "data", "tessie.db"))
    fill_s = time.time() - t0
    host, port = start_host(work, storage_url)
    token = json.loads(call(port, "POST", "/api/auth/login", {"password": PASSWORD})[1])["token"]
    out = []
    # Day and month resolution read the energy_daily table, which this benchmark does not fill (yet).
    for resolution in ("hour",):
        path = f"/api/energy/sites/{SITE}/history?resolution={resolution}&from=2025-01-01&to=2025-12-31"
        status, body = call(port, "GET", path, token=token)
        if status != 200:
            sys.exit(f"{path}: {status} {body[:200]}")
        buckets = len(json.loads(body)["items"])
        times = []
        for _ in range(REQUESTS):
            t = time.perf_counter()
            call(port, "GET", path, token=token)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        out.append((label, resolution, buckets, statistics.median(times), times[max(0, int(len(times) * 0.99) - 1)],
                    len(body)))
    stop(host)
    if storage_url:
        reset_postgres(storage_url)
    shutil.rmtree(work)
    return out, fill_s


def main():
    results = []
    r, _ = measure("SQLite", "")
    results += r
    pg = os.environ.get("TESSIE_TEST_PG_URL")
    if pg:
        r, _ = measure("PostgreSQL 15", pg)
        results += r
    print("## Energy history queries (issue 5)\n")
    print(f"Measured {time.strftime('%Y-%m-%d')} by `make bench` (bench/energy_bench.py): {ROWS:,} energy rows (a year at "
          f"1-minute spacing) for one site; `GET /api/energy/sites/:id/history` for the whole year through the REST API on "
          f"loopback, {REQUESTS} requests each after one warm-up, sequential. Day and month resolution read the "
          f"pre-aggregated energy_daily table and are not measured here yet.\n")
    print("| backend | resolution | buckets | response | p50 | p99 | target |")
    print("|---|---|---|---|---|---|---|")
    for label, res, buckets, p50, p99, size in results:
        print(f"| {label} | {res} | {buckets:,} | {size / 1024:.0f} KB | {p50:.1f} ms | {p99:.1f} ms | p99 < 20 ms |")


if __name__ == "__main__":
    main()
