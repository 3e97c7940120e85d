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
