#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`, build-fuzz/) and runs each for SECONDS.
#
#   fuzz/run.sh [SECONDS] [--report]     default 20 s per target; make test runs 15, make fuzz 600 --report
#
# Seeds: fuzz/corpus/<target>/ (hand-written, committed), the Fleet API fixtures in ../shared/fixtures (next to
# the repository root) for fleet_models_fuzz, config/*.yaml and deploy/docker/config.yaml for config_fuzz. What the
# fuzzer learns is kept in build-fuzz/corpus/<target>/ across runs. A crash, a sanitizer report or a leak fails
# the run and leaves the input in build-fuzz/artifacts/ (reproduce: build-fuzz/fuzz/<target> <file>).
# --report writes the figures (executions, exec/s, corpus, crashes) into docs/fuzzing.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=20
report=0
for arg in "$@"; do
  case "$arg" in
    --report) report=1 ;;
    '' | *[!0-9]*) echo "fuzz/run.sh: unknown argument '$arg'" >&2; exit 2 ;;
    *) seconds=$arg ;;
  esac
done

build="$root/build-fuzz"
launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake --preset fuzz "${launcher[@]}" > /dev/null
cmake --build "$build" -j "${JOBS:-2}" > "$build/build.log" 2>&1 || { tail -n 40 "$build/build.log" >&2; exit 1; }

shared="$root/../shared/fixtures"
targets=(fleet_models_fuzz http_request_fuzz config_fuzz)
declare -A seeds=(
  [fleet_models_fuzz]="fuzz/corpus/fleet_models $shared/fleet-api"
  [http_request_fuzz]="fuzz/corpus/http_request"
  [config_fuzz]="fuzz/corpus/config config deploy/docker"
)
[[ -d "$shared/fleet-api" ]] || { echo "fuzz/run.sh: no $shared/fleet-api (../shared beside the repository)" >&2; exit 1; }

rm -rf "$build/artifacts" "$build/seeds"
mkdir -p "$build/artifacts"
failed=0
rows=()
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  # The seed files, flattened (libFuzzer reads directories one level deep).
  flat="$build/seeds/$t"
  mkdir -p "$flat"
  for dir in ${seeds[$t]}; do
    find "$dir" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.txt' -o -name '*.http' -o -name 'seed*' \) |
      while read -r f; do cp "$f" "$flat/$(echo "$f" | tr '/' '_')"; done
  done
  log="$build/$t.log"
  set +e
  "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$t-" "$corpus" "$flat" > "$log" 2>&1
  status=$?
  set -e
  stat() { grep -o "stat::$1: *[0-9]*" "$log" | grep -o '[0-9]*$' | tail -1; }
  runs=$(stat number_of_executed_units)
  rate=$(stat average_exec_per_sec)
  added=$(stat new_units_added)
  size=$(find "$corpus" -type f | wc -l)
  crashes=$(find "$build/artifacts" -name "$t-*" -type f | wc -l)
  seeded=$(find "$flat" -type f | wc -l)
  printf '%-20s %3ss  %10s execs  %7s exec/s  corpus %5s (+%s, %s seeds)  crashes %s\n' \
    "$t" "$seconds" "${runs:-?}" "${rate:-?}" "$size" "${added:-?}" "$seeded" "$crashes"
  rows+=("| $t | $seconds s | ${runs:-?} | ${rate:-?} | $seeded | $size | $crashes |")
  if [[ $status -ne 0 || $crashes -ne 0 ]]; then
    failed=1
    echo "$t FAILED (exit $status); the end of $log:" >&2
    grep -E "ERROR|SUMMARY|runtime error|Test unit written" "$log" | head -n 20 >&2
  fi
done

if [[ $report -eq 1 ]]; then
  {
    echo "Last \`make fuzz\`: $(date -u +%Y-%m-%d), clang $(clang++-14 -dumpversion), $(nproc) cores (shared)."
    echo
    echo "| target | time | executions | exec/s | seed files | corpus after | crashes |"
    echo "|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
  } > "$build/figures.md"
  python3 - "$root/docs/fuzzing.md" "$build/figures.md" << 'EOF'
import re, sys
doc, figures = open(sys.argv[1]).read(), open(sys.argv[2]).read()
new = re.sub(r"(<!-- figures -->\n).*?(<!-- /figures -->)", lambda m: m.group(1) + figures + m.group(2), doc, flags=re.S)
if new == doc and figures not in doc:
    sys.exit("docs/fuzzing.md has no <!-- figures --> ... <!-- /figures --> block")
open(sys.argv[1], "w").write(new)
EOF
  echo "figures written to docs/fuzzing.md"
fi
exit $failed
