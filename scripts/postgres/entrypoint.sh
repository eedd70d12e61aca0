#!/bin/sh
# The official postgres image's contract, as far as compose.yaml uses it: POSTGRES_USER,
# POSTGRES_PASSWORD and POSTGRES_DB create the cluster and the database on the first start,
# data in PGDATA, `postgres [options]` as the command.
set -eu
PGDATA="${PGDATA:-/var/lib/postgresql/data}"
BIN=/usr/lib/postgresql/15/bin
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /run/postgresql
  chown -R postgres:postgres "$PGDATA" /run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ "${1:-}" = postgres ]; then shift; fi
user="${POSTGRES_USER:-postgres}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  password=$(mktemp)
  printf '%s' "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}" > "$password"
  "$BIN/initdb" -D "$PGDATA" -U "$user" --pwfile="$password" -E UTF8 \
    --auth-local=trust --auth-host=scram-sha-256
  rm -f "$password"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  "$BIN/pg_ctl" -D "$PGDATA" -o "-c listen_addresses=''" -w start
  if [ -n "${POSTGRES_DB:-}" ] && [ "$POSTGRES_DB" != postgres ]; then
    "$BIN/psql" -v ON_ERROR_STOP=1 -U "$user" -d postgres -c "CREATE DATABASE \"$POSTGRES_DB\""
  fi
  "$BIN/pg_ctl" -D "$PGDATA" -m fast -w stop
fi
exec "$BIN/postgres" -D "$PGDATA" -c listen_addresses='*' "$@"
