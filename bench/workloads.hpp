#pragma once

#include <string>
#include <vector>

#include "latency_samples.hpp"

namespace mlflowcpp::bench {

// Every workload talks to the server at 127.0.0.1:<port> and stops at its
// count or after `max_seconds`, whichever comes first.

struct RequestRateResult {
  long requests = 0;
  double seconds = 0;
  LatencySamples latencies;   // empty for the concurrent workload
  long closed_by_server = 0;  // responses that closed the keep-alive connection
  long failed_clients = 0;    // concurrent clients stopped by a failed call
  std::string first_error;    // the first of those failures
  double per_second() const { return seconds > 0 ? static_cast<double>(requests) / seconds : 0; }
};

// Single log-metric calls, one after the other, over one keep-alive connection.
RequestRateResult run_single_log_metric(int port, const std::string& run_id, int max_requests, double max_seconds);

// GET /health calls on one keep-alive connection: the cost of an HTTP round
// trip through the server with no work behind it, the floor of log-metric.
RequestRateResult run_health_baseline(int port, int max_requests, double max_seconds);

// One client per run id, each on its own connection, doing log-metric calls at
// the same time; `seconds` is the wall time of the whole. A client whose call
// fails stops and is counted in failed_clients; the others go on.
RequestRateResult run_concurrent_log_metric(int port, const std::vector<std::string>& run_ids,
                                            int requests_per_client, double max_seconds);

struct IngestResult {
  long metrics = 0;
  long batches = 0;
  double seconds = 0;          // time spent inside log-batch calls
  long long next_step = 0;     // first step not logged yet
  double metrics_per_second() const { return seconds > 0 ? static_cast<double>(metrics) / seconds : 0; }
};

// log-batch calls of `batch_size` points of `key` each, steps from `first_step` on.
IngestResult run_batch_ingest(int port, const std::string& run_id, const std::string& key, long long first_step,
                              int max_batches, int batch_size, double max_seconds);

// One client per run id, each on its own connection, sending `batches_per_client`
// log-batch calls of `batch_size` points at the same time (bodies built before
// the clock starts); `seconds` is the wall time of the whole. Throws the first
// failure once every client has stopped.
IngestResult run_concurrent_batch_ingest(int port, const std::vector<std::string>& run_ids, int batches_per_client,
                                         int batch_size, double max_seconds);

// What the search workload asks for and what a correct answer holds.
struct SearchSetup {
  std::string experiment_id;
  std::string filter;
  std::string order_by;
  // Run ids of the expected answer, best first (before max_results cuts it).
  std::vector<std::string> expected_run_ids;
};

// Creates `run_count` runs, each with three metrics, params and tags, and
// returns the search over them: a metric filter, a param filter, ordered by a metric.
SearchSetup set_up_search_runs(int port, int run_count);

// Times search-runs calls; throws if the first answer is not the expected one.
LatencySamples run_search_queries(int port, const SearchSetup& setup, int max_results, int max_queries,
                                  double max_seconds);

// Times get-history calls of `key`; throws if an answer lacks points.
LatencySamples run_history_reads(int port, const std::string& run_id, const std::string& key, long expected_points,
                                 int max_queries, double max_seconds);

// The clock reading `seconds` after `start`.
Clock::time_point deadline_after(Clock::time_point start, double seconds);

}  // namespace mlflowcpp::bench
