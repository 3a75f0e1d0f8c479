#!/usr/bin/env bash
# Builds what a deployment runs (the `mlflowcpp` program and the library; no tests, benchmarks or examples) as a
# Release build into $MLFLOWCPP_BUILD_DIR (default ./build-release) and installs it, stripped, below the prefix
# given as the first argument (default /usr/local). deploy/Dockerfile calls it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${1:-/usr/local}
build_dir=${MLFLOWCPP_BUILD_DIR:-$root/build-release}
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DMLFLOWCPP_BUILD_TESTS=OFF -DMLFLOWCPP_BUILD_BENCH=OFF -DMLFLOWCPP_BUILD_EXAMPLES=OFF -DMLFLOWCPP_INSTALL=ON
cmake --build "$build_dir" -j "$(nproc)"
cmake --install "$build_dir" --strip
