#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <random>
#include <stdexcept>

#include "rest_client.hpp"
#include "workloads.hpp"

namespace mlflowcpp::bench {
namespace {

constexpr std::array<const char*, 4> kModels = {"lr", "rf", "xgb", "svm"};

struct RunRecord {
  std::string run_id;
  double accuracy = 0;
  std::string model;
};

std::string run_data_body(const std::string& run_id, double accuracy, const std::string& model, int index) {
  const nlohmann::json body = {
      {"run_id", run_id},
      {"metrics",
       {{{"key", "accuracy"}, {"value", accuracy}, {"timestamp", 1700000000000LL}, {"step", 0}},
        {{"key", "loss"}, {"value", 1.0 - accuracy}, {"timestamp", 1700000000000LL}, {"step", 0}},
        {{"key", "f1"}, {"value", accuracy * 0.9}, {"timestamp", 1700000000000LL}, {"step", 0}}}},
      {"params",
       {{{"key", "model"}, {"value", model}},
        {{"key", "learning_rate"}, {"value", fmt::format("{}", 0.001 * (index % 10 + 1))}},
        {{"key", "depth"}, {"value", std::to_string(index % 8 + 2)}}}},
      {"tags",
       {{{"key", "team"}, {"value", index % 2 == 0 ? "vision" : "speech"}},
        {{"key", "dataset"}, {"value", fmt::format("shard-{}", index % 16)}},
        {{"key", "stage"}, {"value", "benchmark"}}}},
  };
  return body.dump();
}

}  // namespace

SearchSetup set_up_search_runs(int port, int run_count) {
  RestClient client(port);
  SearchSetup setup;
  setup.experiment_id = create_experiment(client, "search-benchmark");
  setup.filter = "metrics.accuracy > 0.5 and params.model = 'lr'";
  setup.order_by = "metrics.accuracy DESC";

  // Fixed seed: every run of the benchmark searches the same data.
  std::mt19937 generator(20231125);
  std::uniform_real_distribution<double> accuracy_distribution(0.0, 1.0);
  std::vector<RunRecord> matching;
  for (int index = 0; index < run_count; ++index) {
    RunRecord run;
    run.run_id = create_run(client, setup.experiment_id, fmt::format("search-run-{:04}", index));
    run.accuracy = accuracy_distribution(generator);
    run.model = kModels[static_cast<std::size_t>(index) % kModels.size()];
    client.post("runs/log-batch", run_data_body(run.run_id, run.accuracy, run.model, index));
    if (run.model == "lr" && run.accuracy > 0.5) matching.push_back(std::move(run));
  }
  std::sort(matching.begin(), matching.end(),
            [](const RunRecord& a, const RunRecord& b) { return a.accuracy > b.accuracy; });
  for (const auto& run : matching) setup.expected_run_ids.push_back(run.run_id);
  return setup;
}

LatencySamples run_search_queries(int port, const SearchSetup& setup, int max_results, int max_queries,
                                  double max_seconds) {
  RestClient client(port);
  const std::string body = nlohmann::json{{"experiment_ids", {setup.experiment_id}},
                                          {"filter", setup.filter},
                                          {"order_by", {setup.order_by}},
                                          {"max_results", max_results}}
                               .dump();
  // Checked once, untimed: the timed calls must be answering the real question.
  const auto first_answer = nlohmann::json::parse(client.post("runs/search", body));
  const std::size_t expected_count =
      std::min(setup.expected_run_ids.size(), static_cast<std::size_t>(max_results));
  const auto runs = first_answer.value("runs", nlohmann::json::array());
  if (runs.size() != expected_count) {
    throw std::runtime_error(fmt::format("search-runs returned {} runs, expected {}", runs.size(), expected_count));
  }
  for (std::size_t i = 0; i < expected_count; ++i) {
    const auto run_id = runs[i].at("info").at("run_id").get<std::string>();
    if (run_id != setup.expected_run_ids[i]) {
      throw std::runtime_error(fmt::format("search-runs result {} is run {}, expected {}", i, run_id,
                                           setup.expected_run_ids[i]));
    }
  }

  LatencySamples latencies;
  const auto deadline = deadline_after(Clock::now(), max_seconds);
  for (int query = 0; query < max_queries && Clock::now() < deadline; ++query) {
    const auto call_start = Clock::now();
    client.post("runs/search", body);
    latencies.add(Clock::now() - call_start);
  }
  return latencies;
}

}  // namespace mlflowcpp::bench
