// async_logging_bench: what asynchronous logging saves a training loop.
//
// It starts the real `mlflowcpp server` (through the test launcher in
// tests/testing) over a fresh SQLite database on a free loopback port, then runs
// one training thread that logs points through ActiveRun::log_metric, as a
// program does with only MLFLOW_ENABLE_ASYNC_LOGGING set:
//   1. asynchronous (MLFLOW_ENABLE_ASYNC_LOGGING=true): the mean time a call
//      takes on the calling thread, and metrics/s from the first call until the
//      run has ended (end() sends what is queued first);
//   2. synchronous (MLFLOW_ENABLE_ASYNC_LOGGING=false), in the same run, for the ratios;
//   3. the server's own ceiling in the same run: runs/log-batch requests of
//      1,000 points, bodies prepared before the clock starts, sent one after the
//      other on one keep-alive connection; asynchronous logging cannot beat it.
// Each run's stored history is read back: every point must be there exactly
// once, or the benchmark fails. See BENCHMARKS.md ("Asynchronous logging").

#include <mlflowcpp/mlflowcpp.hpp>

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "count_flags.hpp"
#include "testing/server_process.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Settings {
  long async_points = 1000000;
  long sync_points = 5000;
  long ceiling_points = 300000;
};

struct Outcome {
  double call_micros = 0;    // mean time of one log_metric call on the calling thread
  double metrics_per_s = 0;  // from the first call until the run has ended
  double seconds = 0;
};

Settings parse(int argc, char** argv) {
  Settings settings;
  mlflowcpp::bench::CountFlags(
      "usage: async_logging_bench [--points N] [--sync-points N] [--ceiling-points N]\n"
      "  --points N          points logged asynchronously [1000000]\n"
      "  --sync-points N     points logged synchronously, for the ratio [5000]\n"
      "  --ceiling-points N  points sent as prepared log-batch requests, the server's ceiling [300000]\n")
      .add("--points", settings.async_points)
      .add("--sync-points", settings.sync_points)
      .add("--ceiling-points", settings.ceiling_points)
      .parse(argc, argv);
  return settings;
}

// One run logging `points` points of one key; the environment decides the mode.
Outcome log_points(long points, bool asynchronous, mlflowcpp::MlflowClient& reader) {
  ::setenv("MLFLOW_ENABLE_ASYNC_LOGGING", asynchronous ? "true" : "false", 1);
  mlflowcpp::StartRunOptions options;
  options.run_name = asynchronous ? "async" : "sync";
  mlflowcpp::ActiveRun run = mlflowcpp::start_run(options);
  if (run.client().async_logging() != asynchronous) throw std::runtime_error("the environment did not set the mode");
  const int64_t timestamp = mlflowcpp::now_epoch_millis();

  const auto start = Clock::now();
  for (long step = 0; step < points; ++step) {
    run.log_metric("loss", 1.0 / static_cast<double>(step + 1), step, timestamp);
  }
  const auto calls_done = Clock::now();
  run.end();
  const auto ended = Clock::now();

  auto history = reader.get_metric_history(run.run_id(), "loss");
  std::set<int64_t> steps;
  for (const auto& point : history) steps.insert(point.step);
  if (history.size() != static_cast<std::size_t>(points) || steps.size() != static_cast<std::size_t>(points)) {
    throw std::runtime_error("stored " + std::to_string(history.size()) + " points (" + std::to_string(steps.size()) +
                             " distinct steps), logged " + std::to_string(points));
  }
  Outcome outcome;
  outcome.call_micros = std::chrono::duration<double, std::micro>(calls_done - start).count() / points;
  outcome.seconds = std::chrono::duration<double>(ended - start).count();
  outcome.metrics_per_s = points / outcome.seconds;
  return outcome;
}

// metrics/s of prepared runs/log-batch requests of 1,000 points, one after the other.
double server_ceiling(long points, mlflowcpp::testing::ServerProcess& server, mlflowcpp::MlflowClient& reader) {
  const std::string run_id = reader.create_run({"0", "ceiling", std::nullopt, {}}).info.run_id;
  const int64_t timestamp = mlflowcpp::now_epoch_millis();
  std::vector<std::string> bodies;
  for (long first = 0; first < points; first += 1000) {
    mlflowcpp::testing::Json metrics = mlflowcpp::testing::Json::array();
    for (long step = first; step < std::min(points, first + 1000); ++step) {
      metrics.push_back({{"key", "loss"}, {"value", 1.0 / (step + 1)}, {"timestamp", timestamp}, {"step", step}});
    }
    bodies.push_back(mlflowcpp::testing::Json{{"run_id", run_id}, {"metrics", std::move(metrics)}}.dump());
  }
  auto http = server.client();
  const auto start = Clock::now();
  for (const auto& body : bodies) {
    auto answer = http.request("POST", "/api/2.0/mlflow/runs/log-batch", body, "application/json");
    if (answer.status != 200) throw std::runtime_error("log-batch answered " + answer.describe());
  }
  return points / std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Settings settings = parse(argc, argv);
    mlflowcpp::testing::ServerProcess server;
    ::setenv("MLFLOW_TRACKING_URI", server.base_url().c_str(), 1);
    mlflowcpp::MlflowClient reader(server.client_options());

    Outcome async = log_points(settings.async_points, true, reader);
    Outcome sync = log_points(settings.sync_points, false, reader);
    double ceiling = server_ceiling(settings.ceiling_points, server, reader);

    std::printf("| mode | points | per call, calling thread (mean) | end to end, first call to run ended |\n");
    std::printf("|---|---|---|---|\n");
    std::printf("| asynchronous | %ld | %.3f µs | %.0f metrics/s (%.2f s) |\n", settings.async_points,
                async.call_micros, async.metrics_per_s, async.seconds);
    std::printf("| synchronous | %ld | %.1f µs | %.0f metrics/s (%.2f s) |\n", settings.sync_points, sync.call_micros,
                sync.metrics_per_s, sync.seconds);
    std::printf("| ratio (sync / async) | | %.0fx | %.0fx |\n", sync.call_micros / async.call_micros,
                async.metrics_per_s / sync.metrics_per_s);
    std::printf(
        "| server ceiling: prepared log-batch requests | %ld | | %.0f metrics/s; asynchronous reaches %.2f of it |\n",
        settings.ceiling_points, ceiling, async.metrics_per_s / ceiling);
    std::printf("\ntargets: < 1 µs per call: %s; >= 150,000 metrics/s end to end: %s; every point stored once: yes\n",
                async.call_micros < 1.0 ? "met" : "MISSED", async.metrics_per_s >= 150000 ? "met" : "MISSED");
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "async_logging_bench: %s\n", error.what());
    return 1;
  }
}
