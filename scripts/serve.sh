#!/usr/bin/env bash
# Installs what is missing, builds, and starts `mlflowcpp server` on the
# embedded SQLite default (sqlite:///mlflow.db in the current directory).
# Extra arguments go to the server, e.g. --host 0.0.0.0 --port 5000.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" >/dev/null
exec "${MLFLOWCPP_BUILD_DIR:-$root/build}/server/mlflowcpp" server "$@"
