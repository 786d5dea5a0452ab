#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests.
#
#   scripts/test-postgres.sh start DIR   initialise DIR, start a server on 127.0.0.1 at a free
#                                        port, wait until it accepts connections, and print its
#                                        URL on stdout (one line, nothing else):
#                                        postgres://gatehouse@127.0.0.1:PORT/postgres
#   scripts/test-postgres.sh stop DIR    stop it (fast shutdown) and remove DIR
#
# Authentication is `trust` for everyone, and the server listens only on 127.0.0.1 and on a
# Unix socket inside DIR: the superuser `gatehouse` needs no password, and any password in the
# URL is ignored. Durability is switched off (fsync, synchronous_commit, full_page_writes):
# the data lives only as long as the tests.
#
# Run as root (as CI does), the server runs as the `postgres` system user (created if
# missing), because PostgreSQL refuses to run as root; DIR is handed to that user. If that user
# cannot reach DIR (for example under /root), the data goes to a private folder under /tmp
# that DIR points to, and `stop` removes both.
#
# Binaries come from `pg_config --bindir`, /usr/lib/postgresql/*/bin (newest first), or PATH.
# Errors go to stderr with the server log's tail, and the exit status is non-zero.
set -euo pipefail

die() {
    echo "test-postgres: $*" >&2
    exit 1
}

usage() {
    echo "usage: $0 start DIR | stop DIR" >&2
    exit 2
}

[[ $# -eq 2 ]] || usage
command=$1
dir=$2
[[ -n $dir ]] || usage

# Finds the folder that holds initdb, pg_ctl and postgres.
find_bindir() {
    local candidates=()
    if command -v pg_config >/dev/null 2>&1; then
        candidates+=("$(pg_config --bindir 2>/dev/null || true)")
    fi
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -V -r); do
        candidates+=("$d")
    done
    if command -v initdb >/dev/null 2>&1; then
        candidates+=("$(dirname "$(command -v initdb)")")
    fi
    for d in "${candidates[@]}"; do
        if [[ -n $d && -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

is_root() { [[ $(id -u) -eq 0 ]]; }

# Runs a command as the user that owns the server: `postgres` under root, else ourselves.
as_owner() {
    if is_root; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su -s /bin/sh postgres -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

ensure_postgres_user() {
    id -u postgres >/dev/null 2>&1 && return 0
    if command -v useradd >/dev/null 2>&1; then
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin postgres >&2 || die "cannot create the postgres user"
    elif command -v adduser >/dev/null 2>&1; then
        adduser --system --group --no-create-home postgres >&2 || die "cannot create the postgres user"
    else
        die "no postgres user, and neither useradd nor adduser is available to create it"
    fi
}

# The folder that holds data/, sock/ and server.log: DIR itself, or the folder DIR/location names.
server_home() {
    if [[ -f $dir/location ]]; then
        cat "$dir/location"
    else
        echo "$dir"
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

log_tail() {
    local log=$1
    if [[ -f $log ]]; then
        echo "--- last lines of $log ---" >&2
        tail -n 30 "$log" >&2 || true
    fi
}

start() {
    local bindir
    bindir=$(find_bindir) || die "cannot find initdb/pg_ctl/postgres (install the postgresql package)"

    [[ ! -e $dir/data && ! -e $dir/location ]] || die "$dir already holds a server; stop it first"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)

    local home=$dir
    if is_root; then
        ensure_postgres_user
        chown postgres: "$dir"
        if ! as_owner test -w "$dir" 2>/dev/null; then
            # The postgres user cannot reach DIR (a parent folder is private): keep the server
            # in a folder of its own and remember where.
            home=$(mktemp -d /tmp/gatehouse-postgres.XXXXXX)
            chown postgres: "$home"
            echo "$home" >"$dir/location"
        fi
    fi
    chmod 700 "$home"

    local log=$home/server.log
    # initdb and the server run from inside the folder, so an unreadable working folder
    # (such as /root) does not produce warnings.
    cd "$home"
    as_owner mkdir -p "$home/sock"
    if ! as_owner "$bindir/initdb" -D "$home/data" -U gatehouse -A trust -E UTF8 --locale=C \
        --no-sync >"$home/initdb.log" 2>&1; then
        cat "$home/initdb.log" >&2
        die "initdb failed in $home/data"
    fi

    local attempt port
    for attempt in 1 2 3 4 5 6 7 8; do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        port_in_use "$port" && continue
        # Durability is off for tests (speed); GATEHOUSE_PG_DURABLE=1 keeps PostgreSQL's defaults
        # (fsync on every commit), as benchmarks need to compare honestly with SQLite.
        local durability="fsync = off
synchronous_commit = off
full_page_writes = off"
        [ "${GATEHOUSE_PG_DURABLE:-0}" = "1" ] && durability="fsync = on
synchronous_commit = on"
        cat >"$home/data/gatehouse.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$home/sock'
max_connections = 300
$durability
logging_collector = off
EOF
        chown --reference="$home/data" "$home/data/gatehouse.conf"
        if ! grep -q "^include_if_exists = 'gatehouse.conf'" "$home/data/postgresql.conf"; then
            echo "include_if_exists = 'gatehouse.conf'" | as_owner tee -a "$home/data/postgresql.conf" >/dev/null
        fi
        if as_owner "$bindir/pg_ctl" -D "$home/data" -l "$log" -w -t 60 start >/dev/null 2>>"$home/pg_ctl.log"; then
            if command -v pg_isready >/dev/null 2>&1; then
                local i
                for i in $(seq 1 50); do
                    pg_isready -q -h 127.0.0.1 -p "$port" -d postgres -U gatehouse && break
                    sleep 0.2
                done
                pg_isready -q -h 127.0.0.1 -p "$port" -d postgres -U gatehouse || {
                    log_tail "$log"
                    die "the server started but does not accept connections on 127.0.0.1:$port"
                }
            fi
            echo "postgres://gatehouse@127.0.0.1:$port/postgres"
            return 0
        fi
        # Another process may have taken the port between the check and the start.
        if grep -q "could not bind\|Address already in use" "$log" 2>/dev/null; then
            continue
        fi
        break
    done
    cat "$home/pg_ctl.log" >&2 2>/dev/null || true
    log_tail "$log"
    die "cannot start PostgreSQL in $home/data"
}

stop() {
    if [[ ! -d $dir ]]; then
        return 0
    fi
    local home
    home=$(server_home)
    local status=0
    if [[ -f $home/data/postmaster.pid ]]; then
        local bindir
        bindir=$(find_bindir) || die "cannot find pg_ctl to stop the server in $home/data"
        (cd "$home" && as_owner "$bindir/pg_ctl" -D "$home/data" -m fast -w -t 60 stop >/dev/null) || {
            log_tail "$home/server.log"
            echo "test-postgres: cannot stop the server in $home/data" >&2
            status=1
        }
    fi
    if [[ $home != "$dir" ]]; then
        rm -rf "$home"
    fi
    rm -rf "$dir"
    return $status
}

case $command in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
