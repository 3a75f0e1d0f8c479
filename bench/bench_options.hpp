#pragma once

#include <string>

namespace mlflowcpp::bench {

// Sizes and time bounds of one benchmark run. Every loop stops at its count or
// at its time bound, whichever comes first, so a slow server cannot make the
// run hang; the defaults make a run last about a minute on a 2-core machine.
struct BenchOptions {
  int log_metric_requests = 20000;        // single log-metric calls on one connection
  int ingest_batches = 100;               // log-batch calls during the ingest phase
  int batch_size = 1000;                  // metrics per log-batch call (MLflow's cap)
  int ingest_clients = 4;                 // clients of the concurrent log-batch phase (0 skips it)
  int search_run_count = 2000;            // runs the search phase searches over
  int search_queries = 200;               // search-runs calls timed
  int search_max_results = 100;           // max_results of each search call
  int history_points = 100000;            // points of the metric read by get-history
  int history_queries = 10;               // get-history calls timed
  int concurrent_clients = 16;            // 0 skips the concurrent phase
  int concurrent_requests_per_client = 1000;
  double phase_seconds = 10.0;            // time bound of each timed phase
  bool markdown = false;                  // print the result table as Markdown
  // The store of the standard phases: empty for a fresh SQLite file, or any
  // --backend-store-uri the server takes (e.g. an existing PostgreSQL database).
  std::string backend_store_uri;
  // Instead of the standard phases: log-batch and search-runs on SQLite and on
  // a PostgreSQL 15 the benchmark starts, with 1 and with `replicas` servers.
  bool compare_backends = false;
  int replicas = 2;               // servers on one PostgreSQL database in the comparison
  int comparison_clients = 8;     // concurrent clients of each comparison load
};

// Parses --name=value flags; prints usage and exits on --help or a bad flag.
BenchOptions parse_bench_options(int argc, char** argv);

}  // namespace mlflowcpp::bench
