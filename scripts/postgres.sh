#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the clinic server's tests and benchmark,
# on 127.0.0.1 only, outside the repository. Installs Debian's postgresql
# package when no server binaries are present.
#
#   eval "$(scripts/postgres.sh start)"   # starts it, exports STEADY_TEST_POSTGRES_URL
#   scripts/postgres.sh url               # prints the URL
#   scripts/postgres.sh stop              # stops it (the data stays for next time)
#   scripts/postgres.sh destroy           # stops it and deletes its data
#
# Variables: STEADY_CACHE (default ~/.cache/steady), STEADY_PG_PORT (55432),
# STEADY_PG_DIR (cluster directory; default $STEADY_CACHE/pg, or
# /var/tmp/steady/pg when running as root, because PostgreSQL refuses to run
# as root and its own user cannot enter root's home).
set -euo pipefail

STEADY_CACHE="${STEADY_CACHE:-$HOME/.cache/steady}"
PORT="${STEADY_PG_PORT:-55432}"
if [ "$(id -u)" = 0 ]; then
  PG_DIR="${STEADY_PG_DIR:-/var/tmp/steady/pg}"
else
  PG_DIR="${STEADY_PG_DIR:-$STEADY_CACHE/pg}"
fi
DATA="$PG_DIR/data"
DB=steady
URL="postgres://postgres@127.0.0.1:$PORT/$DB"

log() { echo "postgres.sh: $*" >&2; }

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  return 1
}

install_if_missing() {
  if ! find_bin >/dev/null; then
    log "installing postgresql from Debian packages"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
  fi
}

# Runs a command as the cluster's owner: `postgres` when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  install_if_missing
  local bin
  bin="$(find_bin)"
  mkdir -p "$PG_DIR"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DIR"
  if [ ! -s "$DATA/PG_VERSION" ]; then
    log "creating a cluster in $DATA"
    as_owner "$bin/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale >&2
  fi
  if as_owner "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    log "already running on 127.0.0.1:$PORT"
  else
    as_owner "$bin/pg_ctl" -D "$DATA" -l "$PG_DIR/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PG_DIR -c max_connections=300 -c fsync=on" \
      start >&2
  fi
  if ! as_owner "$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$DB'" postgres | grep -q 1; then
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
  fi
  echo "export STEADY_TEST_POSTGRES_URL=$URL"
}

stop() {
  local bin
  bin="$(find_bin)" || return 0
  if [ -s "$DATA/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_owner "$bin/pg_ctl" -D "$DATA" -m fast -w stop >&2
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$URL" ;;
  destroy) stop; rm -rf "$PG_DIR" ;;
  *) echo "usage: $0 start|stop|url|destroy" >&2; exit 2 ;;
esac
