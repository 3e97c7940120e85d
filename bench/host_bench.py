#!/usr/bin/env python3
"""Host benchmarks (make bench): start-up time, idle memory, /api/health throughput next to a minimal Poco
server. Prints a Markdown section; bench/run.sh puts it into docs/benchmarks.md. Figures, not pass/fail."""
import http.client, os, re, shutil, signal, statistics, subprocess, sys, tempfile, time

from benchlib import free_port, rss_kb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(os.environ.get("TESSIE_BUILD_DIR", os.path.join(ROOT, "build")))
BIN = os.path.join(BUILD, "bin")
PLUGINS = os.path.join(BUILD, "lib", "tessie-stats", "plugins")
TEST_PLUGINS = os.path.join(BUILD, "lib", "tessie-stats", "test-plugins")
PASSWORD = "bench-password-1234"


def write_config(work, plugin_dir, port=0):
    path = os.path.join(work, "config.yaml")
    with open(path, "w") as f:
        f.write(f"server:\n  listen: 127.0.0.1:{port}\ndata_dir: {work}/data\nplugin_dir: {plugin_dir}\nlog_level: warn\n")
        if plugin_dir == TEST_PLUGINS:  # only the two working test plugins
            f.write("plugins:\n")
            for name in sorted(os.listdir(plugin_dir)):
                n = name[3:-3]
                if n not in ("example", "listener"):
                    f.write(f"  {n}:\n    enabled: false\n")
    return path


def health(port):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        c.request("GET", "/api/health")
        return c.getresponse().status
    except OSError:
        return 0


def start_host(work, plugin_dir):
    port = free_port()
    cfg = write_config(work, plugin_dir, port)
    env = dict(os.environ, TESSIE_ADMIN_PASSWORD=PASSWORD)
    t0 = time.perf_counter()
    proc = subprocess.Popen([os.path.join(BIN, "tessie-stats"), "--config", cfg], env=env,
                            stderr=open(os.path.join(work, "host.log"), "a"))
    while health(port) != 200:
        if proc.poll() is not None:
            sys.exit("host exited; see " + work)
        time.sleep(0.001)
    return proc, port, (time.perf_counter() - t0) * 1000


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


def wrk(port, seconds):
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{port}/api/health"],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    return rps, p99


def main():
    runs = int(os.environ.get("BENCH_STARTS", "20"))
    wrk_s = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
    rows = []
    for label, plugin_dir in (("shipped plugins", PLUGINS), ("test plugins example + listener", TEST_PLUGINS)):
        nplugins = len([n for n in os.listdir(plugin_dir) if n.endswith(".so")]) if plugin_dir == PLUGINS else 2
        times = []
        for i in range(runs):
            work = tempfile.mkdtemp(prefix="tessie-bench-")
            proc, _, ms = start_host(work, plugin_dir)
            times.append(ms)
            stop(proc)
            shutil.rmtree(work)
        times.sort()
        rows.append((label, nplugins, statistics.median(times), times[int(len(times) * 0.9) - 1], max(times)))

    work = tempfile.mkdtemp(prefix="tessie-bench-")
    proc, port, _ = start_host(work, PLUGINS)
    time.sleep(5)
    idle_rss = rss_kb(proc.pid)
    host_rps, host_p99 = wrk(port, wrk_s)
    busy_rss = rss_kb(proc.pid)
    stop(proc)
    shutil.rmtree(work)

    mini = subprocess.Popen([os.path.join(BIN, "tessie_bench_minimal_poco_server")], stdout=subprocess.PIPE, text=True)
    mport = int(re.search(r":(\d+)", mini.stdout.readline()).group(1))
    mini_rps, mini_p99 = wrk(mport, wrk_s)
    mini.send_signal(signal.SIGTERM)
    mini.wait(timeout=10)

    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    print("## Host (issue 2)\n")
    print(f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores ({cpu}), RelWithDebInfo build, SQLite, "
          f"by `make bench` (bench/host_bench.py).\n")
    print("| start-up: exec → first `/api/health` 200 | plugins | median | p90 | max | target |")
    print("|---|---|---|---|---|---|")
    for label, n, med, p90, mx in rows:
        print(f"| {label} | {n} | {med:.0f} ms | {p90:.0f} ms | {mx:.0f} ms | < 300 ms |")
    print(f"\n({runs} starts each; the time includes opening SQLite, migrations, loading and starting the plugins.)\n")
    print("| memory | RSS | target |")
    print("|---|---|---|")
    print(f"| idle, 5 s after start | {idle_rss / 1024:.1f} MB | < 25 MB |")
    print(f"| after the throughput run | {busy_rss / 1024:.1f} MB | |")
    print(f"\n| `wrk -t2 -c32 -d{wrk_s}s` on loopback | requests/s | p99 latency |")
    print("|---|---|---|")
    print(f"| tessie-stats `GET /api/health` (routing, JSON, the storage probe cached for 1 s) | {host_rps:,.0f} | {host_p99} |")
    print(f"| minimal Poco::Net server, fixed body, same thread settings | {mini_rps:,.0f} | {mini_p99} |")
    print(f"| ratio (target ≥ 0.7) | {host_rps / mini_rps:.2f} | |")
    print("\nwrk and the servers share the same 2 cores, so absolute numbers move with machine load; the ratio is the figure to watch.")


if __name__ == "__main__":
    main()
