#!/usr/bin/env bash
# Checks the installed package the way a user consumes it: installs the build
# to a temporary prefix, builds examples/ as a standalone CMake project with
# find_package(mlflowcpp), starts `mlflowcpp server` on a free loopback port and
# runs every example against it; then runs them all again offline, with
# MLFLOW_TRACKING_URI=sqlite:///<file> and no server (the installed store
# module), and checks the file. Exits non-zero when any example fails.
#
#   examples/run_examples.sh [build dir]     (default: $MLFLOWCPP_BUILD_DIR or ./build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-${MLFLOWCPP_BUILD_DIR:-$root/build}}
work=$(mktemp -d -t mlflowcpp-examples-XXXXXX)
server_pid=""

cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== installing $build_dir to $work/prefix"
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null

echo "== building examples against the installed package"
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S "$root/examples" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" -DMLFLOWCPP_WERROR=ON \
  "${launcher[@]}" >/dev/null
cmake --build "$work/build" -j 2

server="$work/prefix/bin/mlflowcpp"
[[ -x "$server" ]] || server="$build_dir/server/mlflowcpp"

# A free port: nothing answers a connection on it.
port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 20000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    port=$candidate
    break
  fi
done
[[ -n "$port" ]] || { echo "no free port found"; exit 1; }

echo "== starting $server on port $port"
"$server" server --host 127.0.0.1 --port "$port" --backend-store-uri "sqlite:///$work/mlflow.db" \
  --artifacts-destination "$work/artifacts" >"$work/server.log" 2>&1 &
server_pid=$!

# GET /health over bash's /dev/tcp: no HTTP tool needed on the machine.
is_healthy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$port" &&
    printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 &&
    head -n 1 <&3) 2>/dev/null | grep -q " 200"
}
healthy=false
for _ in $(seq 1 200); do
  if is_healthy; then healthy=true; break; fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if ! $healthy; then
  echo "server did not become healthy:"; cat "$work/server.log"; exit 1
fi

export MLFLOW_TRACKING_URI="http://127.0.0.1:$port"
export MLFLOW_EXPERIMENT_NAME="examples"
export MLFLOW_HTTP_REQUEST_MAX_RETRIES=2
passed=0
failed=0
examples=(training_loop hyperparameter_sweep low_level_client register_model load_model)
# The C and Fortran programs, when the package has the bindings (and a Fortran compiler built them).
for optional in c_training_loop fortran_training_loop; do
  [[ -x "$work/build/$optional" ]] && examples+=("$optional")
done
for example in "${examples[@]}"; do
  echo "== $example"
  if timeout 120 "$work/build/$example"; then
    passed=$((passed + 1))
  else
    echo "FAILED: $example"
    failed=$((failed + 1))
  fi
done

# Offline: the same programs into a SQLite file, through the installed store module. The C and Fortran programs find
# it next to libmlflowcpp_c.so; the C++ ones link the library statically, so the loader's search path finds it (as it
# finds an installed one in the system's library directories).
echo "== offline: MLFLOW_TRACKING_URI=sqlite:///$work/offline/runs.db"
mkdir -p "$work/offline"
export MLFLOW_TRACKING_URI="sqlite:///$work/offline/runs.db"
lib_dir=$(dirname "$(find "$work/prefix" -name 'libmlflowcpp-store.so.*' -print -quit)")
for example in "${examples[@]}"; do
  echo "== offline $example"
  library_path=$lib_dir
  case $example in c_* | fortran_*) library_path="" ;; esac
  if (cd "$work/offline" && LD_LIBRARY_PATH=$library_path timeout 120 "$work/build/$example"); then
    passed=$((passed + 1))
  else
    echo "FAILED offline: $example"
    failed=$((failed + 1))
  fi
done
# The file holds what the programs logged, in MLflow's schema.
offline_runs=$(sqlite3 "$work/offline/runs.db" "SELECT count(*) FROM runs WHERE status = 'FINISHED'")
offline_metrics=$(sqlite3 "$work/offline/runs.db" "SELECT count(*) FROM metrics")
echo "offline file: $offline_runs finished runs, $offline_metrics metrics"
if ((offline_runs < ${#examples[@]} - 1 || offline_metrics == 0)); then
  echo "FAILED offline: the file lacks what the examples logged"
  failed=$((failed + 1))
fi

echo "examples finished: $passed of $((passed + failed)) exited 0"
((failed == 0))
