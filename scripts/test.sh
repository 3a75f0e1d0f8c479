#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite with ctest; then
# builds the unit tests again with AddressSanitizer and UndefinedBehaviorSanitizer
# (in $MLFLOWCPP_SANITIZE_BUILD_DIR, default <build dir>-sanitize) and runs them there.
# Services the tests need are started by the tests themselves and stopped at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${MLFLOWCPP_BUILD_DIR:-$root/build}
"$root/scripts/install-deps.sh" --test
"$root/scripts/build.sh"
ctest --test-dir "$build_dir" --output-on-failure -j 2 --timeout 600

"$root/scripts/sanitize.sh"
