#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `start` initialises one in a temporary
# folder (as the `postgres` user: initdb refuses root), listens on a loopback port and
# prints `export SHOUWANG_TEST_POSTGRES=postgres://…`; `stop` removes it. Nothing is
# downloaded: the binaries are Debian's `postgresql` package, installed by .ci/run.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
dir=${SHOUWANG_PG_DIR:-/tmp/shouwang-pg}
port=${SHOUWANG_PG_PORT:-55432}
# Off for the tests (nothing to keep); `cargo xtask bench --postgres` turns it on to measure
# writes as durable as SQLite's synchronous=FULL.
fsync=${SHOUWANG_PG_FSYNC:-off}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

case "${1:-}" in
  start)
    [ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
    rm -rf "$dir" && mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_postgres "'$bin/initdb' -D '$dir/data' -A trust -U postgres --locale=C.UTF-8 -E UTF8" >/dev/null
    as_postgres "'$bin/pg_ctl' -D '$dir/data' -l '$dir/log' -w -o \"-k '$dir' -p $port -c listen_addresses=127.0.0.1 -c fsync=$fsync -c max_connections=300\" start" >/dev/null
    echo "export SHOUWANG_TEST_POSTGRES=postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -d "$dir/data" ] && as_postgres "'$bin/pg_ctl' -D '$dir/data' -m immediate stop" >/dev/null || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
