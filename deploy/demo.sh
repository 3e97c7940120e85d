#!/usr/bin/env bash
# make demo: the Fleet API simulator, a private Mosquitto and the host in demo mode (SQLite in ./demo-data), in
# the foreground. Ctrl-C (or SIGTERM) stops all three.
#   DEMO_PORT       the host's port (default 8080)
#   DEMO_SPEED      simulated seconds per second (default 60)
#   DEMO_MQTT_PORT  the demo broker's port (default: a free one); the broker keeps nothing on disk
#   DEMO_DATA       where the demo keeps its data, config and logs (default ./demo-data)
#   DEMO_BUILD      the build tree whose binaries and plugins it runs (default ./build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
data="${DEMO_DATA:-$root/demo-data}"
mkdir -p "$data"
chmod 700 "$data"
data=$(cd "$data" && pwd)
port="${DEMO_PORT:-8080}"
speed="${DEMO_SPEED:-60}"
build="${DEMO_BUILD:-$root/build}"

# A login of its own for the demo, kept in the data directory (0600) so it stays the same across runs.
if [[ ! -s "$data/admin-password" ]]; then
  (umask 077; head -c 12 /dev/urandom | base64 | tr -d '/+=' > "$data/admin-password")
fi
TESSIE_ADMIN_PASSWORD=$(cat "$data/admin-password")
export TESSIE_ADMIN_PASSWORD

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
}
trap cleanup EXIT
trap 'echo; echo "  stopping the demo"; cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The simulated Tesla account: two cars and one Powerwall site with solar and two batteries
# (sim/scenarios/demo.yaml).
: > "$data/sim.log"
"$build/bin/tessie-fleet-sim" --listen 127.0.0.1:0 --scenario sim/scenarios/demo.yaml --speed "$speed" \
  > "$data/sim.log" 2>&1 &
pids+=($!)
sim=""
for _ in $(seq 1 100); do
  sim=$(grep -o 'http://127.0.0.1:[0-9]*' "$data/sim.log" | head -1 || true)
  [[ -n "$sim" ]] && break
  sleep 0.1
done
[[ -n "$sim" ]] || { echo "the simulator did not start; see $data/sim.log" >&2; exit 1; }

# A private Mosquitto for the Home Assistant side: loopback only, its own port and directory, nothing kept.
mosquitto_bin=$(command -v mosquitto || { [[ -x /usr/sbin/mosquitto ]] && echo /usr/sbin/mosquitto; } || true)
mqtt_port=""
if [[ -n "$mosquitto_bin" ]]; then
  mqtt_port="${DEMO_MQTT_PORT:-$(free_port)}"
  mq="$data/mosquitto"
  mkdir -p "$mq"
  {
    echo "# written by deploy/demo.sh"
    [[ $(id -u) -eq 0 ]] && echo "user root"
    echo "listener $mqtt_port 127.0.0.1"
    echo "allow_anonymous true"
    echo "persistence false"
    echo "log_dest file $mq/mosquitto.log"
  } > "$mq/mosquitto.conf"
  : > "$mq/mosquitto.log"
  "$mosquitto_bin" -c "$mq/mosquitto.conf" > /dev/null 2>&1 &
  broker=$!
  pids+=($broker)
  for _ in $(seq 1 100); do
    grep -q ' running$' "$mq/mosquitto.log" && break
    kill -0 "$broker" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -q ' running$' "$mq/mosquitto.log"; then
    echo "Mosquitto did not start on 127.0.0.1:$mqtt_port; the end of $mq/mosquitto.log:" >&2
    tail -n 10 "$mq/mosquitto.log" >&2
    exit 1
  fi
fi

config="$data/config.yaml"
sed "s/127.0.0.1:8080/127.0.0.1:$port/; s#\.\./demo-data#$data#; s#\.\./build#$build#; s#SIMULATOR#$sim#g" \
  config/demo.yaml > "$config"
if [[ -n "$mqtt_port" ]]; then
  sed -i "s#MQTT_URL#tcp://127.0.0.1:$mqtt_port#" "$config"
else
  sed -i "/MQTT_URL/d" "$config"
fi

"$build/bin/tessie-stats" --config "$config" 2>> "$data/host.log" &
host=$!
pids+=($host)
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$host" 2>/dev/null; then
    echo "the host did not start; the end of $data/host.log:" >&2
    tail -n 20 "$data/host.log" >&2
    exit 1
  fi
  sleep 0.1
done

# Connect the simulated account once, the way a user stores their token.
api="http://127.0.0.1:$port"
login=$(curl -fsS -X POST "$api/api/auth/login" -H 'Content-Type: application/json' \
        -d "{\"password\":\"$TESSIE_ADMIN_PASSWORD\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
connected=$(curl -fsS "$api/api/auth/status" -H "Authorization: Bearer $login" |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["connected"])')
if [[ "$connected" != "True" ]]; then
  refresh=$(curl -fsS -X POST "$sim/sim/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["refresh_token"])')
  curl -fsS -X POST "$api/api/auth/token" -H "Authorization: Bearer $login" -H 'Content-Type: application/json' \
       -d "{\"refresh_token\":\"$refresh\"}" > /dev/null
fi
# Sync now: list the cars and the site at once instead of at the next discovery run.
curl -fsS -X POST "$api/api/sync/trigger" -H "Authorization: Bearer $login" > /dev/null

if [[ -n "$mqtt_port" ]]; then
  ha="    Home Assistant: the demo's own broker at 127.0.0.1:$mqtt_port carries what a Home Assistant would get;
                the discovery messages (one per car and site, with their entities):
                  mosquitto_sub -h 127.0.0.1 -p $mqtt_port -t 'homeassistant/#' -v
                their states: mosquitto_sub -h 127.0.0.1 -p $mqtt_port -t 'tessie/#' -v"
else
  ha="    Home Assistant: not shown: Mosquitto is not installed (sudo apt install mosquitto mosquitto-clients,
                or deploy/setup.sh --demo), so the demo runs without MQTT"
fi

cat <<MSG

  Tessie Stats demo is running: two simulated cars (Midnight, Pearl) and one Powerwall site with solar and
  two batteries (Palo Alto Home), ${speed}x faster than real time.

    dashboard:  $api
    password:   $TESSIE_ADMIN_PASSWORD  (the login form asks only for the admin password)
    look at:    Dashboard (each car's state and battery, the site's live energy flow), a car's page (drives on
                the map, battery history), Charging (sessions and what they cost), Energy (the day's history,
                solar production and savings), Drivers, Settings (the Tesla connection, sync jobs, API cost)
$ha
    REST API:   $api/api  (described at $api/api/openapi.json)
    simulator:  $sim  (the Fleet API; ground truth at $sim/sim/truth)
    logs:       $data/host.log, $data/sim.log
    data:       $data (SQLite)

  Ctrl-C stops it.
MSG
wait "$host"
