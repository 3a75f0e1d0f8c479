// sync_bench: how fast `mlflowcpp sync` moves a long metric history.
//
// It starts two real `mlflowcpp server`s (through the test launcher in
// tests/testing), each over a fresh SQLite database on a free loopback port,
// logs one run of N points (default 1,000,000) into the first, and times
// sync_runs() copying it into the second: reading the source history, the
// target's (empty), the diff, and the log-batch requests of 1,000 points with
// --parallel requests in flight. The copy's history is read back and must hold
// every point once, or the benchmark fails. A second sync of the same stores is
// timed too: it reads both histories and sends nothing. See BENCHMARKS.md ("Sync").

#include <mlflowcpp/mlflowcpp.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "count_flags.hpp"
#include "testing/server_process.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Settings {
  long points = 1000000;
  int parallel = 4;
};

Settings parse(int argc, char** argv) {
  Settings settings;
  mlflowcpp::bench::CountFlags(
      "usage: sync_bench [--points N] [--parallel N]\n"
      "  --points N    points of the one run copied [1000000]\n"
      "  --parallel N  log-batch requests in flight [4]\n")
      .add("--points", settings.points)
      .add("--parallel", settings.parallel)
      .parse(argc, argv);
  return settings;
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

}  // namespace

int main(int argc, char** argv) {
  const Settings settings = parse(argc, argv);
  try {
    mlflowcpp::testing::ServerProcess source_server;
    mlflowcpp::testing::ServerProcess target_server;
    mlflowcpp::MlflowClient source(source_server.client_options());
    mlflowcpp::MlflowClient target(target_server.client_options());

    const std::string experiment = source.create_experiment("sync-bench");
    mlflowcpp::CreateRunRequest create;
    create.experiment_id = experiment;
    create.run_name = "long";
    const std::string run_id = source.create_run(create).info.run_id;
    std::vector<mlflowcpp::Metric> points;
    points.reserve(std::size_t(settings.points));
    for (long step = 0; step < settings.points; ++step) {
      points.emplace_back("loss", 1.0 / double(step + 1), 1700000000000 + step, step);
    }
    const auto logging = Clock::now();
    source.log_batch(run_id, points);
    std::printf("logged %ld points into the source in %.2f s\n", settings.points, seconds_since(logging));
    points.clear();
    points.shrink_to_fit();

    mlflowcpp::SyncOptions options;
    options.parallelism = settings.parallel;
    const auto start = Clock::now();
    const mlflowcpp::SyncReport report = mlflowcpp::sync_runs(source, target, options);
    const double seconds = seconds_since(start);
    if (!report.ok()) {
      std::fprintf(stderr, "sync failed: %s: %s\n", report.failures.front().what.c_str(),
                   report.failures.front().why.c_str());
      return 1;
    }
    std::printf("sync: %lld points in %.2f s = %.0f points/s (--parallel %d)\n",
                static_cast<long long>(report.copied.metric_points), seconds,
                double(report.copied.metric_points) / seconds, settings.parallel);

    const auto again = Clock::now();
    const mlflowcpp::SyncReport second = mlflowcpp::sync_runs(source, target, options);
    std::printf("second sync (nothing to copy, both histories read and compared): %.2f s, %lld points sent\n",
                seconds_since(again), static_cast<long long>(second.copied.metric_points));

    const std::string copy_id = report.created.back().target;
    const auto history = target.get_metric_history(copy_id, "loss");
    if (long(history.size()) != settings.points) {
      std::fprintf(stderr, "the copy holds %zu points, expected %ld\n", history.size(), settings.points);
      return 1;
    }
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "sync_bench: %s\n", error.what());
    return 1;
  }
}
