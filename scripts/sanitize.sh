#!/usr/bin/env bash
# Builds the in-process unit tests (the library, the server's search, store and http
# layers, tests/unit) with AddressSanitizer and UndefinedBehaviorSanitizer into
# $MLFLOWCPP_SANITIZE_BUILD_DIR (default: <build dir>-sanitize) and runs them
# (`ctest -L unit`). The first finding fails the run. Extra arguments go to ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${MLFLOWCPP_BUILD_DIR:-$root/build}
sanitize_dir=${MLFLOWCPP_SANITIZE_BUILD_DIR:-$build_dir-sanitize}
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# Only what the unit tests need: no benchmarks, examples or bindings, no install step.
# -O1 with line tables only: quicker to compile than -O2 -g, and reports still name file and line.
cmake -S "$root" -B "$sanitize_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMLFLOWCPP_WERROR=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" \
  -DMLFLOWCPP_SANITIZE=address,undefined -DMLFLOWCPP_BUILD_BENCH=OFF -DMLFLOWCPP_BUILD_EXAMPLES=OFF \
  -DMLFLOWCPP_BUILD_BINDINGS=OFF -DMLFLOWCPP_INSTALL=OFF "${launcher[@]}"
cmake --build "$sanitize_dir" -j "$(nproc)" --target mlflowcpp_unit_tests
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# Speed and resident-memory checks are left to the normal build: under the sanitizers timings mean
# nothing, and ASan's quarantine keeps freed memory resident on purpose.
ctest --test-dir "$sanitize_dir" -L unit -E 'PerfTest\.|ManyRuns\.TypicalSearch|LargeTransfersAreStreamedBothWays' --output-on-failure -j 2 \
  --timeout 600 "$@"
