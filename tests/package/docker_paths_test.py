#!/usr/bin/env python3
"""deploy/Dockerfile and deploy/compose.yaml cannot be built here (no Docker), so this checks what can go stale:
every path and port they name against the .deb they install and the repository they copy from.

    tests/package/docker_paths_test.py BUILD_DIR SOURCE_DIR HOST_BINARY    (the newest BUILD_DIR/tessie-stats_*.deb)

- COPY sources exist in the build context (the repository root; the .deb glob matches the package's file name),
  COPY destinations (but the /tmp/ staging of the .deb) are files or directories of the package;
- USER is the user the postinst creates; VOLUME, the ENTRYPOINT binary and the --config file are in the package;
- the config copied in validates (tessie-stats --check-config), listens on all interfaces on the EXPOSEd port and
  keeps its data in the VOLUME; its MQTT broker is the compose service, on the port that service's config listens;
- compose builds this Dockerfile from the repository root, mounts the named volume on the VOLUME path, publishes
  the EXPOSEd port, and its bind-mount sources exist; environment variables are ones the host reads.
Exit 1 with one line per problem."""
import fnmatch, os, re, shlex, subprocess, sys, urllib.parse

import yaml

import glob

build, src, host_binary = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
debs = sorted(glob.glob(os.path.join(build, "tessie-stats_*.deb")), key=os.path.getmtime)
if not debs:
    sys.exit(f"FAIL: no tessie-stats_*.deb in {build} (ctest -R package.build, or make package)")
deb = debs[-1]
problems = []


def check(ok, message):
    if not ok:
        problems.append(message)


# --- the package -------------------------------------------------------------------------------------------------
listing = subprocess.run(["dpkg-deb", "-c", deb], check=True, capture_output=True, text=True).stdout
package = set()
for line in listing.splitlines():
    path = line.split(None, 5)[5].split(" -> ")[0]
    package.add("/" + path.lstrip("./").rstrip("/"))
check("/usr/bin/tessie-stats" in package, f"{deb} has no /usr/bin/tessie-stats (is it the package?)")


def in_package(path, what):
    check(path.rstrip("/") in package, f"{what}: {path} is not in the package")


postinst = subprocess.run(["dpkg-deb", "-I", deb, "postinst"], check=True, capture_output=True, text=True).stdout
package_user = re.search(r"^user=(\S+)", postinst, re.M).group(1)

# --- Dockerfile --------------------------------------------------------------------------------------------------
dockerfile = os.path.join(src, "deploy", "Dockerfile")
text = re.sub(r"\\\n", " ", open(dockerfile).read())
instructions = []
for line in text.splitlines():
    line = line.strip()
    if line and not line.startswith("#"):
        word, _, rest = line.partition(" ")
        instructions.append((word.upper(), rest.strip()))


def args(rest):
    rest = rest.strip()
    return yaml.safe_load(rest) if rest.startswith("[") else shlex.split(rest)


copied = {}  # destination -> source
for word, rest in instructions:
    if word == "COPY":
        parts = [a for a in args(rest) if not a.startswith("--")]
        *sources, dest = parts
        for s in sources:
            if "*" in s:
                check(fnmatch.fnmatch(os.path.basename(deb), os.path.basename(s)),
                      f"Dockerfile COPY {s} does not match the package file name {os.path.basename(deb)}")
                check(os.path.isdir(os.path.join(src, os.path.dirname(s))),
                      f"Dockerfile COPY {s}: no {os.path.dirname(s)}/ in the build context")
            else:
                check(os.path.exists(os.path.join(src, s)), f"Dockerfile COPY {s}: not in the repository")
            copied[dest] = s
        if dest != "/tmp/":
            in_package(dest, "Dockerfile COPY destination")

first = {w: r for w, r in reversed(instructions)}
check(first.get("FROM", "").startswith("debian:bookworm"), "Dockerfile is not based on Debian bookworm")
check(first.get("USER") == package_user, f"Dockerfile USER {first.get('USER')} is not the package's {package_user}")
volume = args(first.get("VOLUME", ""))[0] if "VOLUME" in first else None
check(volume is not None, "Dockerfile declares no VOLUME")
if volume:
    in_package(volume, "Dockerfile VOLUME")
exposed = int(first.get("EXPOSE", "0").split("/")[0])
command = args(first.get("ENTRYPOINT", "[]")) + args(first.get("CMD", "[]"))
check(bool(command), "Dockerfile has no ENTRYPOINT/CMD")
in_package(command[0], "Dockerfile ENTRYPOINT")
config_path = command[command.index("--config") + 1] if "--config" in command else None
check(config_path is not None, "the container does not start with --config")
if config_path:
    in_package(config_path, "the container's --config")
    check(config_path in copied, f"the container's config {config_path} is the package's default, not the copied one")

# --- the container's config --------------------------------------------------------------------------------------
mqtt_host = mqtt_port = None
if config_path in copied:
    source = os.path.join(src, copied[config_path])
    config = yaml.safe_load(open(source))
    listen = config["server"]["listen"]
    host, port = listen.rsplit(":", 1)
    check(host == "0.0.0.0", f"{copied[config_path]}: server.listen {listen} is not reachable from outside the container")
    check(int(port) == exposed, f"{copied[config_path]}: listens on {port}, the Dockerfile EXPOSEs {exposed}")
    check(config["data_dir"] == volume, f"{copied[config_path]}: data_dir {config['data_dir']} is not the VOLUME {volume}")
    in_package(config["data_dir"], f"{copied[config_path]} data_dir")
    uncommented = "\n".join(line.split("#")[0] for line in open(source))
    check(not re.search(r"password|secret", uncommented, re.I),
          f"{copied[config_path]} holds a secret; pass it in the environment")
    if config.get("mqtt", {}).get("url"):
        url = urllib.parse.urlparse(config["mqtt"]["url"])
        mqtt_host, mqtt_port = url.hostname, url.port
    # compose.yaml insists on TESSIE_ADMIN_PASSWORD, and --check-config checks that start-up has one.
    r = subprocess.run([host_binary, "--check-config", source], capture_output=True, text=True,
                       env={**os.environ, "TESSIE_ADMIN_PASSWORD": "set-by-compose"})
    check(r.returncode == 0, f"{copied[config_path]} does not validate: {r.stdout}{r.stderr}".strip())

# --- compose -----------------------------------------------------------------------------------------------------
compose_file = os.path.join(src, "deploy", "compose.yaml")
compose = yaml.safe_load(open(compose_file))
base = os.path.dirname(compose_file)
services = compose["services"]
hosts = [n for n, s in services.items() if isinstance(s.get("build"), dict)]
check(len(hosts) == 1, f"compose.yaml: expected one service built from the Dockerfile, found {hosts}")
if hosts:
    svc = services[hosts[0]]
    context = os.path.normpath(os.path.join(base, svc["build"].get("context", ".")))
    check(context == src, f"compose.yaml: build context {context} is not the repository root")
    check(os.path.normpath(os.path.join(context, svc["build"].get("dockerfile", "Dockerfile"))) == dockerfile,
          "compose.yaml: the host is not built from deploy/Dockerfile")
    mounts = [v.split(":") for v in svc.get("volumes", [])]
    check(any(m[1] == volume and m[0] in (compose.get("volumes") or {}) for m in mounts),
          f"compose.yaml: no named volume on {volume}")
    for m in mounts:
        if m[0].startswith((".", "/")):
            check(os.path.exists(os.path.join(base, m[0])), f"compose.yaml: bind-mount source {m[0]} does not exist")
        in_package(m[1], f"compose.yaml {hosts[0]} volume")
    published = [int(str(p).rsplit(":", 1)[1].split("/")[0]) for p in svc.get("ports", [])]
    check(exposed in published, f"compose.yaml: publishes {published}, the container listens on {exposed}")
    known_env = set(re.findall(r"`(TESSIE_[A-Z_]+)`", open(os.path.join(src, "docs", "configuration.md")).read()))
    for name in svc.get("environment", {}):
        check(name in known_env, f"compose.yaml: {name} is not an environment variable the host reads")
    if mqtt_host:
        check(mqtt_host in services, f"the container's mqtt.url names {mqtt_host}, which is not a compose service")
        check(mqtt_host in svc.get("depends_on", []), f"compose.yaml: {hosts[0]} does not depend on {mqtt_host}")
for name, svc in services.items():
    if name in hosts:
        continue
    for v in svc.get("volumes", []):
        source = v.split(":")[0]
        if source.startswith((".", "/")):
            check(os.path.exists(os.path.join(base, source)), f"compose.yaml {name}: {source} does not exist")
            if mqtt_host == name and source.endswith(".conf"):
                listeners = re.findall(r"^listener\s+(\d+)", open(os.path.join(base, source)).read(), re.M)
                check(str(mqtt_port) in listeners, f"{source}: no listener on {mqtt_port}, the host's mqtt.url port")

for p in problems:
    print("FAIL:", p)
print(f"docker paths: {len(package)} package paths, {len(instructions)} Dockerfile instructions, "
      f"{len(services)} compose services checked, {len(problems)} problems")
sys.exit(1 if problems else 0)
