#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server on 127.0.0.1 and
# NOTICES_TEST_POSTGRES_URL pointing at it; removed again on exit. Without PostgreSQL
# installed (or when the URL is already set) the command runs as it is, and the
# PostgreSQL tests say why they are skipped.
set -euo pipefail
if [ -n "${NOTICES_TEST_POSTGRES_URL:-}" ] || ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  exec "$@"
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGPORT=${PGPORT_TEST:-55432}
PGDIR=$(mktemp -d /tmp/notices-pg.XXXXXX)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDIR"
cleanup() { as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$PGDIR"; }
trap cleanup EXIT
as_postgres "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres -E UTF8 >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1" start >/dev/null
as_postgres "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc 'CREATE DATABASE notices_test'
export NOTICES_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$PGPORT/notices_test"
"$@"
