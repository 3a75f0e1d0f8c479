#include "bench_table.hpp"

#include <fmt/format.h>

namespace mlflowcpp::bench {
namespace {

// Figures of the official MLflow 2.9 server over SQLite, measured on a machine
// of this kind; printed for comparison only.
constexpr double kOfficialLogMetricPerSecond = 315;
constexpr double kOfficialBatchMetricsPerSecond = 13000;

// The targets this benchmark checks.
constexpr double kTargetLogMetricPerSecond = 10000;
constexpr double kTargetBatchMetricsPerSecond = 200000;
constexpr double kTargetSearchP50Ms = 10;
constexpr double kTargetHistoryMs = 100;
constexpr double kTargetIdleResidentMiB = 20;

std::string versus_official(double value, double official, const std::string& unit) {
  return fmt::format("official MLflow 2.9: {} {} ({} faster)", format_number(official), unit,
                     format_factor(value / official));
}

// "55 us/call" from CPU seconds and a count of calls (or of metrics).
std::string cpu_per(double cpu_seconds, double count, const std::string& what) {
  if (count <= 0) return "-";
  const double micros = cpu_seconds / count * 1e6;
  return micros >= 1000 ? fmt::format("{} ms/{}", format_number(micros / 1000), what)
                        : fmt::format("{} us/{}", format_number(micros), what);
}

double as_double(long long count) { return static_cast<double>(count); }

}  // namespace

Report build_bench_table(const BenchOptions& options, const BenchFigures& figures) {
  const auto& health = figures.health;
  const auto& single = figures.single;
  const auto& concurrent = figures.concurrent;
  const auto& ingest = figures.ingest;
  Report report;

  report
      .add("GET /health, 1 keep-alive connection", health.per_second(), "req/s", Better::kHigher, std::nullopt,
           fmt::format("HTTP floor of this run; p50 {} ms", format_number(health.latencies.percentile_ms(50))))
      .server_cpu = cpu_per(figures.server_cpu_of("health"), as_double(health.requests), "call");
  report
      .add("log-metric, 1 keep-alive connection", single.per_second(), "req/s", Better::kHigher,
           kTargetLogMetricPerSecond,
           fmt::format("{:.2f} of /health; {}", single.per_second() / health.per_second(),
                       versus_official(single.per_second(), kOfficialLogMetricPerSecond, "req/s")))
      .server_cpu = cpu_per(figures.server_cpu_of("log-metric"), as_double(single.requests), "call");
  report.add("raw SQLite, 1 row a transaction (same run)", figures.single_row_ceiling.rows_per_second(), "rows/s",
             Better::kHigher, std::nullopt,
             fmt::format("log-metric/raw = {:.2f} ({} rows into `metrics` alone)",
                         single.per_second() / figures.single_row_ceiling.rows_per_second(),
                         figures.single_row_ceiling.rows));
  report.add_text("log-metric latency p50 / p99 / max",
                  fmt::format("{} / {} / {} ms", format_number(single.latencies.percentile_ms(50)),
                              format_number(single.latencies.percentile_ms(99)),
                              format_number(single.latencies.percentile_ms(100))),
                  fmt::format("{} calls in {:.2f} s", single.requests, single.seconds));

  report
      .add(fmt::format("log-batch ingest, {} metrics a batch", options.batch_size), ingest.metrics_per_second(),
           "metrics/s", Better::kHigher, kTargetBatchMetricsPerSecond,
           versus_official(ingest.metrics_per_second(), kOfficialBatchMetricsPerSecond, "metrics/s"))
      .server_cpu = cpu_per(figures.server_cpu_of("log-batch"), as_double(ingest.metrics), "metric");
  if (options.ingest_clients > 0) {
    const auto& together = figures.concurrent_ingest;
    report
        .add(fmt::format("log-batch ingest, {} concurrent clients", options.ingest_clients),
             together.metrics_per_second(), "metrics/s", Better::kHigher, std::nullopt,
             fmt::format("{:.2f}x one client; {} metrics in {:.2f} s",
                         together.metrics_per_second() / ingest.metrics_per_second(), together.metrics,
                         together.seconds))
        .server_cpu = cpu_per(figures.server_cpu_of("log-batch, concurrent"), as_double(together.metrics), "metric");
  }
  report.add("raw SQLite, batched inserts (same run)", figures.ceiling.rows_per_second(), "rows/s", Better::kHigher,
             std::nullopt,
             fmt::format("server/raw = {:.2f} ({} rows, WAL, synchronous=NORMAL, {} a transaction)",
                         ingest.metrics_per_second() / figures.ceiling.rows_per_second(), figures.ceiling.rows,
                         options.batch_size));

  const std::string search_shape =
      fmt::format("{} runs, {} results", options.search_run_count, options.search_max_results);
  report
      .add(fmt::format("search-runs p50 ({})", search_shape), figures.search_latencies.percentile_ms(50), "ms",
           Better::kLower, kTargetSearchP50Ms,
           fmt::format("{} calls; filter `{}`, order `{}`", figures.search_latencies.count(), figures.search.filter,
                       figures.search.order_by))
      // One untimed call checks the answer before the timed ones.
      .server_cpu = cpu_per(figures.server_cpu_of("search"), as_double(figures.search_latencies.count() + 1), "call");
  report.add(fmt::format("search-runs p95 ({})", search_shape), figures.search_latencies.percentile_ms(95), "ms",
             Better::kLower, std::nullopt);

  report
      .add(fmt::format("get-history p50 ({} points)", format_number(as_double(figures.history_points))),
           figures.history_latencies.percentile_ms(50), "ms", Better::kLower, kTargetHistoryMs,
           fmt::format("{} calls, max {} ms", figures.history_latencies.count(),
                       format_number(figures.history_latencies.percentile_ms(100))))
      .server_cpu = cpu_per(figures.server_cpu_of("get-history"), as_double(figures.history_latencies.count()), "call");

  report.add("resident memory, idle after start", figures.memory_at_start.resident_mib, "MiB", Better::kLower,
             kTargetIdleResidentMiB, "empty database");
  report.add("resident memory, idle after set-up", figures.memory_after_setup.resident_mib, "MiB", Better::kLower,
             kTargetIdleResidentMiB,
             fmt::format("{} runs", options.search_run_count + options.concurrent_clients + 2));
  report.add("resident memory, idle after the loads", figures.memory_after_loads.resident_mib, "MiB",
             Better::kLower, kTargetIdleResidentMiB,
             fmt::format("peak during the run (VmHWM): {} MiB",
                         format_number(figures.memory_after_loads.peak_resident_mib)));
  std::string memory_by_phase;
  for (const auto& cost : figures.phase_costs) {
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
        .server_cpu = cpu_per(figures.server_cpu_of("concurrent"), as_double(concurrent.requests), "call");
    report
        .add_text("concurrent clients stopped by a failed call",
                  fmt::format("{} of {}", concurrent.failed_clients, options.concurrent_clients),
                  concurrent.first_error.empty() ? "-" : concurrent.first_error)
        .verdict = concurrent.failed_clients == 0 ? "ok" : "FAILED";
  }
  report.add_text(
      "keep-alive connections closed by the server",
      fmt::format("{} of {}", health.closed_by_server + single.closed_by_server + concurrent.closed_by_server,
                  health.requests + single.requests + concurrent.requests),
      "responses carrying `Connection: close`");
  return report;
}

}  // namespace mlflowcpp::bench
