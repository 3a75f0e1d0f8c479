#!/usr/bin/env bash
# The deployment's topology on this machine, from the built binary and without a container engine: a throwaway
# PostgreSQL (tracking and basic-auth databases), the S3 emulator s3rver with one bucket, two `mlflowcpp server`
# replicas on that database and bucket with basic auth on, and a round-robin proxy in front of them on one port.
#   deploy/local-stack.sh start    starts everything, prints the client variables (also in $LOCAL_STACK_DIR/client.env)
#   deploy/local-stack.sh status   says what runs; exit 0 when everything does, 3 otherwise
#   deploy/local-stack.sh stop     stops everything and removes the stack's directory (its data too)
# Settings (environment):
#   LOCAL_STACK_DIR     where the stack keeps its data, logs and process ids (default /tmp/mlflowcpp-local-stack)
#   LOCAL_STACK_PORT    the proxy's port, the one clients use (default 5000)
#   LOCAL_STACK_BINARY  the mlflowcpp program (default $MLFLOWCPP_BUILD_DIR/server/mlflowcpp, else build/server/mlflowcpp)
# Needs what scripts/install-deps.sh --test installs: PostgreSQL 15, Node.js and s3rver.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
stack_dir=${LOCAL_STACK_DIR:-/tmp/mlflowcpp-local-stack}
proxy_port=${LOCAL_STACK_PORT:-5000}
binary=${LOCAL_STACK_BINARY:-${MLFLOWCPP_BUILD_DIR:-$root/build}/server/mlflowcpp}
readonly postgres_bin=/usr/lib/postgresql/15/bin
readonly bucket=mlflow
readonly replicas=2
# s3rver's only key pair.
readonly s3_key=S3RVER

# PostgreSQL's programs refuse to run as root: then they run as the system user postgres.
as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })"
}

# Starts a command in its own session (so `stop` reaches everything it starts) with its output in a log file,
# and records its process id under the given name.
start_background() {
  local name=$1
  shift
  setsid "$@" </dev/null >"$stack_dir/$name.log" 2>&1 &
  echo $! >"$stack_dir/$name.pid"
}

is_running() {
  local pid_file="$stack_dir/$1.pid"
  [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

# Waits until `command...` succeeds, for at most $1 seconds.
wait_for() {
  local seconds=$1
  shift
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then return 1; fi
    sleep 0.2
  done
}

# The image's health check, on loopback port $1.
healthy() {
  MLFLOW_PORT=$1 MLFLOW_STATIC_PREFIX='' "$root/deploy/healthcheck.sh"
}

fail() {
  echo "local-stack: $1" >&2
  if [[ -n "${2:-}" && -f "$2" ]]; then tail -n 30 "$2" >&2; fi
  stop_stack >/dev/null 2>&1 || true
  exit 1
}

start_postgres() {
  local data="$stack_dir/postgres"
  local port
  port=$(free_port)
  mkdir -p "$data"
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$data"; fi
  as_postgres "$postgres_bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C --no-sync --no-instructions \
    >"$stack_dir/initdb.log" 2>&1 || fail "initdb failed" "$stack_dir/initdb.log"
  # Loopback TCP only, no Unix socket: nothing to collide with another PostgreSQL on this machine.
  printf "listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\nport = %s\nfsync = off\n" "$port" \
    >>"$data/postgresql.conf"
  touch "$stack_dir/postgres.log"
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$stack_dir/postgres.log"; fi
  as_postgres "$postgres_bin/pg_ctl" start -w -t 30 -D "$data" -l "$stack_dir/postgres.log" >/dev/null ||
    fail "PostgreSQL did not start" "$stack_dir/postgres.log"
  for database in mlflow mlflow_auth; do
    as_postgres "$postgres_bin/psql" -h 127.0.0.1 -p "$port" -U postgres -q -c "CREATE DATABASE $database" ||
      fail "cannot create database $database"
  done
  echo "$port" >"$stack_dir/postgres.port"
}

start_s3() {
  local port
  port=$(free_port)
  mkdir -p "$stack_dir/s3"
  start_background s3rver s3rver --directory "$stack_dir/s3" --address 127.0.0.1 --port "$port" --no-vhost-buckets \
    --silent --configure-bucket "$bucket"
  wait_for 30 grep -q "S3rver listening" "$stack_dir/s3rver.log" || fail "s3rver did not start" "$stack_dir/s3rver.log"
  echo "$port" >"$stack_dir/s3rver.port"
}

# Replica $1 on the shared database and bucket.
start_replica() {
  local index=$1 port
  port=$(free_port)
  start_background "server-$index" env \
    MLFLOW_S3_ENDPOINT_URL="http://127.0.0.1:$(cat "$stack_dir/s3rver.port")" \
    AWS_ACCESS_KEY_ID="$s3_key" AWS_SECRET_ACCESS_KEY="$s3_key" AWS_DEFAULT_REGION=us-east-1 \
    MLFLOW_AUTH_CONFIG_PATH="$stack_dir/basic_auth.ini" \
    "$binary" server --host 127.0.0.1 --port "$port" \
    --backend-store-uri "postgresql://postgres@127.0.0.1:$(cat "$stack_dir/postgres.port")/mlflow" \
    --artifacts-destination "s3://$bucket/artifacts" --app-name basic-auth --trusted-proxies 127.0.0.1
  wait_for 30 healthy "$port" || fail "replica $index did not answer /health" "$stack_dir/server-$index.log"
  echo "$port" >"$stack_dir/server-$index.port"
}

start_proxy() {
  local upstreams=()
  for ((index = 1; index <= replicas; index++)); do upstreams+=("127.0.0.1:$(cat "$stack_dir/server-$index.port")"); done
  start_background proxy node "$root/deploy/round-robin-proxy.mjs" "$proxy_port" "${upstreams[@]}"
  wait_for 10 healthy "$proxy_port" || fail "the proxy did not start on port $proxy_port" "$stack_dir/proxy.log"
}

start_stack() {
  [[ -x "$binary" ]] || { echo "local-stack: no mlflowcpp at $binary (build first, or set LOCAL_STACK_BINARY)" >&2; exit 1; }
  if [[ -e "$stack_dir" ]]; then
    echo "local-stack: $stack_dir exists: stop the running stack first (deploy/local-stack.sh stop)" >&2
    exit 1
  fi
  mkdir -p "$stack_dir"
  if [[ $(id -u) -eq 0 ]]; then chmod 755 "$stack_dir"; fi
  local password
  password=$(head -c 18 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')
  printf '[mlflow]\ndefault_permission = READ\ndatabase_uri = %s\nadmin_username = admin\nadmin_password = %s\n' \
    "postgresql://postgres@127.0.0.1:PORT/mlflow_auth" "$password" >"$stack_dir/basic_auth.ini"
  start_postgres
  sed -i "s/:PORT\//:$(cat "$stack_dir/postgres.port")\//" "$stack_dir/basic_auth.ini"
  start_s3
  # One after the other: the first creates the schema of the empty databases.
  for ((index = 1; index <= replicas; index++)); do start_replica "$index"; done
  start_proxy
  cat >"$stack_dir/client.env" <<VARIABLES
MLFLOW_TRACKING_URI=http://127.0.0.1:$proxy_port
MLFLOW_TRACKING_USERNAME=admin
MLFLOW_TRACKING_PASSWORD=$password
VARIABLES
  echo "Local stack running ($stack_dir): PostgreSQL on $(cat "$stack_dir/postgres.port"), s3rver on" \
    "$(cat "$stack_dir/s3rver.port"), replicas on $(cat "$stack_dir"/server-*.port | paste -sd, -), proxy on $proxy_port."
  echo "Client variables (artifacts go through the servers: clients need no S3 credentials):"
  sed 's/^/export /' "$stack_dir/client.env"
}

stop_process() {
  local name=$1 pid
  [[ -f "$stack_dir/$name.pid" ]] || return 0
  pid=$(cat "$stack_dir/$name.pid")
  # The session it was started in: the process and anything it started.
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait_for 40 bash -c "! kill -0 $pid" || kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$stack_dir/$name.pid"
}

stop_stack() {
  [[ -d "$stack_dir" ]] || { echo "local-stack: not running ($stack_dir does not exist)"; return 0; }
  stop_process proxy
  for ((index = 1; index <= replicas; index++)); do stop_process "server-$index"; done
  stop_process s3rver
  if [[ -f "$stack_dir/postgres/postmaster.pid" ]]; then
    as_postgres "$postgres_bin/pg_ctl" stop -w -m fast -D "$stack_dir/postgres" >/dev/null 2>&1 || true
  fi
  rm -rf "$stack_dir"
  echo "local-stack: stopped"
}

status_stack() {
  local all=0 name
  for name in postgres s3rver server-1 server-2 proxy; do
    local state=stopped
    if [[ $name == postgres ]]; then
      if as_postgres "$postgres_bin/pg_ctl" status -D "$stack_dir/postgres" >/dev/null 2>&1; then state=running; fi
    elif is_running "$name"; then
      state=running
    fi
    [[ $state == running ]] || all=3
    printf '%-9s %s\n' "$name" "$state"
  done
  return $all
}

case "${1:-}" in
  start) start_stack ;;
  stop) stop_stack ;;
  status) status_stack ;;
  *)
    echo "usage: deploy/local-stack.sh start|stop|status" >&2
    exit 2
    ;;
esac
