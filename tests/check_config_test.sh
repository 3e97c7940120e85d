#!/usr/bin/env bash
# `tessie-stats --check-config FILE` as a user runs it, with the real plugins: mistakes inside plugin sections
# (list items and maps) are named with FILE:LINE:COLUMN and their key path, what start-up needs (an admin password,
# a data_dir it can create) is checked, and a config it calls OK really starts the host.
#   tests/check_config_test.sh BINARY PLUGIN_DIR
set -uo pipefail
binary=$1
plugin_dir=$(cd "$2" && pwd)
work=$(mktemp -d)
host_pid=""
cleanup() {
  [[ -n "$host_pid" ]] && kill "$host_pid" 2> /dev/null && wait "$host_pid" 2> /dev/null
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
checks=0
failed_at=-1
fail() {
  echo "FAIL: $*" >&2
  # One failure per check, however many of its expectations fail.
  ((failed_at == checks)) || failures=$((failures + 1))
  failed_at=$checks
}

# config NAME BODY: writes $work/NAME.yaml with the plugin dir, a private data_dir and BODY after them.
config() {
  printf 'server:\n  listen: 127.0.0.1:0\ndata_dir: %s\nplugin_dir: %s\n%s' "$work/data-$1" "$plugin_dir" "$2" \
    > "$work/$1.yaml"
}

# expect NAME EXIT_CODE TEXT [ENV...]: --check-config on NAME.yaml exits EXIT_CODE and prints TEXT.
expect() {
  local name=$1 code=$2 text=$3
  shift 3
  local out rc
  checks=$((checks + 1))
  out=$(env -u TESSIE_ADMIN_PASSWORD "$@" "$binary" --check-config "$work/$name.yaml" 2>&1)
  rc=$?
  [[ $rc == "$code" ]] || fail "$name: exit code $rc, expected $code; output:
$out"
  grep -qF -- "$text" <<< "$out" || fail "$name: expected '$text' in:
$out"
  [[ ! -e "$work/data-$name" ]] || fail "$name: --check-config created the data_dir"
}

pw=TESSIE_ADMIN_PASSWORD=correct-horse-battery

config typo $'plugins:\n  vehicle:\n    places:\n      - name: Home\n        latitude: 52.52\n        longitude: 13.40\n        radus: 3\n'
expect typo 2 "typo.yaml:11:9: plugins.vehicle.places[0].radus: unknown key; did you mean radius_m?" "$pw"

config radius $'plugins:\n  vehicle:\n    places:\n      - {name: Home, latitude: 52.52, longitude: 13.40, radius_m: big}\n'
expect radius 2 "radius.yaml:8:67: plugins.vehicle.places[0].radius_m: expected a number, got 'big'" "$pw"

config nameless $'plugins:\n  vehicle:\n    places:\n      - latitude: 52.52\n        longitude: 13.40\n'
expect nameless 2 "nameless.yaml:8:9: plugins.vehicle.places[0].name: required key is missing" "$pw"

config price $'plugins:\n  charging:\n    places:\n      Home: cheap\n'
expect price 2 "price.yaml:8:13: plugins.charging.places.Home: expected a number, got 'cheap'" "$pw"

config period $'plugins:\n  charging:\n    time_of_use:\n      - {from: "22:00", to: "06:00", price_per_kwh: 0.1}\n'
expect period 2 "plugins.charging: time_of_use leaves 06:00 without a period" "$pw"

config nopassword $'plugins: {}\n'
expect nopassword 2 "auth.admin_password: no admin password: set TESSIE_ADMIN_PASSWORD"

touch "$work/a-file"
config datadir $'plugins: {}\n'
sed -i "s#^data_dir: .*#data_dir: $work/a-file/data#" "$work/datadir.yaml"
expect datadir 2 "datadir.yaml:3:11: data_dir: $work/a-file/data cannot be created: $work/a-file is not a directory" "$pw"

# PostgreSQL that does not answer: not a mistake in the file (exit 1, the unit may retry), and no password shown.
config postgres $'storage:\n  url: postgresql://tessie:hunter2-in-the-url@127.0.0.1:1/tessie\nplugins: {}\n'
expect postgres 1 "storage.url: cannot connect to PostgreSQL at 127.0.0.1:1/tessie" "$pw"
env -u TESSIE_ADMIN_PASSWORD "$pw" "$binary" --check-config "$work/postgres.yaml" 2>&1 | grep -q hunter2 &&
  fail "postgres: the password of storage.url was shown"

# A PostgreSQL that answers (tests/env/services.sh; required when TESSIE_TEST_REQUIRE_PG=1): OK.
if [[ -n "${TESSIE_TEST_PG_URL:-}" ]]; then
  config pgok "storage:
  url: $TESSIE_TEST_PG_URL
plugins: {}
"
  expect pgok 0 "pgok.yaml: OK (" "$pw"
elif [[ "${TESSIE_TEST_REQUIRE_PG:-}" == 1 ]]; then
  checks=$((checks + 1))
  fail "TESSIE_TEST_REQUIRE_PG=1 but TESSIE_TEST_PG_URL is not set"
fi

# OK means the host starts: the same file, the same environment, --config.
config good $'plugins:\n  vehicle:\n    places:\n      - {name: Home, latitude: 52.52, longitude: 13.40, radius_m: 150}\n      - {name: Work, latitude: 52.50, longitude: 13.35}\n  charging:\n    price_per_kwh: 0.30\n    places:\n      Home: 0.25\n    time_of_use:\n      - {from: "22:00", to: "06:00", price_per_kwh: 0.1}\n'
expect good 0 "good.yaml: OK (" "$pw"
env -u TESSIE_ADMIN_PASSWORD "$pw" "$binary" --config "$work/good.yaml" > "$work/good.log" 2>&1 &
host_pid=$!
checks=$((checks + 1))
ready=""
for _ in $(seq 1 600); do
  grep -q "ready: " "$work/good.log" && ready=yes && break
  kill -0 "$host_pid" 2> /dev/null || break
  sleep 0.1
done
[[ -n "$ready" ]] || fail "a config --check-config calls OK did not start the host:
$(cat "$work/good.log")"
grep -q "plugin 'vehicle' disabled\|plugin 'charging' disabled" "$work/good.log" &&
  fail "a plugin of a config --check-config calls OK failed at start:
$(cat "$work/good.log")"

echo "$((checks - failures)) passed, $failures failed"
[[ $failures == 0 ]]
