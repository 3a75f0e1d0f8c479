#pragma once

#include <string>

namespace mlflowcpp::bench {

// One progress line on stderr, stamped with the monotonic clock (seconds since
// boot: the clock `perf record -k CLOCK_MONOTONIC` uses), so that a profile can
// be cut to one phase with `perf report --time <start>,<end>`.
void progress(const std::string& message);

}  // namespace mlflowcpp::bench
