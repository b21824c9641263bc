#!/usr/bin/env bash
# A local EDU24 cluster on one machine: one process per service, one PostgreSQL database
# per service, NATS JetStream for events.
#
#   ops/cluster.sh [start]   create the databases, migrate, seed, start every service
#   ops/cluster.sh stop      stop the processes this script started
#   ops/cluster.sh status    show what runs and whether it is ready
#
# Needs: psql and curl on PATH, a PostgreSQL server and a NATS server with JetStream
# (nats-server -js). Settings, all optional:
#   EDU24_BIN        the binary (default target/release/edu24, else target/debug/edu24)
#   PGHOST PGPORT PGUSER PGPASSWORD   PostgreSQL (default 127.0.0.1, 5432, postgres)
#   EDU24_NATS_URL   NATS server (default nats://127.0.0.1:4222)
#   EDU24_LOG        log filter (default info)
#   CLUSTER_SEED     run `edu24 seed` on start (default true)
#   CLUSTER_READY_TIMEOUT   seconds to wait for each /readyz (default 60)
# PGPASSWORD, when set, goes into the database URLs as is (URL-encode special characters).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="$ROOT/ops/cluster-logs"

# Services with a database, in start order: name, gRPC address, health/metrics address.
# Adding a service is one line here.
BACKENDS=(
  "identity  127.0.0.1:50061 127.0.0.1:9161"
  "catalogue 127.0.0.1:50062 127.0.0.1:9162"
  "curriculum 127.0.0.1:50063 127.0.0.1:9163"
  "records 127.0.0.1:50064 127.0.0.1:9164"
  "diploma 127.0.0.1:50065 127.0.0.1:9165"
)
GATEWAY_HTTP="127.0.0.1:8080"

export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-postgres}"
NATS_URL="${EDU24_NATS_URL:-nats://127.0.0.1:4222}"
LOG_FILTER="${EDU24_LOG:-info}"
SEED="${CLUSTER_SEED:-true}"
READY_TIMEOUT="${CLUSTER_READY_TIMEOUT:-60}"
PORTAL_URL="http://$GATEWAY_HTTP"

die() { echo "cluster: $*" >&2; exit 1; }

# A 32-byte key (hex) made once and kept in the run folder (owner only): records' grade
# log seal (grade-log), diploma's signing master key (diploma).
key_file() {
  local f="$RUN_DIR/$1.key"
  if [[ ! -s "$f" ]]; then
    mkdir -p "$RUN_DIR"
    (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > "$f")
  fi
  cat "$f"
}
say() { echo "cluster: $*"; }

find_bin() {
  if [[ -n "${EDU24_BIN:-}" ]]; then
    BIN="$EDU24_BIN"
  elif [[ -x "$ROOT/target/release/edu24" ]]; then
    BIN="$ROOT/target/release/edu24"
  elif [[ -x "$ROOT/target/debug/edu24" ]]; then
    BIN="$ROOT/target/debug/edu24"
  else
    die "no edu24 binary: run 'cargo build --release -p edu24-gateway --bin edu24' or set EDU24_BIN"
  fi
  [[ -x "$BIN" ]] || die "EDU24_BIN=$BIN is not executable"
}

backend_names() {
  local line name
  for line in "${BACKENDS[@]}"; do
    read -r name _ <<<"$line"
    echo "$name"
  done
}

# name -> its line fields: sets GRPC and HTTP.
backend_addrs() {
  local line name
  for line in "${BACKENDS[@]}"; do
    read -r name GRPC HTTP <<<"$line"
    [[ "$name" == "$1" ]] && return 0
  done
  die "unknown service $1"
}

upper() { tr '[:lower:]' '[:upper:]' <<<"$1"; }

database_url() {
  local auth="$PGUSER"
  if [[ -n "${PGPASSWORD:-}" ]]; then auth="$PGUSER:$PGPASSWORD"; fi
  echo "postgres://$auth@$PGHOST:$PGPORT/edu24_$1"
}

# EDU24_<NAME>_URL=... for every backend started before $1 (all of them for the gateway).
peer_urls() {
  local name
  for name in $(backend_names); do
    [[ "$name" == "$1" ]] && break
    backend_addrs "$name"
    echo "EDU24_$(upper "$name")_URL=http://$GRPC"
  done
}

pidfile() { echo "$RUN_DIR/$1.pid"; }

# The pid of service $1 if the process in its pid file is still that service.
running_pid() {
  local file pid args
  file="$(pidfile "$1")"
  [[ -f "$file" ]] || return 1
  pid="$(<"$file")"
  [[ -n "$pid" ]] || return 1
  args="$(ps -p "$pid" -o args= 2>/dev/null)" || return 1
  [[ "$args" == *"serve $1"* ]] || return 1
  echo "$pid"
}

create_database() {
  local db="edu24_$1" found
  found="$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ||
    die "cannot query PostgreSQL at $PGUSER@$PGHOST:$PGPORT"
  if [[ "$found" == 1 ]]; then
    say "database $db exists"
  else
    say "creating database $db"
    psql -d postgres -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$db\""
  fi
}

# prepare NAME VAR=VALUE...: creates, migrates and seeds the database of NAME; the
# variables name the services started before it (curriculum's demo follows catalogue's).
prepare() {
  local name url
  name="$1"
  shift
  url="$(database_url "$name")"
  create_database "$name"
  say "migrating $name"
  EDU24_SERVICE="$name" EDU24_DATABASE_URL="$url" EDU24_LOG="$LOG_FILTER" "$BIN" migrate
  if [[ "$SEED" == "true" ]]; then
    say "seeding $name"
    env "$@" EDU24_SERVICE="$name" EDU24_DATABASE_URL="$url" EDU24_NATS_URL="$NATS_URL" \
      EDU24_LOG="$LOG_FILTER" "$BIN" seed
  fi
}

# start NAME HTTP_ADDR VAR=VALUE...: starts `edu24 serve NAME` in the background.
start() {
  local name="$1" http="$2"
  shift 2
  env "$@" \
    EDU24_NATS_URL="$NATS_URL" \
    EDU24_HTTP_ADDR="$http" \
    EDU24_LOG="$LOG_FILTER" \
    EDU24_LOG_FORMAT=text \
    EDU24_PUBLIC_URL="$PORTAL_URL" \
    EDU24_COOKIE_SECURE=false \
    nohup "$BIN" serve "$name" >>"$RUN_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$(pidfile "$name")"
  say "started $name (pid $!, log ops/cluster-logs/$name.log)"
  wait_ready "$name" "http://$http/readyz"
}

wait_ready() {
  local name="$1" url="$2" deadline=$((SECONDS + READY_TIMEOUT))
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    if ! running_pid "$name" >/dev/null; then
      tail -n 20 "$RUN_DIR/$name.log" >&2 || true
      die "$name exited before it was ready (see ops/cluster-logs/$name.log)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 20 "$RUN_DIR/$name.log" >&2 || true
      die "$name not ready after ${READY_TIMEOUT}s at $url (database or NATS unreachable?)"
    fi
    sleep 0.5
  done
  say "$name ready"
}

cmd_start() {
  command -v psql >/dev/null || die "psql not found"
  command -v curl >/dev/null || die "curl not found"
  find_bin
  mkdir -p "$RUN_DIR"
  local name pid
  for name in $(backend_names) gateway; do
    if pid="$(running_pid "$name")"; then
      die "$name already runs (pid $pid); run 'ops/cluster.sh stop' first"
    fi
  done
  say "binary $BIN, PostgreSQL $PGUSER@$PGHOST:$PGPORT, NATS $NATS_URL"

  # On a failed start, stop what this run started.
  trap 'rc=$?; if ((rc != 0)); then echo "cluster: start failed, stopping" >&2; cmd_stop; fi' EXIT
  local url
  local -a urls
  for name in $(backend_names) gateway; do
    urls=()
    while read -r url; do urls+=("$url"); done < <(peer_urls "$name")
    if [[ "$name" == gateway ]]; then
      start gateway "$GATEWAY_HTTP" ${urls[@]+"${urls[@]}"}
    else
      prepare "$name" ${urls[@]+"${urls[@]}"}
      backend_addrs "$name"
      if [[ "$name" == records ]]; then urls+=("EDU24_GRADE_LOG_KEY=$(key_file grade-log)"); fi
      if [[ "$name" == diploma ]]; then urls+=("EDU24_DIPLOMA_KEY=$(key_file diploma)" "EDU24_PUBLIC_URL=$PORTAL_URL"); fi
      start "$name" "$HTTP" EDU24_GRPC_ADDR="$GRPC" EDU24_DATABASE_URL="$(database_url "$name")" \
        ${urls[@]+"${urls[@]}"}
    fi
  done
  trap - EXIT

  say "portal: $PORTAL_URL"
  say "stop with: ops/cluster.sh stop"
}

cmd_stop() {
  local -a names=()
  local name pid i
  # Reverse start order: the gateway first, then the backends from last to first.
  for name in $(backend_names); do names=("$name" ${names[@]+"${names[@]}"}); done
  names=(gateway "${names[@]}")
  for name in "${names[@]}"; do
    if pid="$(running_pid "$name")"; then
      kill -TERM "$pid"
      for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
      done
      if kill -0 "$pid" 2>/dev/null; then
        say "$name did not stop in 10s, killing pid $pid"
        kill -KILL "$pid" 2>/dev/null || true
      fi
      say "stopped $name (pid $pid)"
    fi
    rm -f "$(pidfile "$name")"
  done
}

cmd_status() {
  local name pid http
  for name in $(backend_names) gateway; do
    if [[ "$name" == gateway ]]; then http="$GATEWAY_HTTP"; else backend_addrs "$name"; http="$HTTP"; fi
    if pid="$(running_pid "$name")"; then
      if curl -fsS -o /dev/null --max-time 2 "http://$http/readyz" 2>/dev/null; then
        echo "$name: running (pid $pid), ready"
      else
        echo "$name: running (pid $pid), NOT ready"
      fi
    else
      echo "$name: stopped"
    fi
  done
}

case "${1:-start}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) die "usage: ops/cluster.sh [start|stop|status]" ;;
esac
