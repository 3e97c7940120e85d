#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`, build-fuzz/) and runs each for SECONDS.
#
#   fuzz/run.sh [SECONDS] [--report]     default 20 s per target; make test runs 15, make fuzz 600 --report
#
# Seeds: fuzz/corpus/<target>/ (hand-written, committed), the real Fleet API responses in tests/fixtures/fleet-api
# for fleet_models_fuzz, config/*.yaml and deploy/docker/config.yaml for config_fuzz. What the fuzzer learns is
# kept in build-fuzz/corpus/<target>/ across runs. A crash, a sanitizer report or a leak fails
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

fixtures="$root/tests/fixtures/fleet-api"
# FUZZ_TARGETS="config_fuzz" runs only those; --report then replaces only their rows.
read -r -a targets <<< "${FUZZ_TARGETS:-fleet_models_fuzz http_request_fuzz config_fuzz}"
declare -A seeds=(
  [fleet_models_fuzz]="fuzz/corpus/fleet_models $fixtures"
  [http_request_fuzz]="fuzz/corpus/http_request"
  [config_fuzz]="fuzz/corpus/config config deploy/docker"
)
[[ -d "$fixtures" ]] || { echo "fuzz/run.sh: no $fixtures" >&2; exit 1; }

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
  printf '%s\n' "${rows[@]}" > "$build/figures.md"
  python3 - "$root/docs/fuzzing.md" "$build/figures.md" "$(date -u +%Y-%m-%d)" "$(clang++-14 -dumpversion)" "$(nproc)" << 'EOF'
import re, sys
path, rows_file, day, clang, cores = sys.argv[1:]
doc = open(path).read()
block = re.search(r"<!-- figures -->\n(.*?)<!-- /figures -->", doc, flags=re.S)
if not block:
    sys.exit("docs/fuzzing.md has no <!-- figures --> ... <!-- /figures --> block")
rows = {line.split("|")[1].strip(): line for line in block.group(1).splitlines() if line.startswith("| ") and "_fuzz" in line}
for line in open(rows_file).read().splitlines():
    rows[line.split("|")[1].strip()] = line + f" {day} |"
figures = (f"Last `make fuzz`: {day}, clang {clang}, {cores} cores (shared with other builds).\n\n"
           "| target | time | executions | exec/s | seed files | corpus after | crashes | run on |\n"
           "|---|---|---|---|---|---|---|---|\n" + "".join(rows[k] + "\n" for k in sorted(rows)))
open(path, "w").write(doc[:block.start(1)] + figures + doc[block.end(1):])
EOF
  echo "figures written to docs/fuzzing.md"
fi
exit $failed
