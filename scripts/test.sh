#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite with ctest (what CI runs).
# Services the tests need are started by the tests themselves and stopped at the end.
# The AddressSanitizer/UndefinedBehaviorSanitizer run of the unit tests is scripts/sanitize.sh: a second full
# build, which would take CI past its time budget; run it before merging changes to threads or memory handling.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${MLFLOWCPP_BUILD_DIR:-$root/build}
"$root/scripts/install-deps.sh" --test
"$root/scripts/build.sh"
ctest --test-dir "$build_dir" --output-on-failure -j 2 --timeout 600
