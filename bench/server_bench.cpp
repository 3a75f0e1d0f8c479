// server_bench: starts the real `mlflowcpp server` over a fresh SQLite database
// on a free loopback port and measures, in one run, what a user of the tracking
// server feels: single-call and batch ingest rates, search and history
// latencies, and the server's memory. All figures of one run share the same
// (noisy, shared) machine, so the ratios between them are the stable part.
// See BENCHMARKS.md for how to build and run it and for recorded results.

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <iostream>
#include <thread>

#include "bench_options.hpp"
#include "process_stats.hpp"
#include "report.hpp"
#include "rest_client.hpp"
#include "sqlite_ceiling.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"
#include "workloads.hpp"

namespace mlflowcpp::bench {
namespace {

// Figures of the official MLflow 2.9 server (gunicorn, SQLite), measured on a
// machine of this kind; printed for comparison only.
constexpr double kOfficialLogMetricPerSecond = 315;
constexpr double kOfficialBatchMetricsPerSecond = 13000;

// The targets this benchmark checks.
constexpr double kTargetLogMetricPerSecond = 10000;
constexpr double kTargetBatchMetricsPerSecond = 200000;
constexpr double kTargetSearchP50Ms = 10;
constexpr double kTargetHistoryMs = 100;
constexpr double kTargetIdleResidentMiB = 20;

// Progress goes to stderr, stamped with the monotonic clock (seconds since
// boot, the clock `perf record -k CLOCK_MONOTONIC` uses), so a profile can be
// cut to one phase with `perf report --time <start>,<end>`.
void progress(const std::string& message) {
  const double monotonic_seconds = std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
  std::cerr << fmt::format("[server_bench {:.6f}] {}", monotonic_seconds, message) << std::endl;
}

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown CPU";
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &utc);
  return text;
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

std::string reference_vs_official(double value, double official, const std::string& unit) {
  return fmt::format("official MLflow 2.9: {} {} ({} faster)", format_number(official), unit,
                     format_factor(value / official));
}

// What the server spent on one phase: CPU (user + system, all its threads)
// and its resident memory once the phase was over.
struct PhaseCost {
  std::string phase;
  double server_cpu_seconds = 0;
  double resident_mib_after = 0;
};

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

// "55 us/call" from CPU seconds and a count of calls (or of metrics).
std::string cpu_per(double cpu_seconds, double count, const std::string& what) {
  if (count <= 0) return "-";
  const double micros = cpu_seconds / count * 1e6;
  return micros >= 1000 ? fmt::format("{} ms/{}", format_number(micros / 1000), what)
                        : fmt::format("{} us/{}", format_number(micros), what);
}

void run_benchmark(const BenchOptions& options, testing::ServerProcess& server) {
  const int port = server.port();
  const pid_t server_pid = find_child_running(testing::server_binary());
  const ProcessMemory memory_at_start = read_process_memory(server_pid);
  progress(fmt::format("server pid {} on port {}, {:.1f} MiB resident", server_pid, port,
                       memory_at_start.resident_mib));
  std::vector<PhaseCost> costs;

  // ---- set-up: runs for the search, and the runs the loads write to.
  progress(fmt::format("creating {} runs for the search", options.search_run_count));
  const SearchSetup search = metered(server_pid, "set-up", costs,
                                     [&] { return set_up_search_runs(port, options.search_run_count); });
  std::string log_metric_run;
  std::string history_run;
  std::vector<std::string> concurrent_runs;
  {
    RestClient client(port);
    const std::string experiment_id = create_experiment(client, "load-benchmark");
    log_metric_run = create_run(client, experiment_id, "single-log-metric");
    history_run = create_run(client, experiment_id, "batch-ingest-and-history");
    for (int i = 0; i < options.concurrent_clients; ++i) {
      concurrent_runs.push_back(create_run(client, experiment_id, fmt::format("concurrent-{}", i)));
    }
  }
  const ProcessMemory memory_after_setup = read_process_memory(server_pid);

  // ---- 1. single log-metric calls over one keep-alive connection, and the
  // HTTP floor under the same conditions: /health on one connection.
  progress(fmt::format("GET /health: up to {} calls", options.log_metric_requests));
  const RequestRateResult health = metered(server_pid, "health", costs, [&] {
    return run_health_baseline(port, options.log_metric_requests, options.phase_seconds);
  });
  progress(fmt::format("log-metric: up to {} calls", options.log_metric_requests));
  const RequestRateResult single = metered(server_pid, "log-metric", costs, [&] {
    return run_single_log_metric(port, log_metric_run, options.log_metric_requests, options.phase_seconds);
  });

  // ---- 2. log-batch ingest, then the raw SQLite ceiling right after it.
  progress(fmt::format("log-batch: up to {} batches of {}", options.ingest_batches, options.batch_size));
  const IngestResult ingest = metered(server_pid, "log-batch", costs, [&] {
    return run_batch_ingest(port, history_run, "loss", 0, options.ingest_batches, options.batch_size,
                            options.phase_seconds);
  });
  progress("raw SQLite insert ceiling");
  const testing::TempDir sqlite_dir("mlflowcpp-bench-sqlite");
  const SqliteCeilingResult ceiling = measure_sqlite_insert_ceiling(
      (sqlite_dir / "ceiling.db").string(), static_cast<long>(options.ingest_batches) * options.batch_size,
      options.batch_size, options.phase_seconds);

  // ---- 3. search-runs.
  progress(fmt::format("search-runs: up to {} calls", options.search_queries));
  const LatencySamples search_latencies = metered(server_pid, "search", costs, [&] {
    return run_search_queries(port, search, options.search_max_results, options.search_queries,
                              options.phase_seconds);
  });

  // ---- 4. get-history of one long metric (the ingest run's, topped up if short).
  const long long history_points =
      fill_metric_to(port, history_run, "loss", ingest.next_step, options.history_points, options.batch_size);
  progress(fmt::format("get-history of {} points: up to {} calls", history_points, options.history_queries));
  const LatencySamples history_latencies = metered(server_pid, "get-history", costs, [&] {
    return run_history_reads(port, history_run, "loss", history_points, options.history_queries,
                             options.phase_seconds);
  });

  // ---- 6. concurrent log-metric clients.
  RequestRateResult concurrent;
  if (options.concurrent_clients > 0) {
    progress(fmt::format("log-metric from {} concurrent clients", options.concurrent_clients));
    concurrent = metered(server_pid, "concurrent", costs, [&] {
      return run_concurrent_log_metric(port, concurrent_runs, options.concurrent_requests_per_client,
                                       options.phase_seconds);
    });
  }
  const ProcessMemory memory_after_loads = read_process_memory(server_pid);
  auto cpu_of = [&costs](const std::string& phase) {
    for (const auto& cost : costs) {
      if (cost.phase == phase) return cost.server_cpu_seconds;
    }
    return 0.0;
  };

  // ---- the table.
  Report report;
  report
      .add("GET /health, 1 keep-alive connection", health.per_second(), "req/s", Better::kHigher, std::nullopt,
           fmt::format("HTTP floor of this run; p50 {} ms", format_number(health.latencies.percentile_ms(50))))
      .server_cpu = cpu_per(cpu_of("health"), static_cast<double>(health.requests), "call");
  report
      .add("log-metric, 1 keep-alive connection", single.per_second(), "req/s", Better::kHigher,
           kTargetLogMetricPerSecond,
           fmt::format("{:.2f} of /health; {}", single.per_second() / health.per_second(),
                       reference_vs_official(single.per_second(), kOfficialLogMetricPerSecond, "req/s")))
      .server_cpu = cpu_per(cpu_of("log-metric"), static_cast<double>(single.requests), "call");
  report.add_text("log-metric latency p50 / p99 / max",
                  fmt::format("{} / {} / {} ms", format_number(single.latencies.percentile_ms(50)),
                              format_number(single.latencies.percentile_ms(99)),
                              format_number(single.latencies.percentile_ms(100))),
                  fmt::format("{} calls in {:.2f} s", single.requests, single.seconds));
  report
      .add(fmt::format("log-batch ingest, {} metrics a batch", options.batch_size), ingest.metrics_per_second(),
           "metrics/s", Better::kHigher, kTargetBatchMetricsPerSecond,
           reference_vs_official(ingest.metrics_per_second(), kOfficialBatchMetricsPerSecond, "metrics/s"))
      .server_cpu = cpu_per(cpu_of("log-batch"), static_cast<double>(ingest.metrics), "metric");
  report.add("raw SQLite insert ceiling (same run)", ceiling.rows_per_second(), "rows/s", Better::kHigher,
             std::nullopt,
             fmt::format("server/raw = {:.2f} ({} rows, WAL, synchronous=NORMAL, {} a transaction)",
                         ingest.metrics_per_second() / ceiling.rows_per_second(), ceiling.rows, options.batch_size));
  const std::string search_shape =
      fmt::format("{} runs, {} results", options.search_run_count, options.search_max_results);
  report
      .add(fmt::format("search-runs p50 ({})", search_shape), search_latencies.percentile_ms(50), "ms",
           Better::kLower, kTargetSearchP50Ms,
           fmt::format("{} calls; filter `{}`, order `{}`", search_latencies.count(), search.filter,
                       search.order_by))
      .server_cpu = cpu_per(cpu_of("search"), static_cast<double>(search_latencies.count() + 1), "call");
  report.add(fmt::format("search-runs p95 ({})", search_shape), search_latencies.percentile_ms(95), "ms",
             Better::kLower, std::nullopt);
  report
      .add(fmt::format("get-history p50 ({} points)", format_number(static_cast<double>(history_points))),
           history_latencies.percentile_ms(50), "ms", Better::kLower, kTargetHistoryMs,
           fmt::format("{} calls, max {} ms", history_latencies.count(),
                       format_number(history_latencies.percentile_ms(100))))
      .server_cpu = cpu_per(cpu_of("get-history"), static_cast<double>(history_latencies.count()), "call");
  report.add("resident memory, idle after start", memory_at_start.resident_mib, "MiB", Better::kLower,
             kTargetIdleResidentMiB, "empty database");
  report.add("resident memory, idle after set-up", memory_after_setup.resident_mib, "MiB", Better::kLower,
             kTargetIdleResidentMiB, fmt::format("{} runs", options.search_run_count + options.concurrent_clients + 2));
  report.add("resident memory, idle after the loads", memory_after_loads.resident_mib, "MiB", Better::kLower,
             kTargetIdleResidentMiB,
             fmt::format("peak during the run (VmHWM): {} MiB", format_number(memory_after_loads.peak_resident_mib)));
  std::string memory_by_phase;
  for (const auto& cost : costs) {
    memory_by_phase += fmt::format("{}{} {}", memory_by_phase.empty() ? "" : ", ", cost.phase,
                                   format_number(cost.resident_mib_after));
  }
  report.add_text("resident memory after each phase", "see reference", memory_by_phase + " (MiB)");
  if (options.concurrent_clients > 0) {
    report
        .add(fmt::format("log-metric, {} concurrent clients", options.concurrent_clients), concurrent.per_second(),
             "req/s", Better::kHigher, std::nullopt,
             fmt::format("{} the single connection; {} calls in {:.2f} s",
                         format_factor(concurrent.per_second() / single.per_second()), concurrent.requests,
                         concurrent.seconds))
        .server_cpu = cpu_per(cpu_of("concurrent"), static_cast<double>(concurrent.requests), "call");
  }
  report.add_text("keep-alive connections closed by the server",
                  fmt::format("{} of {}", health.closed_by_server + single.closed_by_server +
                                              concurrent.closed_by_server,
                              health.requests + single.requests + concurrent.requests),
                  "responses carrying `Connection: close`");

  std::cout << "mlflowcpp server benchmark, " << utc_now() << "\n"
            << "machine: " << std::thread::hardware_concurrency() << " cores, " << cpu_model()
            << " (shared: compare the ratios, which come from one run)\n\n";
  report.print(std::cout, options.markdown);
  const auto missed = report.missed_targets();
  std::cout << "\n" << (missed.empty() ? "All targets met." : "Targets missed:") << "\n";
  for (const auto& line : missed) std::cout << "  - " << line << "\n";
}

}  // namespace
}  // namespace mlflowcpp::bench

int main(int argc, char** argv) {
  using namespace mlflowcpp;
  const bench::BenchOptions options = bench::parse_bench_options(argc, argv);
  std::unique_ptr<testing::ServerProcess> server;
  try {
    bench::progress("starting " + testing::server_binary());
    server = std::make_unique<testing::ServerProcess>();
    bench::run_benchmark(options, *server);
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "server_bench: " << error.what() << "\n";
    if (server) {
      const std::string log = server->log();
      std::cerr << "---- server log (last 4000 characters):\n"
                << log.substr(log.size() > 4000 ? log.size() - 4000 : 0) << "\n";
    }
    return 1;
  }
}
