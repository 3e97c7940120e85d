#!/usr/bin/env bash
# Runs every test against a private PostgreSQL and Mosquitto (started here, stopped on exit).
# Expects a built tree in build-next/ (make test does both).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
services="$root/build-next/test-services"

bash tests/env/services.sh start "$services" >/dev/null
trap 'bash "$root/tests/env/services.sh" stop "$services" >/dev/null 2>&1 || true' EXIT
# shellcheck disable=SC1091
source "$services/env"
# Tests that need a server fail instead of skipping when it is missing.
export TESSIE_TEST_REQUIRE_PG=1 TESSIE_TEST_REQUIRE_MQTT=1
echo "test services: PostgreSQL on port $TESSIE_TEST_PG_PORT, Mosquitto on port $TESSIE_TEST_MQTT_PORT"

rm -rf build-next/test-runs
set +e
ctest --test-dir build-next --output-on-failure --timeout 1200 -j "$(nproc)" 2>&1 | tee build-next/ctest.log
status=${PIPESTATUS[0]}
set -e

# After the whole suite: no token, password or key in any log it produced.
sweep=0
python3 tests/secrets_sweep.py || sweep=1

# ctest's summary last, so it is the closing line.
grep -E "tests passed|tests failed" build-next/ctest.log | tail -1
if [[ $status -ne 0 || $sweep -ne 0 ]]; then exit 1; fi
