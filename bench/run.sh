#!/usr/bin/env bash
# make bench: runs every benchmark and writes its figures into docs/benchmarks.md (between markers).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=docs/benchmarks.md
section=$(python3 bench/host_bench.py)
echo "$section"
python3 - "$out" "host" "$section" <<'PY'
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
echo "updated $out"
