#!/usr/bin/env bash
# make demo: runs the host in demo mode on SQLite in ./demo-data, in the foreground (Ctrl-C stops it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
data="$root/demo-data"
mkdir -p "$data"
chmod 700 "$data"
port="${DEMO_PORT:-8080}"

# A login of its own for the demo, kept in demo-data (0600) so it stays the same across runs.
if [[ ! -s "$data/admin-password" ]]; then
  (umask 077; head -c 12 /dev/urandom | base64 | tr -d '/+=' > "$data/admin-password")
fi
TESSIE_ADMIN_PASSWORD=$(cat "$data/admin-password")
export TESSIE_ADMIN_PASSWORD

config="$data/config.yaml"
sed "s/127.0.0.1:8080/127.0.0.1:$port/; s#\.\./demo-data#$data#; s#\.\./build#$root/build#" config/demo.yaml > "$config"

build/bin/tessie-stats --config "$config" 2>> "$data/host.log" &
host=$!
trap 'kill -TERM $host 2>/dev/null; wait $host 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 $host 2>/dev/null; then
    echo "the host did not start; the end of $data/host.log:" >&2
    tail -n 20 "$data/host.log" >&2
    exit 1
  fi
  sleep 0.1
done

cat <<MSG

  Tessie Stats demo is running
    URL:      http://127.0.0.1:$port
    health:   http://127.0.0.1:$port/api/health
    login:    admin / $TESSIE_ADMIN_PASSWORD
    log:      $data/host.log
    data:     $data (SQLite)

  Ctrl-C stops it.
MSG
wait $host
