// ops_bench: what the access log and the Prometheus metrics cost a request.
// Four `mlflowcpp server`s over fresh SQLite databases, started in one run:
// without the access log, with the text and the JSON access log (stderr to a
// file, as under a service manager), and with the access log plus
// --expose-prometheus. Each is measured in turn, in rounds, on one keep-alive
// connection: single log-metric calls and GET /health (requests/s, the best
// round of each). On the metrics server, a scrape of GET /metrics is timed
// beside GET /health after the loads (every route they used holds series).
// See BENCHMARKS.md ("Operations") for how to run it and for recorded results.

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "latency_samples.hpp"
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

}  // namespace

int main(int argc, char** argv) {
  using namespace mlflowcpp;
  try {
    const Options options = parse_options(argc, argv);
    std::vector<Variant> variants;
    variants.push_back({"no access log", {"--no-access-log"}, nullptr, "", 0, 0});
    variants.push_back({"access log, text", {}, nullptr, "", 0, 0});
    variants.push_back({"access log, json", {"--access-log-format", "json"}, nullptr, "", 0, 0});
    // The directory is only created, never written (as README says).
    variants.push_back(
        {"access log + metrics", {"--expose-prometheus", "/tmp/mlflowcpp-ops-bench-prometheus"}, nullptr, "", 0, 0});
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
        const auto single = bench::run_single_log_metric(port, variant.run_id, options.requests, options.phase_seconds);
        variant.best_health_per_second = std::max(variant.best_health_per_second, health.per_second());
        variant.best_log_metric_per_second = std::max(variant.best_log_metric_per_second, single.per_second());
      }
    }
    std::cout << "| server | log-metric/s | ratio | GET /health/s | ratio |\n|---|---|---|---|---|\n";
    const Variant& base = variants.front();
    for (const auto& variant : variants) {
      std::cout << fmt::format("| {} | {:.0f} | {:.3f} | {:.0f} | {:.3f} |\n", variant.name,
                               variant.best_log_metric_per_second,
                               variant.best_log_metric_per_second / base.best_log_metric_per_second,
                               variant.best_health_per_second,
                               variant.best_health_per_second / base.best_health_per_second);
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
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "ops_bench: " << error.what() << "\n";
    return 1;
  }
}
