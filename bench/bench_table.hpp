#pragma once

#include "bench_options.hpp"
#include "bench_phases.hpp"
#include "report.hpp"

namespace mlflowcpp::bench {

// The result table of one run: each figure with its target, and the ratios
// between figures of the same run.
Report build_bench_table(const BenchOptions& options, const BenchFigures& figures);

}  // namespace mlflowcpp::bench
