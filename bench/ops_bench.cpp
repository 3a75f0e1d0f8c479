// ops_bench: what the access log and the Prometheus metrics cost a request.
// Four `mlflowcpp server`s over fresh SQLite databases, started in one run:
// without the access log, with the text and the JSON access log (stderr to a
// file, as under a service manager), and with the access log plus
// --expose-prometheus. Each is measured in turn, in rounds, on one keep-alive
// connection: single log-metric calls and GET /health (requests/s, the best
// round of each) and the server's CPU per log-metric call. On the metrics
// server, GET /metrics is timed beside GET /health after the loads; then the
// rendering of a scrape of a hundred routes (three statuses each) is timed in
// this process, as a ratio to the same GET /health.
// See BENCHMARKS.md ("Operations") for how to run it and for recorded results.

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/http/http_metrics.hpp"
#include "server/http/metrics_handlers.hpp"
#include "server/http/router.hpp"

#include <time.h>

#include "latency_samples.hpp"
#include "process_stats.hpp"
#include "progress.hpp"
#include "rest_client.hpp"
#include "testing/server_process.hpp"
#include "workloads.hpp"

namespace {

using mlflowcpp::bench::Clock;
using mlflowcpp::bench::LatencySamples;
using mlflowcpp::bench::RestClient;

struct Options {
  int requests = 5000;  // per phase and round
  int rounds = 3;
  double phase_seconds = 5.0;
};

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument.rfind("--requests=", 0) == 0) {
      options.requests = std::stoi(argument.substr(11));
    } else if (argument.rfind("--rounds=", 0) == 0) {
      options.rounds = std::stoi(argument.substr(9));
    } else {
      throw std::invalid_argument("usage: ops_bench [--requests=N] [--rounds=N]");
    }
  }
  return options;
}

struct Variant {
  std::string name;
  std::vector<std::string> flags;
  std::unique_ptr<mlflowcpp::testing::ServerProcess> server;
  std::string run_id;
  double best_log_metric_per_second = 0;
  double best_health_per_second = 0;
  // The server's CPU (all threads) over every log-metric call of every round: the overhead that load on a shared
  // machine does not blur.
  double log_metric_cpu_seconds = 0;
  long log_metric_calls = 0;
  double cpu_microseconds_per_log_metric() const {
    return log_metric_calls > 0 ? log_metric_cpu_seconds * 1e6 / static_cast<double>(log_metric_calls) : 0;
  }
};

LatencySamples time_gets(int port, const std::string& path, int count) {
  RestClient client(port);
  LatencySamples samples;
  samples.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    const auto start = Clock::now();
    client.get_outside_api(path);
    samples.add(Clock::now() - start);
  }
  return samples;
}

double thread_cpu_microseconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

struct ScrapeCost {
  double cpu_microseconds = 0;
  double wall_microseconds = 0;
  std::size_t bytes = 0;
};

// GET /metrics' rendering in this process, on a registry of `routes` routes that each answered three statuses
// (3 × routes histograms of the route series, plus MLflow's and the process series): what a scrape costs the
// server beyond the HTTP round trip.
ScrapeCost measure_scrape(int routes, int scrapes) {
  using namespace mlflowcpp::server::http;
  Router router("", 1024);
  for (int i = 0; i < routes; ++i) {
    Route route;
    route.methods = {i % 2 ? "GET" : "POST"};
    route.pattern = "/api/2.0/mlflow/route-" + std::to_string(i);
    route.handler = [](Request&, Reply&) {};
    router.add(std::move(route));
  }
  auto metrics = std::make_shared<HttpMetrics>("2.9.2", "bench");
  metrics->index_routes(router);
  for (int i = 0; i < routes; ++i) {
    for (const int status : {200, 400, 404}) {
      metrics->record(i % 2 ? "GET" : "POST", "/api/2.0/mlflow/route-" + std::to_string(i), status,
                      std::chrono::milliseconds(i % 20), 0, 0);
    }
  }
  const MetricsHandlers handlers(metrics);
  ScrapeCost cost;
  const double cpu_start = thread_cpu_microseconds();
  const auto wall_start = Clock::now();
  for (int i = 0; i < scrapes; ++i) cost.bytes = handlers.render().size();
  cost.wall_microseconds = mlflowcpp::bench::seconds_between(wall_start, Clock::now()) * 1e6 / scrapes;
  cost.cpu_microseconds = (thread_cpu_microseconds() - cpu_start) / scrapes;
  return cost;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mlflowcpp;
  try {
    const Options options = parse_options(argc, argv);
    std::vector<Variant> variants;
    const auto add = [&variants](std::string name, std::vector<std::string> flags) {
      Variant variant;
      variant.name = std::move(name);
      variant.flags = std::move(flags);
      variants.push_back(std::move(variant));
    };
    add("no access log", {"--no-access-log"});
    add("access log, text", {});
    add("access log, json", {"--access-log-format", "json"});
    // The directory is only created, never written (as README says).
    add("access log + metrics", {"--expose-prometheus", "/tmp/mlflowcpp-ops-bench-prometheus"});
    for (auto& variant : variants) {
      testing::ServerOptions server_options;
      server_options.extra_args = variant.flags;
      variant.server = std::make_unique<testing::ServerProcess>(server_options);
      RestClient client(variant.server->port());
      variant.run_id = bench::create_run(client, bench::create_experiment(client, "ops-bench"), "ops-bench");
    }
    for (int round = 0; round < options.rounds; ++round) {
      for (auto& variant : variants) {
        bench::progress(fmt::format("round {}: {}", round + 1, variant.name));
        const int port = variant.server->port();
        const auto health = bench::run_health_baseline(port, options.requests, options.phase_seconds);
        const double cpu_before = bench::read_process_cpu_seconds(variant.server->pid());
        const auto single = bench::run_single_log_metric(port, variant.run_id, options.requests, options.phase_seconds);
        variant.log_metric_cpu_seconds += bench::read_process_cpu_seconds(variant.server->pid()) - cpu_before;
        variant.log_metric_calls += single.requests;
        variant.best_health_per_second = std::max(variant.best_health_per_second, health.per_second());
        variant.best_log_metric_per_second = std::max(variant.best_log_metric_per_second, single.per_second());
      }
    }
    std::cout << "| server | log-metric/s (best round) | ratio | server CPU per log-metric | ratio | "
                 "GET /health/s (best round) | ratio |\n|---|---|---|---|---|---|---|\n";
    const Variant& base = variants.front();
    for (const auto& variant : variants) {
      std::cout << fmt::format(
          "| {} | {:.0f} | {:.3f} | {:.1f} µs | {:.3f} | {:.0f} | {:.3f} |\n", variant.name,
          variant.best_log_metric_per_second, variant.best_log_metric_per_second / base.best_log_metric_per_second,
          variant.cpu_microseconds_per_log_metric(),
          variant.cpu_microseconds_per_log_metric() / base.cpu_microseconds_per_log_metric(),
          variant.best_health_per_second, variant.best_health_per_second / base.best_health_per_second);
    }
    const int port = variants.back().server->port();
    const LatencySamples health = time_gets(port, "/health", 2000);
    const LatencySamples scrape = time_gets(port, "/metrics", 2000);
    RestClient client(port);
    const std::size_t scrape_bytes = client.get_outside_api("/metrics").size();
    std::cout << fmt::format(
        "\nGET /metrics ({} bytes): p50 {:.3f} ms, p95 {:.3f} ms; GET /health: p50 {:.3f} ms, p95 {:.3f} ms; "
        "scrape / health at p50: {:.2f}\n",
        scrape_bytes, scrape.percentile_ms(50), scrape.percentile_ms(95), health.percentile_ms(50),
        health.percentile_ms(95), scrape.percentile_ms(50) / health.percentile_ms(50));
    const ScrapeCost hundred_routes = measure_scrape(100, 200);
    std::cout << fmt::format(
        "Rendering a scrape of 100 routes x 3 statuses ({} bytes): {:.0f} µs CPU ({:.0f} µs wall); "
        "/ GET /health p50: {:.2f}\n",
        hundred_routes.bytes, hundred_routes.cpu_microseconds, hundred_routes.wall_microseconds,
        hundred_routes.cpu_microseconds / 1000.0 / health.percentile_ms(50));
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "ops_bench: " << error.what() << "\n";
    return 1;
  }
}
