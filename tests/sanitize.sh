#!/usr/bin/env bash
# Builds the sanitizer tree and runs the unit, integration and resilience tests in it (make asan / make tsan).
#
#   tests/sanitize.sh asan    AddressSanitizer + UBSan + LeakSanitizer, build-asan/
#   tests/sanitize.sh tsan    ThreadSanitizer, build-tsan/
#
# Configures and builds the preset of that name (CMakePresets.json: no benchmarks, no fuzz targets, no npm
# dashboard build), starts a private PostgreSQL and Mosquitto in build-<kind>/test-services (stopped on exit), runs
# ctest there with the sanitizer options in the environment, so that the host (tessie-stats) and the simulator
# (tessie-fleet-sim) the integration tests start as child processes run under them too. A child's report only
# lands in its log under build-<kind>/test-runs/, so after ctest every log there is searched: any sanitizer report
# fails the run and the first one is printed. ctest's summary is the closing line.
#
# SANITIZE_JOBS (default 2) sets the build and ctest parallelism; SANITIZE_TESTS=regex runs only matching tests.
# Not part of make test (docs/operations.md, "Sanitizer builds").
set -euo pipefail
kind=${1:-}
case "$kind" in asan|tsan) ;; *) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tree="$root/build-$kind"
supp="$root/tests/sanitizers"
jobs=${SANITIZE_JOBS:-2}
started=$(date +%s)

cmake --preset "$kind" >/dev/null
cmake --build --preset "$kind" -j"$jobs"

# Tests left out of a run, each with its reason. Only tests whose own timing assumption fails because the
# sanitizer slows everything down belong here, never a test that finds a report.
exclude=()
if [[ $kind == tsan ]]; then
  exclude+=(
    # Both simulated-day scenarios: the simulator runs its clock at a fixed multiple of wall time while every
    # host poll is several times slower under TSan, so samples come minutes (simulated) late and the bounds on
    # recorded charges and drives are missed (demo: 35.5 vs 37.6 kWh against a 2 % bound; test: a drive's end
    # 22 simulated minutes late, 4.5 of 20 km). Each passed in some TSan runs and fails in others; they pass in
    # the default and ASan builds.
    'Scenarios/SimulatedDay.DrivesChargesAndSleepMatchTheSimulatorAtALowCost/demo'
    'Scenarios/SimulatedDay.DrivesChargesAndSleepMatchTheSimulatorAtALowCost/test'
  )
fi

# The options reach every process ctest starts and, through the inherited environment, their children.
# halt_on_error: the first report ends the process, so a report can never scroll by in a passing test.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:detect_invalid_pointer_pairs=0"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp:print_suppressions=0"
export TSAN_OPTIONS="suppressions=$supp/tsan.supp:halt_on_error=1:second_deadlock_stack=1:print_suppressions=0"

services="$tree/test-services"
bash tests/env/services.sh start "$services" >/dev/null
trap 'bash "$root/tests/env/services.sh" stop "$services" >/dev/null 2>&1 || true' EXIT
# shellcheck disable=SC1091
source "$services/env"
export TESSIE_TEST_REQUIRE_PG=1 TESSIE_TEST_REQUIRE_MQTT=1
echo "$kind: PostgreSQL on port $TESSIE_TEST_PG_PORT, Mosquitto on port $TESSIE_TEST_MQTT_PORT"

ctest_args=(--test-dir "$tree" --output-on-failure -j "$jobs" -L '^(unit|integration|resilience)$')
if [[ ${#exclude[@]} -gt 0 ]]; then
  # A parameterised test's ctest name goes on with "  # GetParam() = ...": match up to a blank or the end.
  ctest_args+=(-E "^($(IFS='|'; echo "${exclude[*]}"))( |\$)")
fi
[[ -n ${SANITIZE_TESTS:-} ]] && ctest_args+=(-R "$SANITIZE_TESTS")

rm -rf "$tree/test-runs"
set +e
ctest "${ctest_args[@]}" 2>&1 | tee "$tree/ctest.log"
status=${PIPESTATUS[0]}
set -e

# Reports from the host and simulator child processes (and any test's own output kept as a log).
pattern='WARNING: ThreadSanitizer|ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:'
mapfile -t reported < <(grep -rlE "$pattern" "$tree/test-runs" "$tree/ctest.log" 2>/dev/null || true)
if [[ ${#reported[@]} -gt 0 ]]; then
  status=1
  echo
  echo "$kind: sanitizer reports in ${#reported[@]} log(s):"
  printf '  %s\n' "${reported[@]}"
  first=${reported[0]}
  echo "--- first report, from $first ---"
  # From the report's first line to its SUMMARY line (at most 200 lines).
  awk -v pat="$pattern" '
    !on && $0 ~ pat { on = 1 }
    on { print; n++ }
    on && (/^SUMMARY: / || n >= 200) { exit }' "$first"
  echo "---"
fi

echo "$kind: $(( ($(date +%s) - started) / 60 )) min wall time"
grep -E "tests passed|tests failed" "$tree/ctest.log" | tail -1
if [[ $status -ne 0 ]]; then exit 1; fi
