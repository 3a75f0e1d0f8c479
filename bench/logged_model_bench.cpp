// logged_model_bench: MLflow 3's logged models on the real `mlflowcpp server`
// over a fresh SQLite database, on a free loopback port:
// - logged-models/search over `--models` logged models of one experiment, each
//   with an `accuracy` metric, filtered by `metrics.accuracy > 0.5` and ordered
//   by that metric, max_results 100 (p50 / p95; the first answer is checked);
// - create + finalize of a logged model against create + end of a run, one
//   after the other on one connection (pairs and requests per second).
// The models are created through the API; their metrics are written straight
// into the database file, as the API to log model metrics belongs to runs.
// See BENCHMARKS.md for how to run it and for recorded results.

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "latency_samples.hpp"
#include "process_stats.hpp"
#include "progress.hpp"
#include "rest_client.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace {

using mlflowcpp::bench::Clock;
using mlflowcpp::bench::LatencySamples;
using mlflowcpp::bench::RestClient;
using nlohmann::json;

struct Options {
  int models = 10000;
  int search_queries = 200;
  int max_results = 100;
  int lifecycle_pairs = 1000;
};

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    const auto value_of = [&](const std::string& flag) -> std::optional<int> {
      if (argument.rfind(flag + "=", 0) != 0) return std::nullopt;
      return std::atoi(argument.c_str() + flag.size() + 1);
    };
    if (auto v = value_of("--models")) {
      options.models = *v;
    } else if (auto v = value_of("--search-queries")) {
      options.search_queries = *v;
    } else if (auto v = value_of("--max-results")) {
      options.max_results = *v;
    } else if (auto v = value_of("--lifecycle-pairs")) {
      options.lifecycle_pairs = *v;
    } else {
      throw std::invalid_argument(
          "usage: logged_model_bench [--models=N] [--search-queries=N] [--max-results=N] "
          "[--lifecycle-pairs=N]");
    }
  }
  return options;
}

struct ModelRecord {
  std::string model_id;
  double accuracy = 0;
};

std::string create_model(RestClient& client, const std::string& experiment_id, const std::string& name) {
  const json body = {{"experiment_id", experiment_id}, {"name", name}};
  return json::parse(client.post("logged-models", body.dump())).at("model").at("info").at("model_id");
}

// One accuracy value per model, written in one transaction into the server's database file.
void insert_metrics(const std::string& database_path, const std::string& experiment_id, const std::string& run_id,
                    const std::vector<ModelRecord>& models) {
  SQLite::Database database(database_path, SQLite::OPEN_READWRITE);
  database.setBusyTimeout(30000);
  SQLite::Statement insert(database,
                           "INSERT INTO logged_model_metrics (model_id, metric_name, metric_timestamp_ms, "
                           "metric_step, metric_value, experiment_id, run_id) VALUES (?, 'accuracy', ?, 0, ?, ?, ?)");
  SQLite::Transaction transaction(database);
  for (const ModelRecord& model : models) {
    insert.bind(1, model.model_id);
    insert.bind(2, static_cast<int64_t>(1700000000000LL));
    insert.bind(3, model.accuracy);
    insert.bind(4, static_cast<int64_t>(std::stoll(experiment_id)));
    insert.bind(5, run_id);
    insert.exec();
    insert.reset();
  }
  transaction.commit();
}

LatencySamples time_searches(RestClient& client, const std::string& experiment_id, const Options& options,
                             const std::vector<std::string>& expected_ids) {
  const std::string body = json{
      {"experiment_ids", {experiment_id}},
      {"filter", "metrics.accuracy > 0.5"},
      {"order_by", {{{"field_name", "metrics.accuracy"}, {"ascending", false}}}},
      {"max_results",
       options.max_results}}.dump();
  // Checked once, untimed: the timed calls must answer the real question.
  const json first = json::parse(client.post("logged-models/search", body));
  const json models = first.value("models", json::array());
  const std::size_t expected_count = std::min(expected_ids.size(), static_cast<std::size_t>(options.max_results));
  if (models.size() != expected_count) {
    throw std::runtime_error(fmt::format("search returned {} models, expected {}", models.size(), expected_count));
  }
  for (std::size_t i = 0; i < expected_count; ++i) {
    const std::string id = models[i].at("info").at("model_id");
    if (id != expected_ids[i])
      throw std::runtime_error(fmt::format("result {} is {}, expected {}", i, id, expected_ids[i]));
  }
  LatencySamples latencies;
  latencies.reserve(static_cast<std::size_t>(options.search_queries));
  for (int query = 0; query < options.search_queries; ++query) {
    const auto start = Clock::now();
    client.post("logged-models/search", body);
    latencies.add(Clock::now() - start);
  }
  return latencies;
}

// Seconds taken by `pairs` create + finalize calls of logged models.
double time_model_lifecycles(RestClient& client, const std::string& experiment_id, int pairs) {
  const auto start = Clock::now();
  for (int i = 0; i < pairs; ++i) {
    const std::string id = create_model(client, experiment_id, fmt::format("lifecycle-{}", i));
    client.patch("logged-models/" + id, json{{"model_id", id}, {"status", "LOGGED_MODEL_READY"}}.dump());
  }
  return mlflowcpp::bench::seconds_between(start, Clock::now());
}

// Seconds taken by `pairs` create + end (runs/update to FINISHED) calls of runs.
double time_run_lifecycles(RestClient& client, const std::string& experiment_id, int pairs) {
  const auto start = Clock::now();
  for (int i = 0; i < pairs; ++i) {
    const std::string id = mlflowcpp::bench::create_run(client, experiment_id, fmt::format("lifecycle-{}", i));
    client.post("runs/update", json{{"run_id", id}, {"status", "FINISHED"}, {"end_time", 1700000001000LL}}.dump());
  }
  return mlflowcpp::bench::seconds_between(start, Clock::now());
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mlflowcpp;
  try {
    const Options options = parse_options(argc, argv);
    testing::TempDir data_dir("mlflowcpp-logged-model-bench");
    const std::string database_path = (data_dir.path() / "mlflow.db").string();
    testing::ServerOptions server_options;
    server_options.work_dir = data_dir.path();
    server_options.backend_store_uri = "sqlite:///" + database_path;
    bench::progress("starting " + testing::server_binary());
    testing::ServerProcess server(server_options);
    RestClient client(server.port());

    const std::string experiment_id = bench::create_experiment(client, "logged-model-bench");
    const std::string run_id = bench::create_run(client, experiment_id, "metric-source");
    bench::progress(fmt::format("creating {} logged models", options.models));
    // Fixed seed: every run of the benchmark searches the same values.
    std::mt19937 generator(20261207);
    std::uniform_real_distribution<double> accuracy(0.0, 1.0);
    std::vector<ModelRecord> models;
    models.reserve(static_cast<std::size_t>(options.models));
    const auto creation_start = Clock::now();
    for (int i = 0; i < options.models; ++i) {
      models.push_back({create_model(client, experiment_id, fmt::format("model-{:05}", i)), accuracy(generator)});
    }
    const double creation_seconds = bench::seconds_between(creation_start, Clock::now());
    insert_metrics(database_path, experiment_id, run_id, models);

    std::vector<ModelRecord> matching;
    std::copy_if(models.begin(), models.end(), std::back_inserter(matching),
                 [](const ModelRecord& model) { return model.accuracy > 0.5; });
    std::sort(matching.begin(), matching.end(),
              [](const ModelRecord& a, const ModelRecord& b) { return a.accuracy > b.accuracy; });
    std::vector<std::string> expected_ids;
    for (const ModelRecord& model : matching) expected_ids.push_back(model.model_id);

    bench::progress(fmt::format("{} searches", options.search_queries));
    // The server's CPU time, unlike wall time, does not grow when others take the (shared) CPU.
    const pid_t server_pid = bench::find_child_running(testing::server_binary());
    const double cpu_before = bench::read_process_cpu_seconds(server_pid);
    const LatencySamples search = time_searches(client, experiment_id, options, expected_ids);
    const double search_cpu_ms =
        (bench::read_process_cpu_seconds(server_pid) - cpu_before) * 1000 / (options.search_queries + 1);

    bench::progress(fmt::format("{} create + finalize and {} create + end pairs", options.lifecycle_pairs,
                                options.lifecycle_pairs));
    const std::string lifecycle_experiment = bench::create_experiment(client, "lifecycle-bench");
    const double model_seconds = time_model_lifecycles(client, lifecycle_experiment, options.lifecycle_pairs);
    const double run_seconds = time_run_lifecycles(client, lifecycle_experiment, options.lifecycle_pairs);

    const double pairs = options.lifecycle_pairs;
    std::cout << fmt::format("logged-models/create set-up: {} models in {:.1f} s ({:.0f} req/s)\n", options.models,
                             creation_seconds, options.models / creation_seconds)
              << fmt::format(
                     "logged-models/search ({} models, {} matching, max_results {}): p50 {:.2f} ms, "
                     "p95 {:.2f} ms over {} calls; server CPU {:.2f} ms a call (target p50 < 20 ms: {})\n",
                     options.models, expected_ids.size(), options.max_results, search.percentile_ms(50),
                     search.percentile_ms(95), search.count(), search_cpu_ms,
                     search.percentile_ms(50) < 20 ? "met" : "MISSED")
              << fmt::format("logged model create + finalize: {:.0f} pairs/s ({:.0f} req/s)\n", pairs / model_seconds,
                             2 * pairs / model_seconds)
              << fmt::format("run create + end:               {:.0f} pairs/s ({:.0f} req/s)\n", pairs / run_seconds,
                             2 * pairs / run_seconds)
              << fmt::format("ratio model / run: {:.2f}\n", run_seconds / model_seconds);
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "logged_model_bench: " << error.what() << "\n";
    return 1;
  }
}
