#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster.
#
#   scripts/with-postgres.sh CMD [ARGS...]
#
# Creates a cluster in a fresh temporary directory (initdb), listening on 127.0.0.1 only,
# on a free port, with its unix socket in that directory and fsync off; creates a role and
# a database; runs CMD with DATABASE_URL=postgres://...@127.0.0.1:PORT/kakehashi exported;
# then always stops the cluster and deletes the directory. Exits with CMD's exit code.
#
# PostgreSQL comes from /usr/lib/postgresql/<newest>/bin (Debian's layout), else from initdb
# on PATH; if neither exists and we are root, Debian's `postgresql` package is installed.
# As root, initdb and pg_ctl run as the `postgres` system user (initdb refuses root).
#
# Environment (optional):
#   PG_BIN             directory holding initdb and pg_ctl (overrides the search)
#   PG_PORT_START      first port to try (default 54329)
#   WITH_POSTGRES_TMP  parent of the temporary directory (default /tmp)
#   WITH_REPLICA=1     also make a physical streaming replica of the cluster (pg_basebackup
#                      -R, on the next free port, hot standby) and export
#                      DATABASE_REPLICA_URL for it (same role and database); it is stopped
#                      and deleted with the primary. The test role may pause and resume
#                      its replay (pg_wal_replay_pause/resume).

set -euo pipefail

log() { echo "with-postgres: $*" >&2; }
die() {
    log "$*"
    exit 70
}

if [ $# -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 64
fi

is_root() { [ "$(id -u)" -eq 0 ]; }

find_pg_bin() {
    if [ -n "${PG_BIN:-}" ]; then
        echo "$PG_BIN"
        return 0
    fi
    local newest
    newest=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then
        echo "$newest"
        return 0
    fi
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"
        return 0
    fi
    return 1
}

if ! PG_BIN=$(find_pg_bin); then
    if is_root && command -v apt-get >/dev/null 2>&1; then
        log "no PostgreSQL server found: installing Debian's postgresql package"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq </dev/null
        apt-get install -y -qq --no-install-recommends postgresql </dev/null >/dev/null
        PG_BIN=$(find_pg_bin) || die "postgresql installed, but no initdb in /usr/lib/postgresql/*/bin"
    else
        die "no PostgreSQL server found (no initdb in /usr/lib/postgresql/*/bin or on PATH); install Debian's postgresql package or set PG_BIN"
    fi
fi
for tool in initdb pg_ctl; do
    [ -x "$PG_BIN/$tool" ] || die "$PG_BIN/$tool not found"
done
PSQL="$PG_BIN/psql"
[ -x "$PSQL" ] || PSQL=$(command -v psql) || die "psql not found"

if is_root; then
    getent passwd postgres >/dev/null || die "running as root needs a 'postgres' system user (initdb refuses root)"
fi

WITH_REPLICA=${WITH_REPLICA:-}
[ -z "$WITH_REPLICA" ] || [ -x "$PG_BIN/pg_basebackup" ] || die "$PG_BIN/pg_basebackup not found"

WORKDIR=$(mktemp -d "${WITH_POSTGRES_TMP:-/tmp}/kakehashi-pg.XXXXXX")
DATA="$WORKDIR/data"
LOGFILE="$WORKDIR/postgres.log"
REPLICA="$WORKDIR/replica"
REPLICA_LOG="$WORKDIR/replica.log"

# Run a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
    if is_root; then
        (cd "$WORKDIR" && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# shellcheck disable=SC2317  # called by the EXIT trap
stop_cluster() {
    local dir=$1
    if [ -f "$dir/postmaster.pid" ]; then
        as_owner "$PG_BIN/pg_ctl" -D "$dir" stop -m fast -w -t 30 >/dev/null 2>&1 ||
            as_owner "$PG_BIN/pg_ctl" -D "$dir" stop -m immediate -w -t 30 >/dev/null 2>&1
        if [ -f "$dir/postmaster.pid" ]; then
            pid=$(head -n 1 "$dir/postmaster.pid" 2>/dev/null)
            [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
        fi
    fi
}

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    # Runs on every exit; keeps the exit status of the script. The replica first, so that
    # it does not wait for a primary that is gone.
    set +e
    stop_cluster "$REPLICA"
    stop_cluster "$DATA"
    rm -rf "$WORKDIR"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

if is_root; then
    chown postgres:postgres "$WORKDIR"
fi
chmod 700 "$WORKDIR"

if ! as_owner "$PG_BIN/initdb" -D "$DATA" -U postgres -E UTF8 --no-locale --no-sync \
    --auth-local=trust --auth-host=scram-sha-256 >"$WORKDIR/initdb.log" 2>&1; then
    cat "$WORKDIR/initdb.log" >&2
    die "initdb failed"
fi

as_owner tee -a "$DATA/postgresql.conf" >/dev/null <<EOF

# scripts/with-postgres.sh: a throwaway cluster for tests
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORKDIR'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
# Only the socket (superuser, trust) and 127.0.0.1 (password) may connect; with a replica,
# its replication role too, from 127.0.0.1 with a password.
as_owner tee "$DATA/pg_hba.conf" >/dev/null <<EOF
local all all trust
host all all 127.0.0.1/32 scram-sha-256
host replication replicator 127.0.0.1/32 scram-sha-256
EOF
if [ -n "$WITH_REPLICA" ]; then
    # A hot standby needs the WAL of a `replica` level and a sender for it (the defaults of
    # recent versions, written out); its queries wait at most 5 s for replay conflicts.
    as_owner tee -a "$DATA/postgresql.conf" >/dev/null <<EOF
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
hot_standby = on
max_standby_streaming_delay = 5s
EOF
fi

# A free port: skip those something answers on, and move on if the server cannot bind.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_cluster DIR LOGFILE FIRST_PORT: starts the cluster in DIR on the first free port
# from FIRST_PORT and sets `port`; fails if it cannot start.
start_cluster() {
    local dir=$1 logfile=$2
    port=$3
    for _ in $(seq 1 50); do
        while port_in_use "$port"; do
            port=$((port + 1))
        done
        if as_owner "$PG_BIN/pg_ctl" -D "$dir" -l "$logfile" -o "-p $port" -w -t 60 start >/dev/null 2>&1; then
            return 0
        fi
        if grep -qE 'could not (bind|create listen socket)|already in use' "$logfile" 2>/dev/null; then
            : >"$logfile"
            port=$((port + 1))
            continue
        fi
        break
    done
    cat "$logfile" >&2 2>/dev/null || true
    return 1
}

start_cluster "$DATA" "$LOGFILE" "${PG_PORT_START:-54329}" || die "could not start PostgreSQL"

password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
"$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$WORKDIR" -p "$port" -U postgres -d postgres >/dev/null <<EOF
CREATE ROLE kakehashi LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE kakehashi OWNER kakehashi;
-- The test that reads the data files on disk (people/tests/test_identifiers.py) flushes
-- them with CHECKPOINT and asks where they are: two read-only rights of a throwaway cluster.
GRANT pg_checkpoint, pg_read_all_settings TO kakehashi;
EOF

version=$("$PG_BIN/postgres" --version 2>/dev/null || echo PostgreSQL)
log "$version on 127.0.0.1:$port, cluster in $WORKDIR (removed on exit)"
export DATABASE_URL="postgres://kakehashi:$password@127.0.0.1:$port/kakehashi"

if [ -n "$WITH_REPLICA" ]; then
    primary_port=$port
    replication_password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    # The test role may pause and resume the replica's replay (to show what a read-only
    # request sees while it lags), in every database made from template1 (the tests'
    # database is): granted on the primary, replicated with the catalogue.
    for db in template1 kakehashi; do
        "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$WORKDIR" -p "$primary_port" -U postgres -d "$db" >/dev/null <<EOF
GRANT EXECUTE ON FUNCTION pg_wal_replay_pause() TO kakehashi;
GRANT EXECUTE ON FUNCTION pg_wal_replay_resume() TO kakehashi;
EOF
    done
    "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$WORKDIR" -p "$primary_port" -U postgres -d postgres \
        -c "CREATE ROLE replicator REPLICATION LOGIN PASSWORD '$replication_password'" >/dev/null
    # A copy of the running primary, with a replication slot (the primary keeps the WAL the
    # replica has not received) and -R (standby.signal and primary_conninfo).
    if ! as_owner env PGPASSWORD="$replication_password" "$PG_BIN/pg_basebackup" \
        -h 127.0.0.1 -p "$primary_port" -U replicator -D "$REPLICA" -R -X stream \
        -C -S kakehashi_replica -c fast --no-sync >"$WORKDIR/basebackup.log" 2>&1; then
        cat "$WORKDIR/basebackup.log" >&2
        die "pg_basebackup failed"
    fi
    start_cluster "$REPLICA" "$REPLICA_LOG" $((primary_port + 1)) || die "could not start the replica"
    # pg_ctl -w returns once the standby accepts connections; check that it is one.
    in_recovery=""
    for _ in $(seq 1 100); do
        in_recovery=$("$PSQL" -X -At -h "$WORKDIR" -p "$port" -U postgres -d postgres \
            -c "SELECT pg_is_in_recovery()" 2>/dev/null || true)
        [ "$in_recovery" = t ] && break
        sleep 0.1
    done
    if [ "$in_recovery" != t ]; then
        cat "$REPLICA_LOG" >&2 2>/dev/null || true
        die "the replica does not accept connections as a standby"
    fi
    log "streaming replica on 127.0.0.1:$port (primary on $primary_port)"
    export DATABASE_REPLICA_URL="postgres://kakehashi:$password@127.0.0.1:$port/kakehashi"
fi

set +e
"$@"
rc=$?
set -e
exit "$rc"
