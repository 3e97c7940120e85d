#!/usr/bin/env bash
# GET /api/openapi.json of a host running every shipped plugin passes Redocly's linter with 0 problems
# (tools/openapi-lint/redocly.yaml: the recommended rules as errors, and response bodies described for a generated
# client). Installs the linter pinned in tools/openapi-lint/package-lock.json with `npm ci` into BUILD_DIR.
#   tests/openapi_lint_test.sh HOST_BINARY PLUGIN_DIR SOURCE_DIR BUILD_DIR
set -euo pipefail
binary=$1
plugin_dir=$2
source_dir=$3
build_dir=$4

lint_dir=$build_dir/openapi-lint
mkdir -p "$lint_dir"
# npm ci again only when the lock file changes (it empties node_modules first).
if ! cmp -s "$source_dir/tools/openapi-lint/package-lock.json" "$lint_dir/package-lock.json" ||
   [[ ! -x $lint_dir/node_modules/.bin/redocly ]]; then
  cp "$source_dir/tools/openapi-lint/package.json" "$source_dir/tools/openapi-lint/package-lock.json" "$lint_dir/"
  (cd "$lint_dir" && npm ci --no-audit --no-fund --loglevel=error) ||
    { echo "npm ci of tools/openapi-lint failed (the npm registry must be reachable)" >&2; exit 1; }
fi

run=$(mktemp -d "$build_dir/openapi-lint-run.XXXXXX")
host_pid=
cleanup() {
  if [[ -n $host_pid ]]; then
    kill -TERM "$host_pid" 2>/dev/null || true
    wait "$host_pid" 2>/dev/null || true
  fi
  rm -rf "$run"
}
trap cleanup EXIT

cat > "$run/config.yaml" <<CONFIG
server:
  listen: 127.0.0.1:0
data_dir: $run/data
plugin_dir: $plugin_dir
CONFIG
TESSIE_ADMIN_PASSWORD=openapi-lint-test "$binary" --config "$run/config.yaml" > "$run/host.log" 2>&1 &
host_pid=$!
url=
for _ in $(seq 1 300); do
  url=$(grep -oE 'listening on http://[0-9.]+:[0-9]+' "$run/host.log" | head -n 1 | cut -d' ' -f3 || true)
  [[ -n $url ]] && curl -sf "$url/api/health/ready" > /dev/null && break
  kill -0 "$host_pid" 2>/dev/null || { echo "the host exited:" >&2; cat "$run/host.log" >&2; exit 1; }
  url=
  sleep 0.2
done
[[ -n $url ]] || { echo "the host did not become ready:" >&2; cat "$run/host.log" >&2; exit 1; }

curl -sf "$url/api/openapi.json" -o "$run/openapi.json" || { echo "GET /api/openapi.json failed" >&2; exit 1; }
# Every shipped plugin contributed its part: its routes are described, not summary-only stubs.
if grep -o "whose OpenAPI part does not describe it" "$run/openapi.json" > /dev/null; then
  echo "some routes are not described by their plugin's openapi.yaml:" >&2
  python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
for p,i in d["paths"].items():
  for m,o in i.items():
    if isinstance(o,dict) and "does not describe" in o.get("description",""): print(" ",m.upper(),p)' "$run/openapi.json" >&2
  exit 1
fi

# Indented, so that each finding's code frame shows one line.
python3 -m json.tool "$run/openapi.json" > "$run/openapi.pretty.json"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1
"$lint_dir/node_modules/.bin/redocly" lint --config "$source_dir/tools/openapi-lint/redocly.yaml" \
  "$run/openapi.pretty.json" > "$run/lint.txt" 2>&1 && status=0 || status=$?
grep -vE '^\s*[║╔╚]' "$run/lint.txt"
exit $status
