#!/usr/bin/env python3
"""Soak (make bench, section soak): SOAK_SECONDS (default 600) of wrk on every GET route at once while the host
syncs the simulator at 600x; meanwhile a prober asks each route in turn and times it. Prints p50/p99 per route
under load, server errors, and the host's RSS before and after. Figures, not pass/fail."""
import http.client, os, shutil, signal, statistics, subprocess, threading, time

from benchlib import call, rss_kb, run_synced, wrk

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(os.environ.get("TESSIE_BUILD_DIR", os.path.join(ROOT, "build")))
PASSWORD = "bench-password-1234"
SECONDS = int(os.environ.get("SOAK_SECONDS", "600"))


def first_id(value):
    if isinstance(value, dict):
        for key in ("id", "energy_site_id", "site_id", "vehicle_id"):
            if value.get(key) is not None:
                return str(value[key])
        for v in value.values():
            found = first_id(v)
            if found:
                return found
    if isinstance(value, list):
        for v in value:
            found = first_id(v)
            if found:
                return found
    return None


def get_paths(port, token):
    paths = []
    for r in call(port, "GET", "/api/routes", token=token)[1]["routes"]:
        if r["method"] != "GET":
            continue
        if r["path"] == "/*path":
            paths += ["/", "/vehicles"]
            continue
        out = ""
        for part in r["path"].strip("/").split("/"):
            if part.startswith(":"):
                status, body = call(port, "GET", out, token=token)
                part = (first_id(body) if status == 200 else None) or "1"
            out += "/" + part
        paths.append(out)
    return paths


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main():
    run_synced(BUILD, ROOT, "tessie-soak-", PASSWORD, soak, speed=600,
               extra_config="plugins:\n  powerwall:\n    backfill_max_days: 7\n")


def soak(work, sim, host, port, token):
    paths = get_paths(port, token)
    script = os.path.join(work, "routes.lua")
    with open(script, "w") as f:
        f.write("local paths = {" + ", ".join('"%s"' % p for p in paths) + "}\nlocal i = 0\n"
                "request = function()\n  i = i + 1\n  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n")
    time.sleep(5)
    rss_before = rss_kb(host.pid)
    result = {}
    load = threading.Thread(target=lambda: result.update(
        w=wrk(f"http://127.0.0.1:{port}/", SECONDS, [f"Authorization: Bearer {token}"], script)))
    load.start()
    times = {p: [] for p in paths}
    server_errors = 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    end = time.time() + SECONDS - 1
    while time.time() < end:
        for p in paths:
            t0 = time.perf_counter()
            try:
                conn.request("GET", p, headers={"Authorization": "Bearer " + token})
                r = conn.getresponse()
                r.read()
                if r.status >= 500:
                    server_errors += 1
            except OSError:
                server_errors += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            times[p].append((time.perf_counter() - t0) * 1000)
    load.join()
    rss_after = rss_kb(host.pid)
    alive = host.poll() is None
    host.send_signal(signal.SIGTERM)
    host.wait(timeout=60)
    sim.send_signal(signal.SIGTERM)
    sim.wait(timeout=30)
    shutil.rmtree(work)
    rps, p50, p99, bad = result["w"]

    print("## Soak (issue 12)\n")
    print(f"Measured {time.strftime('%Y-%m-%d')} by `make bench BENCH=soak` (bench/soak_bench.py): {SECONDS} s of "
          f"`wrk -t2 -c32` rotating over all {len(paths)} GET routes with a login token while the host syncs the "
          "simulator (test scenario, 600x) on SQLite; a prober meanwhile asks each route in turn on one kept-alive "
          "connection and times it. wrk, prober, simulator and host share the 2 cores.\n")
    print(f"- wrk: {rps:,.0f} requests/s, p50 {p50}, p99 {p99}; non-2xx answers: {bad} (404s of list routes "
          "without items count here)")
    print(f"- server errors (5xx or no answer) seen by the prober: {server_errors}; host alive at the end: "
          f"{'yes' if alive else 'NO'}")
    print(f"- host RSS: {rss_before / 1024:.0f} MB before, {rss_after / 1024:.0f} MB after\n")
    print("| route (as asked) | samples | p50 | p99 |")
    print("|---|---|---|---|")
    for p in paths:
        if times[p]:
            print(f"| `{p}` | {len(times[p])} | {statistics.median(times[p]):.1f} ms | "
                  f"{percentile(times[p], 0.99):.1f} ms |")


if __name__ == "__main__":
    main()
