#!/usr/bin/env bash
# Private PostgreSQL 15 + Mosquitto 2.0 for the Tessie Stats test suite.
#
#   tests/env/services.sh start    DIR   (re)start both on free loopback ports, fresh state,
#                                        write DIR/env and print it
#   tests/env/services.sh stop     DIR   stop both (safe when nothing runs)
#   tests/env/services.sh env      DIR   print DIR/env
#   tests/env/services.sh status   DIR   say what runs (exit 1 unless both run)
#   tests/env/services.sh pg-stop  DIR   stop only PostgreSQL (pg_ctl stop -m fast)
#   tests/env/services.sh pg-start DIR   start the existing PostgreSQL cluster again, same port
#   tests/env/services.sh mq-stop  DIR   stop only Mosquitto
#   tests/env/services.sh mq-start DIR   start Mosquitto again with the same config and port
#
# TESSIE_TEST_PG_FIRST_PORT / TESSIE_TEST_MQTT_FIRST_PORT move the port search (default 55432 / 51883): tests
# that stop a server mid-run use a range of their own, so no other set takes the port while it is down.
#
# All state lives under DIR (e.g. build/test-services). When running as root,
# PostgreSQL runs as the `postgres` OS user (via runuser); if that user cannot
# traverse DIR (e.g. DIR under /root), the cluster goes to a mktemp -d directory
# in /tmp instead, recorded in DIR/state. No systemd, the system's default
# cluster is never touched. See tests/env/README.md.
set -euo pipefail

die() { echo "services.sh: $*" >&2; exit 1; }
say() { echo "services.sh: $*" >&2; }

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }

[[ $# -eq 2 ]] || { usage >&2; exit 2; }
cmd=$1
case "$cmd" in start|stop|env|status|pg-stop|pg-start|mq-stop|mq-start) ;; *) usage >&2; exit 2 ;; esac
mkdir -p -- "$2"
DIR=$(cd -- "$2" && pwd -P)

PG_BIN=${TESSIE_TEST_PG_BIN:-/usr/lib/postgresql/15/bin}
if [[ ! -x $PG_BIN/postgres ]]; then
    # Fall back to the newest installed server version.
    cand=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [[ -n $cand && -x $cand/postgres ]] || die "no PostgreSQL server in $PG_BIN (run deploy/setup.sh)"
    PG_BIN=$cand
fi
command -v mosquitto >/dev/null 2>&1 || [[ -x /usr/sbin/mosquitto ]] || die "mosquitto not installed (run deploy/setup.sh)"
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)

# Don't let the caller's libpq settings redirect our own client calls.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS PGDATA

IS_ROOT=0
[[ $(id -u) -eq 0 ]] && IS_ROOT=1
PG_OS_USER=$(id -un)
if [[ $IS_ROOT -eq 1 ]]; then
    id postgres >/dev/null 2>&1 || die "OS user 'postgres' missing (run deploy/setup.sh)"
    PG_OS_USER=postgres
fi

STATE=$DIR/state          # PG_ROOT=..., PG_PORT=..., MQTT_PORT=...
ENVFILE=$DIR/env
MQ_DIR=$DIR/mosquitto
MQ_CONF=$MQ_DIR/mosquitto.conf
MQ_PID=$MQ_DIR/mosquitto.pid
MQ_LOG=$MQ_DIR/mosquitto.log

# Run a command as the PostgreSQL OS user (postgres refuses to run as root), from
# a directory it can read (initdb/pg_ctl complain about an unreadable cwd).
as_pg() {
    if [[ $IS_ROOT -eq 1 ]]; then
        (cd / && exec 9>&- && runuser -u postgres -- "$@")
    else
        (cd / && exec 9>&- && "$@")
    fi
}

# ---- small helpers --------------------------------------------------------------
state_get() { [[ -f $STATE ]] && sed -n "s/^$1=//p" "$STATE" | tail -n 1 || true; }

port_free() {  # port_free PORT -> 0 if 127.0.0.1:PORT can be bound (as a server would)
    local py
    py=$(command -v /usr/bin/python3 python3 2>/dev/null | head -n 1 || true)
    if [[ -n $py ]]; then
        "$py" - "$1" <<'EOF' 2>/dev/null
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
EOF
    else
        ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

pick_port() {  # pick_port FIRST -> first free port >= FIRST
    local p=$1
    while ! port_free "$p"; do
        p=$((p + 1))
        [[ $p -lt $(($1 + 500)) ]] || die "no free port in $1..$p"
    done
    echo "$p"
}

tcp_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# PIDs of processes whose cwd is $1 (every PostgreSQL process chdirs to its data dir).
pids_with_cwd() {
    local p d
    for p in $(pgrep -u "$PG_OS_USER" 2>/dev/null || true); do
        d=$(readlink "/proc/$p/cwd" 2>/dev/null) || continue
        [[ $d == "$1" ]] && echo "$p"
    done
    return 0
}

# PIDs of processes whose command line contains the literal string $1.
pids_with_arg() {
    local re
    re=$(printf '%s' "$1" | sed 's/[][\\.*^$+?(){}|]/\\&/g')
    pgrep -f -- "$re" 2>/dev/null | grep -vx -e "$$" -e "$BASHPID" || true
}

alive() {  # running and not a zombie
    local st
    kill -0 "$1" 2>/dev/null || return 1
    st=$(sed -n 's/^[0-9]* (.*) \([A-Za-z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null) || return 1
    [[ -n $st && $st != Z && $st != X ]]
}

kill_wait() {  # kill_wait SECONDS PID... : TERM, wait, then KILL
    local t=$1; shift
    [[ $# -gt 0 ]] || return 0
    kill -TERM "$@" 2>/dev/null || true
    local i p left
    for ((i = 0; i < t * 20; i++)); do
        left=0
        for p in "$@"; do alive "$p" && left=1; done
        [[ $left -eq 0 ]] && return 0
        sleep 0.05
    done
    kill -KILL "$@" 2>/dev/null || true
    sleep 0.1
}


# ---- PostgreSQL -------------------------------------------------------------------
pg_stop() {
    local root data
    root=$(state_get PG_ROOT)
    [[ -n $root ]] || return 0
    data=$root/data
    if [[ -f $data/postmaster.pid ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$data" stop -m fast -w -t 15 >/dev/null 2>&1 || true
    fi
    # Leftovers (killed postmaster, orphaned backends, a hung shutdown).
    local pids
    pids=$( { pids_with_cwd "$data"; pids_with_arg "$PG_BIN/postgres -D $data"; } | sort -u)
    # shellcheck disable=SC2086
    [[ -z $pids ]] || kill_wait 5 $pids
    rm -f "$data/postmaster.pid"
}

# pg_is_ready SOCKET_DIR PORT: asks through the private Unix socket, so that another
# server on the same TCP port can't pass for ours (ours listens on TCP too, or fails).
pg_is_ready() { "$PG_BIN/pg_isready" -q -h "$1" -p "$2" -U postgres -d postgres -t 1 >/dev/null 2>&1; }

# pg_launch ROOT PORT: start the cluster in ROOT/data, wait until ready (30 s).
# Returns 3 when the port was taken in the meantime, dies on other failures.
pg_launch() {
    local root=$1 port=$2 data=$1/data log=$1/postgresql.log
    as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$log" -o "-p $port" -W start >/dev/null 2>&1 || true
    local i pid
    for ((i = 0; i < 300; i++)); do
        pg_is_ready "$root" "$port" && return 0
        if ((i > 5)); then
            pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
            if [[ -z $pid ]] || ! alive "$pid"; then
                pg_is_ready "$root" "$port" && return 0
                if grep -q 'could not bind\|Address already in use\|could not create any TCP/IP sockets' "$log" 2>/dev/null; then
                    return 3
                fi
                break
            fi
        fi
        sleep 0.1
    done
    say "PostgreSQL did not become ready on 127.0.0.1:$port; last lines of $log:"
    tail -n 30 "$log" >&2 2>/dev/null || true
    exit 1
}

pg_start_fresh() {
    local root old
    old=$(state_get PG_ROOT)
    # Where the cluster goes: DIR/pg if the postgres user can reach it, else /tmp.
    if [[ $IS_ROOT -eq 0 ]] || runuser -u postgres -- test -x "$DIR" -a -r "$DIR" 2>/dev/null; then
        root=$DIR/pg
    else
        root=$(mktemp -d /tmp/tessie-test-pg.XXXXXX)
    fi
    # Unix sockets have a ~107 byte path limit.
    if [[ ${#root} -gt 80 ]]; then
        root=$(mktemp -d /tmp/tessie-test-pg.XXXXXX)
    fi
    # Drop the previous cluster (a tmp root elsewhere, or DIR/pg).
    if [[ -n $old && $old != "$root" && $old == /tmp/tessie-test-pg.* ]]; then rm -rf -- "$old"; fi
    rm -rf -- "$DIR/pg"
    mkdir -p -- "$root"
    chmod 700 "$root"
    [[ $IS_ROOT -eq 1 ]] && chown postgres:postgres "$root"
    echo "PG_ROOT=$root" >"$STATE"

    local out
    if ! out=$(as_pg "$PG_BIN/initdb" -D "$root/data" -A trust -U postgres -E UTF8 --locale=C -N 2>&1); then
        echo "$out" >&2
        die "initdb failed"
    fi
    # Settings live in postgresql.conf, so `pg_ctl -D DATA start` restarts it identically
    # (the port is added there once known).
    cat >>"$root/data/postgresql.conf" <<EOF

# --- tessie test settings ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$root'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF

    local port=${TESSIE_TEST_PG_FIRST_PORT:-55432} rc
    for _ in 1 2 3 4 5; do
        port=$(pick_port "$port")
        rc=0
        pg_launch "$root" "$port" || rc=$?
        [[ $rc -eq 0 ]] && break
        say "port $port got taken, retrying"
        as_pg "$PG_BIN/pg_ctl" -D "$root/data" stop -m immediate >/dev/null 2>&1 || true
        port=$((port + 1))
    done
    [[ $rc -eq 0 ]] || die "could not start PostgreSQL (ports taken)"
    echo "port = $port" >>"$root/data/postgresql.conf"
    echo "PG_PORT=$port" >>"$STATE"

    "$PG_BIN/psql" -X -q -h "$root" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE tessie LOGIN CREATEDB PASSWORD 'tessie'" \
        -c "CREATE DATABASE tessie_test OWNER tessie" >/dev/null \
        || die "could not create role/database"
}

# Restart an existing cluster (after pg-stop or a crash) on its recorded port.
pg_start_existing() {
    local root port
    root=$(state_get PG_ROOT); port=$(state_get PG_PORT)
    [[ -n $root && -n $port && -d $root/data ]] || die "no cluster in $DIR (run start first)"
    pg_is_ready "$root" "$port" && return 0
    pg_stop   # clear a stale postmaster.pid / orphans
    local rc=0
    pg_launch "$root" "$port" || rc=$?
    [[ $rc -eq 0 ]] || die "port $port is taken by something else"
}

# ---- Mosquitto --------------------------------------------------------------------
mq_stop() {
    local pids=""
    if [[ -f $MQ_PID ]]; then
        local pid
        pid=$(head -n 1 "$MQ_PID" 2>/dev/null || true)
        if [[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$MQ_CONF"; then
            pids=$pid
        fi
    fi
    pids=$( { [[ -z $pids ]] || echo "$pids"; pids_with_arg "mosquitto -c $MQ_CONF"; } | sort -u)
    # shellcheck disable=SC2086
    [[ -z $pids ]] || kill_wait 5 $pids
    rm -f "$MQ_PID"
}

mq_start() {
    mkdir -p "$MQ_DIR"
    local port=${TESSIE_TEST_MQTT_FIRST_PORT:-51883} pid i ok
    for _ in 1 2 3 4 5; do
        port=$(pick_port "$port")
        {
            echo "# generated by tests/env/services.sh"
            [[ $IS_ROOT -eq 1 ]] && echo "user root"
            echo "listener $port 127.0.0.1"
            echo "allow_anonymous true"
            echo "persistence false"
            echo "pid_file $MQ_PID"
            echo "log_dest file $MQ_LOG"
            echo "log_type error"
            echo "log_type warning"
            echo "log_type notice"
            echo "log_type information"
            echo "log_timestamp_format %Y-%m-%dT%H:%M:%S"
        } >"$MQ_CONF"
        rm -f "$MQ_PID"
        : >"$MQ_LOG"
        (cd "$MQ_DIR" && exec 9>&- && "$MOSQUITTO" -c "$MQ_CONF" -d) </dev/null >>"$MQ_LOG" 2>&1 || true
        ok=0
        for ((i = 0; i < 100; i++)); do
            pid=$(head -n 1 "$MQ_PID" 2>/dev/null || true)
            # "... running" is logged once the listener is bound (a foreign listener on
            # the same port must not pass for ours).
            if [[ -n $pid ]] && alive "$pid" && grep -q ' running$' "$MQ_LOG" && tcp_open "$port"; then ok=1; break; fi
            if ((i > 10)) && { [[ -z $pid ]] || ! alive "$pid"; }; then break; fi
            sleep 0.1
        done
        if [[ $ok -eq 1 ]]; then
            echo "MQTT_PORT=$port" >>"$STATE"
            return 0
        fi
        if grep -q 'Address already in use' "$MQ_LOG" 2>/dev/null; then
            say "port $port got taken, retrying"
            mq_stop
            port=$((port + 1))
            continue
        fi
        break
    done
    mq_stop
    say "Mosquitto did not start on 127.0.0.1:$port; last lines of $MQ_LOG:"
    tail -n 30 "$MQ_LOG" >&2 || true
    exit 1
}

# Start the broker again after mq-stop: same config, same port (retained messages are gone: persistence
# is off, as after a broker restart without a persistence file).
mq_start_existing() {
    [[ -f $MQ_CONF ]] || die "no $MQ_CONF (run: $0 start $DIR)"
    local port pid i
    port=$(state_get MQTT_PORT)
    [[ -f $MQ_LOG ]] && mv -f "$MQ_LOG" "$MQ_LOG.previous"
    : >"$MQ_LOG"
    for ((i = 0; i < 100; i++)); do
        (cd "$MQ_DIR" && exec 9>&- && "$MOSQUITTO" -c "$MQ_CONF" -d) </dev/null >>"$MQ_LOG" 2>&1 || true
        sleep 0.1
        pid=$(head -n 1 "$MQ_PID" 2>/dev/null || true)
        if [[ -n $pid ]] && alive "$pid"; then break; fi
        sleep 0.2  # the port may still be held for a moment; try again
    done
    for ((i = 0; i < 100; i++)); do
        pid=$(head -n 1 "$MQ_PID" 2>/dev/null || true)
        if [[ -n $pid ]] && alive "$pid" && grep -q ' running$' "$MQ_LOG" && tcp_open "$port"; then return 0; fi
        sleep 0.1
    done
    tail -n 30 "$MQ_LOG" >&2 || true
    die "Mosquitto did not start again on 127.0.0.1:$port"
}

# ---- env file ---------------------------------------------------------------------
write_env() {
    local root pg_port mq_port
    root=$(state_get PG_ROOT); pg_port=$(state_get PG_PORT); mq_port=$(state_get MQTT_PORT)
    {
        echo "export TESSIE_TEST_PG_URL=postgresql://tessie:tessie@127.0.0.1:$pg_port/tessie_test"
        echo "export TESSIE_TEST_MQTT_URL=tcp://127.0.0.1:$mq_port"
        echo "export TESSIE_TEST_PG_PORT=$pg_port"
        echo "export TESSIE_TEST_MQTT_PORT=$mq_port"
        echo "export TESSIE_TEST_PG_BIN=$(printf %q "$PG_BIN")"
        echo "export TESSIE_TEST_PG_DATA=$(printf %q "$root/data")"
        echo "export TESSIE_TEST_PG_LOG=$(printf %q "$root/postgresql.log")"
        echo "export TESSIE_TEST_PG_SOCKET_DIR=$(printf %q "$root")"
        echo "export TESSIE_TEST_PG_OS_USER=$PG_OS_USER"
        echo "export TESSIE_TEST_SERVICES_DIR=$(printf %q "$DIR")"
    } >"$ENVFILE.tmp"
    mv "$ENVFILE.tmp" "$ENVFILE"
}

stop_all() {
    mq_stop
    pg_stop
    rm -f "$ENVFILE"
    # A cluster in /tmp is removed on stop; keep its log next to DIR's other state.
    local root
    root=$(state_get PG_ROOT)
    if [[ -n $root && $root == /tmp/tessie-test-pg.* ]]; then
        cp -f "$root/postgresql.log" "$DIR/postgresql.log" 2>/dev/null || true
        rm -rf -- "$root"
        sed -i '/^PG_ROOT=/d;/^PG_PORT=/d' "$STATE"
    fi
}

# ---- main ---------------------------------------------------------------------------
# Serialize concurrent calls on the same DIR.
exec 9>"$DIR/.lock"
flock -w 60 9 || die "another services.sh holds $DIR/.lock"

case "$cmd" in
    start)
        stop_all
        pg_start_fresh
        mq_start
        write_env
        cat "$ENVFILE"
        ;;
    stop)
        stop_all
        ;;
    env)
        [[ -f $ENVFILE ]] || die "no $ENVFILE (run: $0 start $DIR)"
        cat "$ENVFILE"
        ;;
    status)
        pg_root=$(state_get PG_ROOT); pg_port=$(state_get PG_PORT); mq_port=$(state_get MQTT_PORT); rc=0
        mq_pid=$(head -n 1 "$MQ_PID" 2>/dev/null || true)
        if [[ -n $pg_port ]] && pg_is_ready "$pg_root" "$pg_port"; then echo "postgresql: running on 127.0.0.1:$pg_port"; else echo "postgresql: not running"; rc=1; fi
        if [[ -n $mq_port && -n $mq_pid ]] && alive "$mq_pid" && tcp_open "$mq_port"; then echo "mosquitto: running on 127.0.0.1:$mq_port"; else echo "mosquitto: not running"; rc=1; fi
        exit $rc
        ;;
    pg-stop)
        pg_stop
        ;;
    pg-start)
        pg_start_existing
        ;;
    mq-stop)
        mq_stop
        ;;
    mq-start)
        mq_start_existing
        ;;
    *)
        usage >&2
        exit 2
        ;;
esac
