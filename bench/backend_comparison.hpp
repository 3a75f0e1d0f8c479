#pragma once

// log-batch ingest and search-runs on each backend store, in one run: SQLite
// (one server), then PostgreSQL and MariaDB each with one server and with several
// server replicas on one database, the clients spread over the replicas.

#include <ostream>
#include <string>
#include <vector>

#include "bench_options.hpp"
#include "latency_samples.hpp"

namespace mlflowcpp::bench {

struct BackendUnderTest {
  std::string label;              // "SQLite", "PostgreSQL"
  std::string backend_store_uri;  // empty: a fresh SQLite file
  int replicas = 1;
};

struct BackendFigures {
  BackendUnderTest backend;
  int clients = 0;
  long metrics = 0;
  double ingest_seconds = 0;  // wall time of all clients' log-batch calls
  long searches = 0;
  double search_seconds = 0;  // wall time of all clients' search-runs calls
  LatencySamples search_latencies;
  double metrics_per_second() const { return ingest_seconds > 0 ? metrics / ingest_seconds : 0; }
  double searches_per_second() const { return search_seconds > 0 ? searches / search_seconds : 0; }
};

// Starts `backend.replicas` servers on the backend and runs the two loads
// with options.comparison_clients concurrent clients, client i talking to
// replica i % replicas.
BackendFigures measure_backend(const BenchOptions& options, const BackendUnderTest& backend);

// Runs SQLite, then PostgreSQL 15 (started here, in a temporary directory)
// with 1 and with options.replicas servers, and prints the table.
void run_backend_comparison(const BenchOptions& options, std::ostream& out);

}  // namespace mlflowcpp::bench
