#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "bench_options.hpp"
#include "latency_samples.hpp"
#include "process_stats.hpp"
#include "sqlite_ceiling.hpp"
#include "workloads.hpp"

namespace mlflowcpp::bench {

// What the server spent on one phase: CPU (user + system, all its threads)
// and its resident memory once the phase was over.
struct PhaseCost {
  std::string phase;
  double server_cpu_seconds = 0;
  double resident_mib_after = 0;
};

// Every raw figure of one benchmark run.
struct BenchFigures {
  ProcessMemory memory_at_start;
  ProcessMemory memory_after_setup;
  ProcessMemory memory_after_loads;
  std::vector<PhaseCost> phase_costs;

  RequestRateResult health;      // GET /health, one connection: the HTTP floor
  RequestRateResult single;      // log-metric, one connection
  RequestRateResult concurrent;  // log-metric, many connections (empty when skipped)
  IngestResult ingest;           // log-batch
  IngestResult concurrent_ingest;  // log-batch from several clients at once (empty when skipped)
  SqliteCeilingResult ceiling;   // raw SQLite inserts, batch-sized transactions, right after log-batch
  SqliteCeilingResult single_row_ceiling;  // raw SQLite inserts, one row a transaction
  SearchSetup search;
  LatencySamples search_latencies;
  long long history_points = 0;
  LatencySamples history_latencies;

  // Server CPU seconds of the named phase; 0 when it did not run.
  double server_cpu_of(const std::string& phase) const;
};

// Runs the set-up and every phase, in order, against the server listening on
// `port` whose process is `server_pid`.
BenchFigures run_bench_phases(const BenchOptions& options, int port, pid_t server_pid);

}  // namespace mlflowcpp::bench
