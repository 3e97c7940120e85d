#!/usr/bin/env bash
# make demo as a newcomer runs it (deploy/demo.sh, in a data directory of its own on free ports): its config passes
# --check-config; the password it prints logs in the way the login form does (password only); the mosquitto_sub
# command it prints shows Home Assistant discovery messages for the simulated cars and site; the solar plugin
# reports money saved in the charging plugin's currency; Ctrl-C stops the simulator, Mosquitto and the host.
#   tests/demo_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$1
build_dir=$2
fail() { echo "FAIL: $*" >&2; [[ -f $run/out ]] && { echo "--- demo output:" >&2; cat "$run/out" >&2; }; exit 1; }

run=$(mktemp -d "$build_dir/demo-test.XXXXXX")
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
demo_pid=
cleanup() {
  if [[ -n $demo_pid ]] && kill -0 "$demo_pid" 2>/dev/null; then kill -INT -- "-$demo_pid" 2>/dev/null || true; sleep 1; kill -KILL -- "-$demo_pid" 2>/dev/null || true; fi
  rm -rf "$run"
}
trap cleanup EXIT

# A session of its own, as a terminal's foreground job would be, so that Ctrl-C can be sent to all of it.
DEMO_DATA=$run/data DEMO_PORT=$port DEMO_BUILD=$build_dir setsid bash "$source_dir/deploy/demo.sh" > "$run/out" 2>&1 &
demo_pid=$!
for _ in $(seq 1 600); do
  grep -q "Ctrl-C stops it" "$run/out" && break
  kill -0 "$demo_pid" 2>/dev/null || fail "deploy/demo.sh exited early"
  sleep 0.1
done
grep -q "Ctrl-C stops it" "$run/out" || fail "the demo did not say it is running"
api=http://127.0.0.1:$port

# Checked as the demo starts the host: with the admin password it keeps in its data directory.
TESSIE_ADMIN_PASSWORD=$(cat "$run/data/admin-password") "$build_dir/bin/tessie-stats" --check-config \
  "$run/data/config.yaml" > /dev/null || fail "its config fails --check-config"

# The password line, and a login with nothing but that password (what the form sends).
grep -q "admin /" "$run/out" && fail "the demo prints a user name the login form does not ask for"
password=$(sed -n 's/^ *password: *\([^ ]*\).*/\1/p' "$run/out")
[[ -n $password ]] || fail "no password line"
token=$(curl -fsS -X POST "$api/api/auth/login" -H 'Content-Type: application/json' -d "{\"password\":\"$password\"}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])') || fail "the printed password does not log in"
grep -qi "two Powerwalls" "$run/out" && fail "the demo says two Powerwalls for one site with two batteries"
grep -q "one Powerwall site" "$run/out" || fail "the demo does not say what the simulated account holds"

# The printed mosquitto_sub command shows a discovery config per car and per site.
sub=$(grep -o "mosquitto_sub -h 127.0.0.1 -p [0-9]* -t 'homeassistant/#' -v" "$run/out" | head -n 1)
[[ -n $sub ]] || fail "the demo prints no mosquitto_sub command for the discovery messages"
# (Configs are retained: each look gets all published so far; look again until the three devices are there.)
devices="tessie_5yj3e1ea7pf000101 tessie_7saygdee5pf000202 tessie_site_1689047239870291"
for _ in $(seq 1 30); do
  eval "timeout 10 $sub -W 3" > "$run/discovery" 2>/dev/null || true
  missing=
  for device in $devices; do
    grep -q "^homeassistant/device/$device/config {" "$run/discovery" || missing="$missing $device"
  done
  [[ -z $missing ]] && break
done
[[ -z $missing ]] || fail "no discovery config on the demo's broker for:$missing"

# Solar savings in the charging plugin's currency, once the site's first intervals are stored.
stats=
for _ in $(seq 1 240); do
  stats=$(curl -fsS "$api/api/energy/solar/stats" -H "Authorization: Bearer $token" 2>/dev/null) && break
  stats=
  sleep 0.5
done
[[ -n $stats ]] || fail "the solar plugin reported no statistics"
charging=$(curl -fsS "$api/api/charging/stats" -H "Authorization: Bearer $token")
python3 - "$stats" "$charging" <<'PY' || fail "solar statistics: $stats; charging: $charging"
import json, sys
solar, charging = json.loads(sys.argv[1]), json.loads(sys.argv[2])
assert solar["money_saved"] is not None, "money saved is null: the solar plugin has no grid price"
assert solar["currency"] == charging["currency"], "solar in %s, charging in %s" % (solar["currency"], charging["currency"])
PY

# Ctrl-C: the terminal sends SIGINT to the whole foreground job; every process of the demo ends.
kill -INT -- "-$demo_pid"
for _ in $(seq 1 300); do
  pgrep -s "$demo_pid" > /dev/null || break
  sleep 0.1
done
if pgrep -s "$demo_pid" > /dev/null; then
  pgrep -a -s "$demo_pid" >&2
  fail "processes of the demo are left after Ctrl-C"
fi
demo_pid=
echo "demo ok"
