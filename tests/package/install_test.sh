#!/usr/bin/env bash
# Installs the .deb built in BUILD_DIR into a throwaway root with the real dpkg, runs the installed host with the
# installed config as the package's system user, then removes (data stays) and purges (data goes) it.
#
#   tests/package/install_test.sh BUILD_DIR      (ctest: package.install, after package.build made the .deb)
#
# The throwaway root is /tmp/tessie-package-install.XXXXXX/root (removed afterwards; logs kept in
# BUILD_DIR/test-runs/package-install). dpkg runs with --root and
# --force-script-chrootless, so the maintainer scripts run on this machine with DPKG_ROOT set to it: the user is
# created with useradd --prefix in root/etc/passwd, and nothing outside the root changes (no user, no /etc, no
# unit). The dpkg database there starts as a copy of this machine's status file, so the package's Depends are
# checked against what is really installed (that is what the installed binary runs against).
#
# Two things differ from a real installation, both unavoidable without a container: the host runs from
# root/usr/bin (plugins are found next to it as on a real system: <bin>/../lib/tessie-stats/plugins), and it runs
# with a copy of the installed config in which exactly two lines differ: server.listen (a free port instead of
# 8080) and data_dir (root/var/lib/tessie-stats instead of /var/lib/tessie-stats). --check-config checks that copy
# (it checks the data_dir too, which exists only inside the throwaway root), with the env file, as the unit does.
set -euo pipefail

build=$(cd "${1:?usage: install_test.sh BUILD_DIR}" && pwd)
# The service user must reach the installed files and the run config: a directory of its own under /tmp (the
# checkout may sit below a directory only root can enter). Its logs are kept in BUILD_DIR/test-runs.
logs="$build/test-runs/package-install"
run=$(mktemp -d /tmp/tessie-package-install.XXXXXX)
root="$run/root"
dpkglog="$run/dpkg.log"
host_pid=""

fail() {
  echo "FAIL: $*" >&2
  [[ -s "$run/host.log" ]] && { echo "--- end of host.log:" >&2; tail -n 30 "$run/host.log" >&2; }
  exit 1
}
step() { echo "== $*"; }
cleanup() {
  [[ -n "$host_pid" ]] && kill -KILL "$host_pid" 2>/dev/null || true
  rm -rf "$logs"
  mkdir -p "$logs"
  cp "$run"/*.log "$run"/*.out "$run"/*.json "$logs"/ 2>/dev/null || true
  rm -rf "$run"
}
trap cleanup EXIT

[[ $(id -u) -eq 0 ]] || fail "run as root: dpkg --root creates the package's system user inside the throwaway root"
deb=$(ls -t "$build"/tessie-stats_*.deb 2>/dev/null | head -1 || true)
[[ -f "$deb" ]] || fail "no tessie-stats_*.deb in $build (ctest -R package.build, or make package)"
echo "package: $deb ($(du -h "$deb" | cut -f1))"

mkdir -p "$root/etc" "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
chmod 755 "$run" "$root"

# --- the throwaway root ----------------------------------------------------------------------------------------
# (without tessie-stats itself, should it be installed on this machine)
awk 'BEGIN { RS = ""; ORS = "\n\n" } !/^Package: tessie-stats\n/' /var/lib/dpkg/status > "$root/var/lib/dpkg/status"
: > "$root/var/lib/dpkg/available"
# Empty file lists for the packages in the copied status, so dpkg does not warn about each one.
dpkg-query -W -f='${db:Status-Abbrev} ${binary:Package}\n' | awk '$1 ~ /^.i/ { print $2 }' |
  while read -r p; do : > "$root/var/lib/dpkg/info/$p.list"; done
grep -E '^(root|daemon|bin|sys|nobody):' /etc/passwd > "$root/etc/passwd"
grep -E '^(root|daemon|bin|sys|adm|nogroup):' /etc/group > "$root/etc/group"
awk -F: '{ print $1 ":*:19000:0:99999:7:::" }' "$root/etc/passwd" > "$root/etc/shadow"
awk -F: '{ print $1 ":*::" }' "$root/etc/group" > "$root/etc/gshadow"
chmod 640 "$root/etc/shadow" "$root/etc/gshadow"
[[ -f /etc/login.defs ]] && cp /etc/login.defs "$root/etc/login.defs"
real_passwd=$(sha256sum /etc/passwd /etc/group)

rdpkg() { dpkg --root="$root" --force-script-chrootless --log="$dpkglog" "$@"; }

# --- install -----------------------------------------------------------------------------------------------------
step "dpkg --install"
rdpkg --install "$deb" > "$run/dpkg-install.out" 2>&1 || { cat "$run/dpkg-install.out" >&2; fail "dpkg --install failed"; }
grep -q "admin password is in /etc/tessie-stats/tessie-stats.env" "$run/dpkg-install.out" ||
  fail "postinst did not say where the admin password is"
[[ "$(dpkg-query --root="$root" -W -f='${db:Status-Abbrev}' tessie-stats)" == "ii " ]] ||
  fail "tessie-stats is not installed and configured in the throwaway root"
[[ "$(sha256sum /etc/passwd /etc/group)" == "$real_passwd" ]] || fail "the real /etc/passwd or /etc/group changed"

step "installed layout"
[[ -x "$root/usr/bin/tessie-stats" ]] || fail "/usr/bin/tessie-stats missing"
[[ -f "$root/usr/lib/tessie-stats/libtessie_storage_postgresql.so" ]] || fail "the PostgreSQL storage module is missing"
mapfile -t plugins < <(find "$root/usr/lib/tessie-stats/plugins" -name 'lib*.so' -printf '%f\n' |
  sed 's/^lib//; s/\.so$//' | sort)
echo "plugins in the package: ${plugins[*]}"
for p in vehicle charging drivers powerwall solar; do
  [[ " ${plugins[*]} " == *" $p "* ]] || fail "plugin $p is not in /usr/lib/tessie-stats/plugins"
done
[[ ! -e "$root/usr/lib/tessie-stats/test-plugins" ]] || fail "test plugins were packaged"
dpkg-query --root="$root" -W -f='${Conffiles}\n' tessie-stats | grep -q '/etc/tessie-stats/config.yaml' ||
  fail "/etc/tessie-stats/config.yaml is not a conffile"
unit="$root/lib/systemd/system/tessie-stats.service"
[[ -f "$unit" ]] || fail "the systemd unit is not in /lib/systemd/system"
for line in User=tessie-stats ProtectSystem=strict NoNewPrivileges=yes ReadWritePaths=/var/lib/tessie-stats \
  PrivateTmp=yes ProtectHome=yes 'ExecStart=/usr/bin/tessie-stats --config /etc/tessie-stats/config.yaml'; do
  grep -qxF "$line" "$unit" || fail "the unit lacks '$line'"
done
if command -v systemd-analyze > /dev/null && [[ -d /lib/systemd/system ]]; then
  # A root of its own for the check: this machine's units (the targets the unit depends on) plus the installed
  # unit and binary. Any message (an unknown key, a bad value: verify still exits 0 for those) fails.
  verify="$run/verify-root"
  mkdir -p "$verify/lib/systemd" "$verify/usr/bin"
  cp -a /lib/systemd/system "$verify/lib/systemd/"
  cp "$unit" "$verify/lib/systemd/system/"
  cp "$root/usr/bin/tessie-stats" "$verify/usr/bin/"
  if ! systemd-analyze verify --root="$verify" /lib/systemd/system/tessie-stats.service > "$run/systemd-verify.out" 2>&1 ||
    [[ -s "$run/systemd-verify.out" ]]; then
    cat "$run/systemd-verify.out" >&2
    fail "systemd-analyze verify complains about the unit"
  fi
  rm -rf "$verify"
fi

step "system user and permissions"
entry=$(grep '^tessie-stats:' "$root/etc/passwd") || fail "postinst did not create the user tessie-stats"
IFS=: read -r _ _ uid gid _ home shell <<< "$entry"
(( uid > 0 && uid < 1000 )) || fail "tessie-stats is not a system user (uid $uid)"
[[ "$shell" == /usr/sbin/nologin && "$home" == /var/lib/tessie-stats ]] || fail "user entry: $entry"
grep -q "^tessie-stats:x:$gid:" "$root/etc/group" || fail "no group tessie-stats with gid $gid"
[[ "$(stat -c '%u:%g %a' "$root/var/lib/tessie-stats")" == "$uid:$gid 750" ]] ||
  fail "data dir: $(stat -c '%u:%g %a' "$root/var/lib/tessie-stats"), expected $uid:$gid 750"
[[ "$(stat -c '%u:%g %a' "$root/etc/tessie-stats/config.yaml")" == "0:$gid 640" ]] ||
  fail "config.yaml: $(stat -c '%u:%g %a' "$root/etc/tessie-stats/config.yaml"), expected 0:$gid 640"
envfile="$root/etc/tessie-stats/tessie-stats.env"
[[ "$(stat -c '%u %a' "$envfile")" == "0 600" ]] || fail "tessie-stats.env: $(stat -c '%u %a' "$envfile"), expected 0 600"
password=$(sed -n 's/^TESSIE_ADMIN_PASSWORD=//p' "$envfile")
(( ${#password} >= 16 )) || fail "the generated admin password is missing or short"

as_service() { setpriv --reuid="$uid" --regid="$gid" --clear-groups --no-new-privs "$@"; }

step "run the installed host"
config="$run/run-config.yaml"
sed -e 's#^  listen: 127\.0\.0\.1:8080 #  listen: 127.0.0.1:0    #' \
  -e "s#^data_dir: /var/lib/tessie-stats #data_dir: $root/var/lib/tessie-stats #" \
  "$root/etc/tessie-stats/config.yaml" > "$config"
changed=$(diff "$root/etc/tessie-stats/config.yaml" "$config" | grep -c '^>' || true)
[[ "$changed" == 2 ]] || fail "expected to rewrite exactly server.listen and data_dir in the config copy, changed $changed"
chmod 644 "$config"

# As the unit's ExecStartPre runs it: the service user, the env file, the data dir systemd made (here the
# throwaway root's, the one change above besides the port).
step "--check-config on the installed config, as the service user with the env file"
(
  set -a
  # shellcheck disable=SC1090
  . "$envfile"
  exec setpriv --reuid="$uid" --regid="$gid" --clear-groups --no-new-privs \
    "$root/usr/bin/tessie-stats" --check-config "$config"
) > "$run/check.out" 2>&1 || { cat "$run/check.out" >&2; fail "the installed config does not validate"; }
grep -q "OK (${#plugins[@]} plugin(s) enabled)" "$run/check.out" || fail "check-config: $(cat "$run/check.out")"
(
  umask 077
  set -a
  # shellcheck disable=SC1090
  . "$envfile"
  exec setpriv --reuid="$uid" --regid="$gid" --clear-groups --no-new-privs \
    "$root/usr/bin/tessie-stats" --config "$config"
) > "$run/host.log" 2>&1 &
host_pid=$!
port=""
for _ in $(seq 1 300); do
  kill -0 "$host_pid" 2> /dev/null || fail "the installed host exited"
  port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$run/host.log" | grep -o '[0-9]*$' || true)
  [[ -n "$port" ]] && curl -fsS "http://127.0.0.1:$port/api/health" > "$run/health.json" 2> /dev/null && break
  sleep 0.1
done
[[ -s "$run/health.json" ]] || fail "GET /api/health never answered 200"
api="http://127.0.0.1:$port"
python3 - "$run/health.json" << 'EOF' || fail "health is not ready"
import json, sys
h = json.load(open(sys.argv[1]))
assert h["ready"] is True and h["status"] == "ok", h
assert h["storage"]["backend"] == "sqlite" and h["storage"]["ok"] is True, h
EOF
token=$(curl -fsS -X POST "$api/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"password\":\"$password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])') ||
  fail "cannot log in with the generated admin password"
curl -fsS "$api/api/plugins" -H "Authorization: Bearer $token" > "$run/plugins.json" || fail "GET /api/plugins failed"
python3 - "$run/plugins.json" "${plugins[@]}" << 'EOF' || fail "not every packaged plugin is running"
import json, sys
listed = {p["name"]: p for p in json.load(open(sys.argv[1]))["plugins"]}
expected = sys.argv[2:]
for name in expected:
    assert name in listed, f"{name} is packaged but not in /api/plugins"
    assert listed[name]["state"] == "running", f"{name}: {listed[name]['state']} {listed[name]['error']}"
assert set(listed) == set(expected), f"/api/plugins lists {sorted(listed)}, the package has {expected}"
print(f"/api/plugins: {len(expected)} plugins running")
EOF
# The installed dashboard: its page, and one of the hashed scripts the page names.
curl -fsS "$api/" > "$run/index.html" || fail "GET / (the dashboard) failed"
grep -q '<div id="root">' "$run/index.html" || fail "GET / is not the dashboard page"
script=$(grep -o '/assets/index-[^"]*\.js' "$run/index.html" | head -1)
[[ -n "$script" ]] && curl -fsS "$api$script" -o /dev/null || fail "the dashboard's script $script is not served"
echo "dashboard: / and $script served from the package"
data="$root/var/lib/tessie-stats"
for f in jwt-secret.key encryption.key; do
  [[ "$(stat -c '%u %a' "$data/$f")" == "$uid 600" ]] || fail "$f: $(stat -c '%u %a' "$data/$f"), expected $uid 600"
done
[[ -s "$data/tessie.db" ]] || fail "no SQLite database in the data dir"
[[ "$(stat -c '%a' "$data")" == 700 ]] || fail "the host did not narrow the data dir to 0700"
kill -TERM "$host_pid"
status=0
wait "$host_pid" || status=$?
host_pid=""
[[ $status -eq 0 ]] || fail "the host exited with $status on SIGTERM"
for secret in "$password" "$(cat "$data/jwt-secret.key")" "$(cat "$data/encryption.key")"; do
  ! grep -qF "$secret" "$run/host.log" || fail "a secret is in the host log"
done

step "the installed PostgreSQL module loads (a closed port: the connection fails, not the module)"
pg_status=0
TESSIE_ADMIN_PASSWORD="$password" TESSIE_STORAGE_URL="postgresql://tessie:unused@127.0.0.1:1/none" \
  setpriv --reuid="$uid" --regid="$gid" --clear-groups --no-new-privs \
  "$root/usr/bin/tessie-stats" --config "$config" > "$run/host-pg.log" 2>&1 || pg_status=$?
[[ $pg_status -eq 1 ]] || fail "with an unreachable PostgreSQL the host exited $pg_status, expected 1"
grep -q 'cannot open the database postgresql://127.0.0.1:1/none: .*Connection refused' "$run/host-pg.log" ||
  fail "no connection error from the PostgreSQL module: $(tail -n 3 "$run/host-pg.log")"
! grep -q "PostgreSQL support is not installed" "$run/host-pg.log" || fail "the host did not find the PostgreSQL module"

step "dpkg --remove keeps the data, the config and the user"
rdpkg --remove tessie-stats > "$run/dpkg-remove.out" 2>&1 || { cat "$run/dpkg-remove.out" >&2; fail "dpkg --remove"; }
[[ ! -e "$root/usr/bin/tessie-stats" && ! -e "$root/usr/lib/tessie-stats/plugins" ]] || fail "binaries left after remove"
[[ -s "$data/tessie.db" && -s "$data/jwt-secret.key" ]] || fail "remove deleted the data"
[[ -f "$root/etc/tessie-stats/config.yaml" && -f "$envfile" ]] || fail "remove deleted the config"
grep -q '^tessie-stats:' "$root/etc/passwd" || fail "remove deleted the user"

step "reinstalling after remove picks up the data, the password and the user"
rdpkg --install "$deb" > "$run/dpkg-reinstall.out" 2>&1 || { cat "$run/dpkg-reinstall.out" >&2; fail "reinstall"; }
[[ "$(sed -n 's/^TESSIE_ADMIN_PASSWORD=//p' "$envfile")" == "$password" ]] || fail "reinstalling replaced the password"
[[ "$(grep '^tessie-stats:' "$root/etc/passwd")" == "$entry" ]] || fail "reinstalling changed the user"
[[ "$(stat -c '%u:%g' "$data/tessie.db")" == "$uid:$gid" ]] || fail "reinstalling lost the database"
! grep -q "admin password is in" "$run/dpkg-reinstall.out" || fail "reinstalling generated a new password"

step "dpkg --purge deletes the data, the config and the user"
rdpkg --purge tessie-stats > "$run/dpkg-purge.out" 2>&1 || { cat "$run/dpkg-purge.out" >&2; fail "dpkg --purge"; }
[[ ! -e "$data" ]] || fail "purge left /var/lib/tessie-stats"
[[ ! -e "$root/etc/tessie-stats" ]] || fail "purge left /etc/tessie-stats: $(ls -A "$root/etc/tessie-stats")"
! grep -q '^tessie-stats:' "$root/etc/passwd" "$root/etc/group" "$root/etc/shadow" || fail "purge left the user or group"
[[ -z "$(dpkg-query --root="$root" -W -f='${db:Status-Abbrev}' tessie-stats 2> /dev/null | tr -d ' ')" ||
  "$(dpkg-query --root="$root" -W -f='${db:Status-Abbrev}' tessie-stats)" == "un " ]] || fail "package still known"
[[ "$(sha256sum /etc/passwd /etc/group)" == "$real_passwd" ]] || fail "the real /etc/passwd or /etc/group changed"
echo "PASS: install, run (${#plugins[@]} plugins), remove, reinstall, purge"
