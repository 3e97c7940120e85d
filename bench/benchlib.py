"""Small helpers shared by the benchmark scripts."""
import http.client
import os
import socket
import subprocess
import sys
import time


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_host(binary, work, password, extra_config=""):
    """Starts the host with a config listening on a free port, data in work/data, plus `extra_config` (YAML);
    waits until /api/health answers 200. Returns (process, port); exits naming `work` when the host does not."""
    port = free_port()
    cfg = os.path.join(work, "config.yaml")
    with open(cfg, "w") as f:
        f.write(f"server:\n  listen: 127.0.0.1:{port}\ndata_dir: {work}/data\nlog_level: warn\n{extra_config}")
    host = subprocess.Popen([binary, "--config", cfg], env=dict(os.environ, TESSIE_ADMIN_PASSWORD=password),
                            stderr=open(os.path.join(work, "host.log"), "a"))
    for _ in range(600):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/api/health")
            if c.getresponse().status == 200:
                return host, port
        except OSError:
            pass
        if host.poll() is not None:
            sys.exit("host exited; see " + work)
        time.sleep(0.05)
    sys.exit("host did not start; see " + work)


def call(port, method, path, body=None, token=None):
    """One HTTP request to 127.0.0.1:port; returns (status, parsed JSON or raw bytes)."""
    import json
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = "Bearer " + token
    c.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    r = c.getresponse()
    data = r.read()
    return r.status, (json.loads(data) if data and data[:1] in b"{[" else data)


def wait_for(pred, limit_s):
    end = time.time() + limit_s
    while time.time() < end:
        try:
            if pred():
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return pred()


def start_synced(build, root, work, password, speed, scenario="test", extra_config=""):
    """The simulator at `speed` and the host with the shipped plugins, connected and synced once (the cars are
    listed). Returns (sim, host, sim_port, port, token)."""
    import re
    bin_dir = os.path.join(build, "bin")
    sim_log_path = os.path.join(work, "sim.log")
    sim = subprocess.Popen([os.path.join(bin_dir, "tessie-fleet-sim"), "--listen", "127.0.0.1:0", "--scenario",
                            os.path.join(root, "sim", "scenarios", scenario + ".yaml"), "--speed", str(speed)],
                           stdout=open(sim_log_path, "w"), stderr=subprocess.STDOUT)
    wait_for(lambda: "listening" in open(sim_log_path).read(), 10)
    sim_port = int(re.search(r":(\d+)", open(sim_log_path).read()).group(1))
    sim_url = f"http://127.0.0.1:{sim_port}"
    plugins = os.path.join(build, "lib", "tessie-stats", "plugins")
    host, port = start_host(os.path.join(bin_dir, "tessie-stats"), work, password,
                            f"plugin_dir: {plugins}\nclock:\n  simulator_url: {sim_url}\n"
                            f"tesla:\n  base_url: {sim_url}\n  auth_url: {sim_url}/oauth2/v3/token\n"
                            f"  client_id: tessie-stats\n{extra_config}")
    token = call(port, "POST", "/api/auth/login", {"password": password})[1]["token"]
    refresh = call(sim_port, "POST", "/sim/tokens", {})[1]["refresh_token"]
    call(port, "POST", "/api/auth/token", {"refresh_token": refresh}, token)
    call(port, "POST", "/api/sync/trigger", {}, token)
    if not wait_for(lambda: len(call(port, "GET", "/api/vehicles", token=token)[1]["items"]) >= 1, 30):
        sys.exit("no vehicle listed; see " + work)
    return sim, host, sim_port, port, token


def run_synced(build, root, prefix, password, body, **kwargs):
    """start_synced in a fresh temporary folder named `prefix`, then body(work, sim, host, port, token); the host
    and the simulator are killed if still running when body returns or fails."""
    import tempfile
    work = tempfile.mkdtemp(prefix=prefix)
    sim, host, _sim_port, port, token = start_synced(build, root, work, password, **kwargs)
    try:
        body(work, sim, host, port, token)
    finally:
        for proc in (host, sim):
            if proc.poll() is None:
                proc.kill()


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def wrk(url, seconds, headers=(), script=None, connections=32):
    """wrk -t2 -cN on `url`; returns (requests/s, p50, p99, non-2xx/3xx count)."""
    import re
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, p50, p99, int(bad.group(1)) if bad else 0
