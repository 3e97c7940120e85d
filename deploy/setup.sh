#!/usr/bin/env bash
# Installs the Debian (bookworm) packages Tessie Stats needs to build, run and test.
#
#   deploy/setup.sh              everything: build, run, tests, test servers, browser, fuzzing, packaging
#   deploy/setup.sh --minimal    only what building (with unit tests and the web dashboard) and running needs
#   deploy/setup.sh --demo       --minimal and Mosquitto (make demo's broker for the Home Assistant side)
#
# Idempotent: when every package is already installed it only runs one dpkg-query
# and exits silently. Otherwise it runs `apt-get update` once and one
# `apt-get install -y --no-install-recommends` for the missing packages, printing
# one line per package group. apt's own output goes to a log file that is shown
# (its tail) only on failure. Not root: uses sudo when available.
set -euo pipefail

usage() {
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
}

minimal=0
demo=0
for arg in "$@"; do
    case "$arg" in
        --minimal) minimal=1 ;;
        --demo) minimal=1; demo=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "setup.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done

# ---- package groups ("name|packages"), in install order ----------------------
groups=(
    "build tools|build-essential cmake pkg-config git ca-certificates ccache"
    "libraries|libboost-dev libboost-filesystem-dev libboost-system-dev libpoco-dev libyaml-cpp-dev libpaho-mqttpp-dev libpaho-mqtt-dev libssl-dev libpq-dev libsqlite3-dev libicu-dev"
    "runtime tools|curl python3 procps"
    "test frameworks|googletest libgtest-dev libgmock-dev libbenchmark-dev"
)
if [[ $demo -eq 1 ]]; then
    groups+=("demo broker|mosquitto mosquitto-clients")
fi
if [[ $minimal -eq 0 ]]; then
    groups+=(
        "test servers|postgresql postgresql-client mosquitto mosquitto-clients"
        "load testing|wrk"
        "browser|chromium"
        "fuzzing|clang-14 libclang-rt-14-dev"
        "packaging|dpkg-dev fakeroot python3-yaml"
    )
fi
# The web dashboard is built with npm as part of the build (Node.js 18 or newer). Node.js may be installed
# outside dpkg (e.g. Node 20 preinstalled); then keep it.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    groups+=("node.js|nodejs npm")
fi

all_pkgs=()
for g in "${groups[@]}"; do
    read -r -a p <<<"${g#*|}"
    all_pkgs+=("${p[@]}")
done

# ---- which are missing? (one dpkg-query for all packages) --------------------
declare -A installed=()
while read -r name status; do
    [[ $status == "install ok installed" ]] && installed[$name]=1
done < <(dpkg-query -W -f='${Package} ${Status}\n' "${all_pkgs[@]}" 2>/dev/null || true)

missing=()
missing_groups=()
for g in "${groups[@]}"; do
    read -r -a p <<<"${g#*|}"
    m=()
    for pkg in "${p[@]}"; do
        [[ -n ${installed[$pkg]:-} ]] || m+=("$pkg")
    done
    if [[ ${#m[@]} -gt 0 ]]; then
        missing+=("${m[@]}")
        missing_groups+=("${g%%|*}: ${m[*]}")
    fi
done

[[ ${#missing[@]} -eq 0 ]] && exit 0

# ---- install ------------------------------------------------------------------
sudo=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo=(sudo)
    else
        echo "setup.sh: missing packages: ${missing[*]}" >&2
        echo "setup.sh: not running as root and sudo is not available; run this script as root" >&2
        exit 1
    fi
fi

log=$(mktemp "${TMPDIR:-/tmp}/tessie-setup.XXXXXX.log")
apt() {
    if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@" >>"$log" 2>&1; then
        echo "setup.sh: 'apt-get $*' failed; last lines of $log:" >&2
        tail -n 25 "$log" >&2
        exit 1
    fi
}

for line in "${missing_groups[@]}"; do
    echo "setup.sh: installing $line"
done
apt update
apt install -y --no-install-recommends "${missing[@]}"
rm -f "$log"
echo "setup.sh: done"
