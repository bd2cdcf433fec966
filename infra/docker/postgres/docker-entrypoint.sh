#!/usr/bin/env bash
# The official postgres image's contract, for Debian's PostgreSQL 15: on an empty PGDATA, initdb
# with POSTGRES_USER (default postgres) and POSTGRES_PASSWORD (required), create POSTGRES_DB
# (default: the user's name), listen on every address, password (scram-sha-256) from any host;
# then run the server as the postgres user. Arguments after `postgres` (or starting with `-`) go
# to the server; any other command runs as given.
set -euo pipefail

first="${1:-postgres}"
if [ "$first" != postgres ] && [ "${first:0:1}" != - ]; then
  exec "$@"
fi
if [ "$first" = postgres ] && [ $# -gt 0 ]; then shift; fi

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" postgres "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set (as for the official postgres image)}"
  user="${POSTGRES_USER:-postgres}"
  db="${POSTGRES_DB:-$user}"
  echo "postgres-entrypoint: initdb for user $user, database $db"
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of flags, as in the official image
  initdb --username="$user" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --encoding=UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 \
    ${POSTGRES_INITDB_ARGS:-} -D "$PGDATA" >/dev/null
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  # Containers on the compose network reach the server by its address, not the loopback.
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [ "$db" != postgres ]; then
    # Single-user mode: nothing listens, so no healthcheck can pass before the real server runs.
    printf 'CREATE DATABASE "%s";\n' "${db//\"/\"\"}" | postgres --single -D "$PGDATA" postgres >/dev/null
  fi
  echo "postgres-entrypoint: PostgreSQL init done"
fi

exec postgres "$@"
