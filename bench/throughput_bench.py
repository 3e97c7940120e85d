#!/usr/bin/env python3
"""Read throughput (make bench, section throughput): GET /api/vehicles/:id/state with a login token while the
host syncs the simulator, next to the minimal Poco server in the same run, and the storage write latency of the
sync jobs with and without that load (from /metrics). Prints a Markdown section. Figures, not pass/fail."""
import os, re, shutil, signal, subprocess, time

from benchlib import call, rss_kb, run_synced, wait_for, wrk

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(os.environ.get("TESSIE_BUILD_DIR", os.path.join(ROOT, "build")))
PASSWORD = "bench-password-1234"
SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))


def write_latency(port, token):
    """(sum, count) of tessie_storage_write_duration_seconds."""
    text = call(port, "GET", "/metrics", token=token)[1].decode()
    total = float(re.search(r"^tessie_storage_write_duration_seconds_sum\S* ([\d.e+-]+)$", text, re.M).group(1))
    count = float(re.search(r"^tessie_storage_write_duration_seconds_count\S* ([\d.e+-]+)$", text, re.M).group(1))
    return total, count


def mean_write_ms(port, token, seconds, during=None):
    s0, c0 = write_latency(port, token)
    result = during() if during else time.sleep(seconds)
    s1, c1 = write_latency(port, token)
    return (1000 * (s1 - s0) / (c1 - c0) if c1 > c0 else float("nan")), int(c1 - c0), result


def main():
    run_synced(BUILD, ROOT, "tessie-throughput-", PASSWORD, measure, speed=60)


def measure(work, sim, host, port, token):
    vid = call(port, "GET", "/api/vehicles", token=token)[1]["items"][0]["id"]
    path = f"/api/vehicles/{vid}/state"
    wait_for(lambda: call(port, "GET", path, token=token)[0] == 200, 60)
    idle_ms, idle_n, _ = mean_write_ms(port, token, SECONDS)
    url = f"http://127.0.0.1:{port}{path}"
    busy_ms, busy_n, (rps, p50, p99, bad) = mean_write_ms(
        port, token, SECONDS, lambda: wrk(url, SECONDS, [f"Authorization: Bearer {token}"]))
    rss = rss_kb(host.pid)
    host.send_signal(signal.SIGTERM)
    host.wait(timeout=30)
    sim.send_signal(signal.SIGTERM)
    sim.wait(timeout=30)
    shutil.rmtree(work)

    mini = subprocess.Popen([os.path.join(BUILD, "bin", "tessie_bench_minimal_poco_server")], stdout=subprocess.PIPE,
                            text=True)
    mport = int(re.search(r":(\d+)", mini.stdout.readline()).group(1))
    mrps, mp50, mp99, _ = wrk(f"http://127.0.0.1:{mport}/", SECONDS)
    mini.send_signal(signal.SIGTERM)
    mini.wait(timeout=10)

    print("## Read throughput (issue 12)\n")
    print(f"Measured {time.strftime('%Y-%m-%d')} by `make bench BENCH=throughput` (bench/throughput_bench.py): "
          f"`wrk -t2 -c32 -d{SECONDS}s` on loopback, the host on SQLite syncing the simulator (test scenario, 60x) "
          "the whole time; wrk and the servers share the 2 cores.\n")
    print("| server | route | requests/s | p50 | p99 | errors |")
    print("|---|---|---|---|---|---|")
    print(f"| tessie-stats | `GET /api/vehicles/:id/state` with a JWT | {rps:,.0f} | {p50} | {p99} | {bad} |")
    print(f"| minimal Poco::Net server | fixed body | {mrps:,.0f} | {mp50} | {mp99} | |")
    print(f"| ratio (target ≥ 0.5) | | {rps / mrps:.2f} | | | |")
    print(f"\nSync writes meanwhile (tessie_storage_write_duration_seconds): {idle_ms:.2f} ms mean over {idle_n} "
          f"transactions without the load, {busy_ms:.2f} ms over {busy_n} under it. Host RSS after the run: "
          f"{rss / 1024:.0f} MB.")


if __name__ == "__main__":
    main()
