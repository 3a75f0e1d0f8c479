#!/usr/bin/env bash
# Configures and builds mlflowcpp into ./build (or $MLFLOWCPP_BUILD_DIR), warnings as errors.
# Extra arguments go to the configure step (e.g. -DMLFLOWCPP_SANITIZE=address,undefined).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${MLFLOWCPP_BUILD_DIR:-$root/build}
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMLFLOWCPP_WERROR=ON "${launcher[@]}" "$@"
cmake --build "$build_dir" -j "$(nproc)"
