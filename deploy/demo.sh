#!/usr/bin/env bash
# make demo: the Fleet API simulator and the host in demo mode (SQLite in ./demo-data), in the foreground.
# Ctrl-C stops both. DEMO_PORT (default 8080) and DEMO_SPEED (simulated seconds per second, default 60).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
data="$root/demo-data"
mkdir -p "$data"
chmod 700 "$data"
port="${DEMO_PORT:-8080}"
speed="${DEMO_SPEED:-60}"

# A login of its own for the demo, kept in demo-data (0600) so it stays the same across runs.
if [[ ! -s "$data/admin-password" ]]; then
  (umask 077; head -c 12 /dev/urandom | base64 | tr -d '/+=' > "$data/admin-password")
fi
TESSIE_ADMIN_PASSWORD=$(cat "$data/admin-password")
export TESSIE_ADMIN_PASSWORD

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# The simulated Tesla account: two cars and two Powerwall sites (sim/scenarios/demo.yaml).
: > "$data/sim.log"
build/bin/tessie-fleet-sim --listen 127.0.0.1:0 --scenario sim/scenarios/demo.yaml --speed "$speed" \
  > "$data/sim.log" 2>&1 &
pids+=($!)
sim=""
for _ in $(seq 1 100); do
  sim=$(grep -o 'http://127.0.0.1:[0-9]*' "$data/sim.log" | head -1 || true)
  [[ -n "$sim" ]] && break
  sleep 0.1
done
[[ -n "$sim" ]] || { echo "the simulator did not start; see $data/sim.log" >&2; exit 1; }

config="$data/config.yaml"
sed "s/127.0.0.1:8080/127.0.0.1:$port/; s#\.\./demo-data#$data#; s#\.\./build#$root/build#; s#SIMULATOR#$sim#g" \
  config/demo.yaml > "$config"

build/bin/tessie-stats --config "$config" 2>> "$data/host.log" &
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

cat <<MSG

  Tessie Stats demo is running
    URL:        $api  (the dashboard; the REST API is under $api/api)
    login:      admin / $TESSIE_ADMIN_PASSWORD
    health:     $api/api/health
    simulator:  $sim  (Fleet API simulator at ${speed}x; ground truth at $sim/sim/truth)
    logs:       $data/host.log, $data/sim.log
    data:       $data (SQLite)

  Ctrl-C stops it.
MSG
wait "$host"
