#!/usr/bin/env bash
# `tessie-stats --help` names every TESSIE_* environment variable the host reads (found in core/src, tests' own
# TESSIE_TEST_* hooks aside) and says where the documentation is.
#   tests/help_test.sh BINARY SOURCE_DIR
set -euo pipefail
binary=$1
source_dir=$2
help=$("$binary" --help)
status=0
read_by_host=$(grep -rhoE 'getenv\("TESSIE_[A-Z_]+"\)|EnvOr\("TESSIE_[A-Z_]+"' "$source_dir/core/src" --include='*.cpp' |
  grep -oE 'TESSIE_[A-Z_]+' | grep -v '^TESSIE_TEST_' | sort -u)
[[ -n "$read_by_host" ]] || { echo "no TESSIE_* variable found in core/src" >&2; exit 1; }
for name in $read_by_host; do
  grep -q "^  $name " <<< "$help" || { echo "--help does not list $name" >&2; status=1; }
done
grep -q "^documentation: " <<< "$help" || { echo "--help does not say where the documentation is" >&2; status=1; }
exit $status
