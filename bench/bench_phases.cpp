#include "bench_phases.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "progress.hpp"
#include "rest_client.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::bench {
namespace {

// Runs `phase` and records what the server spent on it; returns what `phase` returns.
template <typename Phase>
auto metered(pid_t server_pid, const std::string& name, std::vector<PhaseCost>& costs, Phase phase) {
  const double cpu_before = read_process_cpu_seconds(server_pid);
  auto result = phase();
  costs.push_back(PhaseCost{name, read_process_cpu_seconds(server_pid) - cpu_before,
                            read_process_memory(server_pid).resident_mib});
  progress(fmt::format("{} done: server CPU {:.2f} s, resident {:.1f} MiB", name, costs.back().server_cpu_seconds,
                       costs.back().resident_mib_after));
  return result;
}

// Logs points of `key` until the metric has `points` points (untimed set-up).
long long fill_metric_to(int port, const std::string& run_id, const std::string& key, long long next_step,
                         long long points, int batch_size) {
  while (next_step < points) {
    const int count = static_cast<int>(std::min<long long>(batch_size, points - next_step));
    next_step = run_batch_ingest(port, run_id, key, next_step, 1, count, 60.0).next_step;
  }
  return next_step;
}

// The runs the load phases write to, in an experiment of their own.
struct LoadRuns {
  std::string log_metric_run;
  std::string history_run;  // log-batch writes here; get-history reads it back
  std::vector<std::string> concurrent_runs;
  std::vector<std::string> ingest_runs;  // one per concurrent log-batch client
};

LoadRuns create_load_runs(int port, int concurrent_clients, int ingest_clients) {
  RestClient client(port);
  const std::string experiment_id = create_experiment(client, "load-benchmark");
  LoadRuns runs;
  runs.log_metric_run = create_run(client, experiment_id, "single-log-metric");
  runs.history_run = create_run(client, experiment_id, "batch-ingest-and-history");
  for (int i = 0; i < concurrent_clients; ++i) {
    runs.concurrent_runs.push_back(create_run(client, experiment_id, fmt::format("concurrent-{}", i)));
  }
  for (int i = 0; i < ingest_clients; ++i) {
    runs.ingest_runs.push_back(create_run(client, experiment_id, fmt::format("concurrent-ingest-{}", i)));
  }
  return runs;
}

}  // namespace

double BenchFigures::server_cpu_of(const std::string& phase) const {
  for (const auto& cost : phase_costs) {
    if (cost.phase == phase) return cost.server_cpu_seconds;
  }
  return 0.0;
}

BenchFigures run_bench_phases(const BenchOptions& options, int port, pid_t server_pid) {
  BenchFigures figures;
  auto& costs = figures.phase_costs;
  figures.memory_at_start = read_process_memory(server_pid);
  progress(fmt::format("server pid {} on port {}, {:.1f} MiB resident", server_pid, port,
                       figures.memory_at_start.resident_mib));

  // ---- set-up: runs for the search, and the runs the loads write to.
  progress(fmt::format("creating {} runs for the search", options.search_run_count));
  figures.search =
      metered(server_pid, "set-up", costs, [&] { return set_up_search_runs(port, options.search_run_count); });
  const LoadRuns runs = create_load_runs(port, options.concurrent_clients, options.ingest_clients);
  figures.memory_after_setup = read_process_memory(server_pid);

  // ---- 1. single log-metric calls over one keep-alive connection, after the
  // HTTP floor under the same conditions: GET /health on one connection.
  progress(fmt::format("GET /health: up to {} calls", options.log_metric_requests));
  figures.health = metered(server_pid, "health", costs, [&] {
    return run_health_baseline(port, options.log_metric_requests, options.phase_seconds);
  });
  progress(fmt::format("log-metric: up to {} calls", options.log_metric_requests));
  figures.single = metered(server_pid, "log-metric", costs, [&] {
    return run_single_log_metric(port, runs.log_metric_run, options.log_metric_requests, options.phase_seconds);
  });

  // ---- 2. log-batch ingest, then the raw SQLite ceiling right after it.
  progress(fmt::format("log-batch: up to {} batches of {}", options.ingest_batches, options.batch_size));
  figures.ingest = metered(server_pid, "log-batch", costs, [&] {
    return run_batch_ingest(port, runs.history_run, "loss", 0, options.ingest_batches, options.batch_size,
                            options.phase_seconds);
  });
  // The same number of batches from several clients at once: the writer's group commit at work.
  if (options.ingest_clients > 0) {
    progress(fmt::format("log-batch from {} concurrent clients", options.ingest_clients));
    figures.concurrent_ingest = metered(server_pid, "log-batch, concurrent", costs, [&] {
      return run_concurrent_batch_ingest(port, runs.ingest_runs,
                                         std::max(1, options.ingest_batches / options.ingest_clients),
                                         options.batch_size, options.phase_seconds);
    });
  }
  progress("raw SQLite insert ceilings");
  {
    const testing::TempDir sqlite_dir("mlflowcpp-bench-sqlite");
    figures.ceiling = measure_sqlite_insert_ceiling(
        (sqlite_dir / "batched.db").string(), static_cast<long>(options.ingest_batches) * options.batch_size,
        options.batch_size, options.phase_seconds);
    // What one commit costs, the floor under a single log-metric call.
    figures.single_row_ceiling = measure_sqlite_insert_ceiling(
        (sqlite_dir / "single.db").string(), options.log_metric_requests, 1, options.phase_seconds);
  }

  // ---- 3. search-runs.
  progress(fmt::format("search-runs: up to {} calls", options.search_queries));
  figures.search_latencies = metered(server_pid, "search", costs, [&] {
    return run_search_queries(port, figures.search, options.search_max_results, options.search_queries,
                              options.phase_seconds);
  });

  // ---- 4. get-history of one long metric (the ingest run's, topped up if short).
  figures.history_points = fill_metric_to(port, runs.history_run, "loss", figures.ingest.next_step,
                                          options.history_points, options.batch_size);
  progress(fmt::format("get-history of {} points: up to {} calls", figures.history_points,
                       options.history_queries));
  figures.history_latencies = metered(server_pid, "get-history", costs, [&] {
    return run_history_reads(port, runs.history_run, "loss", figures.history_points, options.history_queries,
                             options.phase_seconds);
  });

  // ---- 6. concurrent log-metric clients.
  if (options.concurrent_clients > 0) {
    progress(fmt::format("log-metric from {} concurrent clients", options.concurrent_clients));
    figures.concurrent = metered(server_pid, "concurrent", costs, [&] {
      return run_concurrent_log_metric(port, runs.concurrent_runs, options.concurrent_requests_per_client,
                                       options.phase_seconds);
    });
  }
  // Idle: the server gives freed heap back after a quiet second (IdleMemoryTrimmer); what it still holds then is what
  // it keeps. (The figure right after the last phase is in the per-phase list.)
  std::this_thread::sleep_for(std::chrono::seconds(2));
  figures.memory_after_loads = read_process_memory(server_pid);
  return figures;
}

}  // namespace mlflowcpp::bench
