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

WORKDIR=$(mktemp -d "${WITH_POSTGRES_TMP:-/tmp}/kakehashi-pg.XXXXXX")
DATA="$WORKDIR/data"
LOGFILE="$WORKDIR/postgres.log"

# Run a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
    if is_root; then
        (cd "$WORKDIR" && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    # Runs on every exit; keeps the exit status of the script.
    set +e
    if [ -f "$DATA/postmaster.pid" ]; then
        as_owner "$PG_BIN/pg_ctl" -D "$DATA" stop -m fast -w -t 30 >/dev/null 2>&1 ||
            as_owner "$PG_BIN/pg_ctl" -D "$DATA" stop -m immediate -w -t 30 >/dev/null 2>&1
        if [ -f "$DATA/postmaster.pid" ]; then
            pid=$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null)
            [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
        fi
    fi
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
# Only the socket (superuser, trust) and 127.0.0.1 (password) may connect.
as_owner tee "$DATA/pg_hba.conf" >/dev/null <<EOF
local all all trust
host all all 127.0.0.1/32 scram-sha-256
EOF

# A free port: skip those something answers on, and move on if the server cannot bind.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

port=${PG_PORT_START:-54329}
started=""
for _ in $(seq 1 50); do
    while port_in_use "$port"; do
        port=$((port + 1))
    done
    if as_owner "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -o "-p $port" -w -t 60 start >/dev/null 2>&1; then
        started=yes
        break
    fi
    if grep -qE 'could not (bind|create listen socket)|already in use' "$LOGFILE" 2>/dev/null; then
        : >"$LOGFILE"
        port=$((port + 1))
        continue
    fi
    break
done
if [ -z "$started" ]; then
    cat "$LOGFILE" >&2 2>/dev/null || true
    die "could not start PostgreSQL"
fi

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

set +e
"$@"
rc=$?
set -e
exit "$rc"
