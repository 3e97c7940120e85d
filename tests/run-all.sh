#!/usr/bin/env bash
# Runs every test against a private PostgreSQL and Mosquitto (started here, stopped on exit).
# Expects a built tree in build/ (make test does both).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
services="$root/build/test-services"

bash tests/env/services.sh start "$services" >/dev/null
trap 'bash "$root/tests/env/services.sh" stop "$services" >/dev/null 2>&1 || true' EXIT
# shellcheck disable=SC1091
source "$services/env"
# Tests that need a server fail instead of skipping when it is missing.
export TESSIE_TEST_REQUIRE_PG=1 TESSIE_TEST_REQUIRE_MQTT=1
echo "test services: PostgreSQL on port $TESSIE_TEST_PG_PORT, Mosquitto on port $TESSIE_TEST_MQTT_PORT"

rm -rf build/test-runs
ctest --test-dir build --output-on-failure --timeout 600 -j "$(nproc)"
