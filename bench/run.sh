#!/usr/bin/env bash
# make bench: runs every benchmark and writes its figures into docs/benchmarks.md (between markers).
# TESSIE_BUILD_DIR picks another build tree (default build/). Arguments name the sections to run
# (host throughput soak storage energy polling dashboard); none runs them all.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=docs/benchmarks.md
# Each benchmark writes one section of docs/benchmarks.md, between its markers.
update() {
python3 - "$out" "$1" "$2" <<'PY'
import sys, re
path, name, body = sys.argv[1], sys.argv[2], sys.argv[3]
begin, end = f"<!-- bench:{name}:begin -->", f"<!-- bench:{name}:end -->"
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# Benchmarks\n\nFigures written by `make bench`; each section says how it was measured.\n"
block = f"{begin}\n{body}\n{end}"
if begin in text:
    text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda m: block, text, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + block + "\n"
open(path, "w").write(text)
PY
}

selected="$*"
want() { [ -z "$selected" ] || [[ " $selected " == *" $1 "* ]]; }

if want host; then
section=$(python3 bench/host_bench.py)
echo "$section"
update host "$section"
fi

if want throughput; then
section=$(python3 bench/throughput_bench.py)
echo "$section"
update throughput "$section"
fi

if want soak; then
section=$(python3 bench/soak_bench.py)
echo "$section"
update soak "$section"
fi

# Storage insert rate: needs the private PostgreSQL of the test services.
services="${TESSIE_BUILD_DIR:-$root/build}/test-services"
bash tests/env/services.sh start "$services" >/dev/null
trap 'bash "$root/tests/env/services.sh" stop "$services" >/dev/null 2>&1 || true' EXIT
# shellcheck disable=SC1091
source "$services/env"
if want storage; then
table=$("${TESSIE_BUILD_DIR:-build}"/bin/tessie_bench_storage 200000 "$TESSIE_TEST_PG_URL" 2>/dev/null)
section=$(printf '## vehicle_states insert rate (issue 4)\n\nMeasured %s by `make bench` (bench/storage_bench.cpp): rows of vehicle_states through the host'"'"'s storage layer, one transaction per INSERT, 200,000 rows (10,000 for single-row INSERTs); PostgreSQL is the private test cluster (fsync off).\n\n%s\n' "$(date +%F)" "$table")
echo "$section"
update storage "$section"
fi

if want energy; then
section=$(python3 bench/energy_bench.py)
echo "$section"
update energy "$section"
fi

if want polling; then
section=$(python3 bench/polling_bench.py)
echo "$section"
update polling "$section"
fi
if want dashboard; then
section=$(python3 bench/dashboard_bench.py)
echo "$section"
update dashboard "$section"
fi
echo "updated $out"
