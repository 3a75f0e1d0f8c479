// experiment_search_bench: experiments/search through the real `mlflowcpp server` over a fresh SQLite database on a
// free loopback port, with `--experiments` experiments (500 by default) of three tags each besides the default one.
// Four questions, each timed `--queries` times after one untimed call: every experiment in one page (max_results
// 1000, the UI's experiment list), a `name LIKE` filter, an order_by with a page of 100 and its second page, and a
// tag filter. The experiments are written straight into the database file (one transaction) with fixed times and
// artifact locations, so that two servers hold the same data and answer the same bytes. Every answer is checked: its
// experiment count, and, with --baseline-binary, that both servers answer byte for byte the same. With
// --baseline-binary=PATH the same data and questions go to that build first, in the same run, so the table shows
// same-run ratios. See BENCHMARKS.md.

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "baseline_run.hpp"
#include "latency_samples.hpp"
#include "progress.hpp"
#include "rest_client.hpp"
#include "testing/server_process.hpp"

namespace {

using mlflowcpp::bench::Clock;
using mlflowcpp::bench::LatencySamples;
using mlflowcpp::bench::RestClient;

struct Options {
  int experiments = 500;
  int queries = 200;
  std::string baseline_binary;
};

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    const auto value_of = [&](const std::string& flag) -> std::optional<std::string> {
      if (argument.rfind(flag + "=", 0) != 0) return std::nullopt;
      return argument.substr(flag.size() + 1);
    };
    if (auto v = value_of("--experiments")) {
      options.experiments = std::atoi(v->c_str());
    } else if (auto v = value_of("--queries")) {
      options.queries = std::atoi(v->c_str());
    } else if (auto v = value_of("--baseline-binary")) {
      options.baseline_binary = *v;
    } else {
      throw std::invalid_argument(
          "usage: experiment_search_bench [--experiments=N] [--queries=N] [--baseline-binary=PATH]");
    }
  }
  if (options.experiments < 200 || options.experiments > 999 || options.queries < 1) {
    throw std::invalid_argument(
        "need 200 <= --experiments <= 999 (one page holds them all; the LIKE question needs names -100 .. -199), "
        "--queries >= 1");
  }
  return options;
}

std::string experiment_name(int index) { return fmt::format("bench-experiment-{:03}", index); }

struct Question {
  std::string name;
  nlohmann::json body;
  std::size_t expected;  // experiments in a correct answer
};

std::vector<Question> questions(int experiments) {
  // Names bench-experiment-100 .. -199 match the LIKE pattern; every other experiment is on team "vision".
  const auto vision = static_cast<std::size_t>((experiments + 1) / 2);
  const auto last_page = static_cast<std::size_t>(std::min(100, experiments - 100));
  return {
      {fmt::format("all {} + default, max_results 1000", experiments),
       {{"max_results", 1000}},
       static_cast<std::size_t>(experiments) + 1},
      {"filter name LIKE 'bench-experiment-1%'",
       {{"max_results", 1000}, {"filter", "name LIKE 'bench-experiment-1%'"}},
       100},
      {"order_by name DESC, max_results 100, page 2",
       {{"max_results", 100},
        {"order_by", {"name DESC"}},
        // The second page: {"offset": 100}, as the official server encodes it.
        {"page_token", "eyJvZmZzZXQiOiAxMDB9"}},
       last_page},
      {"filter tags.team = 'vision', order_by last_update_time",
       {{"max_results", 1000}, {"filter", "tags.team = 'vision'"}, {"order_by", {"last_update_time"}}},
       vision},
  };
}

// `count` experiments with three tags each, written straight into the server's database file. Times and artifact
// locations depend on the index alone.
void insert_experiments(const std::string& database_path, int count) {
  SQLite::Database database(database_path, SQLite::OPEN_READWRITE);
  database.setBusyTimeout(30000);
  SQLite::Statement experiment(database,
                               "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, "
                               "creation_time, last_update_time) VALUES (?, ?, ?, 'active', ?, ?)");
  SQLite::Statement tag(database, "INSERT INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?)");
  SQLite::Transaction transaction(database);
  for (int index = 0; index < count; ++index) {
    const int id = index + 1;
    experiment.bind(1, id);
    experiment.bind(2, experiment_name(index));
    experiment.bind(3, fmt::format("file:///bench/mlartifacts/{}", id));
    // Pairs share a creation time, so the default order's tie-break (experiment_id) is exercised too.
    experiment.bind(4, static_cast<int64_t>(1700000000000LL + (index / 2) * 1000));
    experiment.bind(5, static_cast<int64_t>(1700000500000LL - index * 7 % 1000));
    experiment.exec();
    experiment.reset();
    const std::vector<std::pair<std::string, std::string>> tags = {
        {"team", index % 2 == 0 ? "vision" : "speech"},
        {"mlflow.note.content", fmt::format("Experiment {} of the search benchmark: \"quoted\", line\nbreak", index)},
        {"owner", fmt::format("user-{}@example.com", index % 7)},
    };
    for (const auto& [key, value] : tags) {
      tag.bind(1, key);
      tag.bind(2, value);
      tag.bind(3, id);
      tag.exec();
      tag.reset();
    }
  }
  transaction.commit();
}

struct Timing {
  double p50_ms = 0;
  double p95_ms = 0;
  std::string answer;
};

Timing time_question(RestClient& client, const Question& question, int queries) {
  const std::string body = question.body.dump();
  Timing timing;
  timing.answer = client.post("experiments/search", body);
  const auto found = nlohmann::json::parse(timing.answer).value("experiments", nlohmann::json::array()).size();
  if (found != question.expected) {
    throw std::runtime_error(fmt::format("{}: {} experiments, expected {}", question.name, found, question.expected));
  }
  LatencySamples latencies;
  latencies.reserve(static_cast<std::size_t>(queries));
  for (int call = 0; call < queries; ++call) {
    const auto start = Clock::now();
    client.post("experiments/search", body);
    latencies.add(Clock::now() - start);
  }
  timing.p50_ms = latencies.percentile_ms(50);
  timing.p95_ms = latencies.percentile_ms(95);
  return timing;
}

// The default experiment's artifact location and times are the server's own: they are set to fixed values so that
// two servers' answers compare.
void fix_default_experiment(const std::string& database_path) {
  SQLite::Database database(database_path, SQLite::OPEN_READWRITE);
  database.setBusyTimeout(30000);
  database.exec(
      "UPDATE experiments SET artifact_location = 'file:///bench/mlartifacts/0', creation_time = 1690000000000, "
      "last_update_time = 1690000000000 WHERE experiment_id = 0");
}

// Starts the server `binary` ("" = this build's), loads the experiments and times every question.
std::vector<Timing> measure(const std::string& binary, const Options& options) {
  // The test launcher takes the binary from this variable (tests/testing/process_runner.cpp).
  if (binary.empty()) {
    unsetenv("MLFLOWCPP_TEST_SERVER_BINARY");
  } else {
    setenv("MLFLOWCPP_TEST_SERVER_BINARY", binary.c_str(), 1);
  }
  mlflowcpp::testing::ServerProcess server;
  RestClient client(server.port());
  mlflowcpp::bench::progress(
      fmt::format("{}: writing {} experiments", binary.empty() ? "this build" : binary, options.experiments));
  fix_default_experiment(server.db_path().string());
  insert_experiments(server.db_path().string(), options.experiments);
  std::vector<Timing> timings;
  for (const Question& question : questions(options.experiments)) {
    timings.push_back(time_question(client, question, options.queries));
  }
  return timings;
}

void print_table(const Options& options, const std::vector<Timing>& current, const std::vector<Timing>& baseline) {
  std::cout << fmt::format("experiments/search, {} experiments with 3 tags each, p50 of {} calls\n\n",
                           options.experiments, options.queries);
  const auto names = questions(options.experiments);
  if (baseline.empty()) {
    std::cout << "| question | p50 ms | p95 ms |\n|---|---|---|\n";
    for (std::size_t i = 0; i < names.size(); ++i) {
      std::cout << fmt::format("| {} | {:.2f} | {:.2f} |\n", names[i].name, current[i].p50_ms, current[i].p95_ms);
    }
    return;
  }
  std::cout << "| question | baseline p50 ms | this build p50 ms | baseline / this build | same answer |\n"
               "|---|---|---|---|---|\n";
  for (std::size_t i = 0; i < names.size(); ++i) {
    const double ratio = current[i].p50_ms > 0 ? baseline[i].p50_ms / current[i].p50_ms : 0;
    std::cout << fmt::format("| {} | {:.2f} | {:.2f} | {:.1f}x | {} |\n", names[i].name, baseline[i].p50_ms,
                             current[i].p50_ms, ratio, baseline[i].answer == current[i].answer ? "yes" : "NO");
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse_options(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "experiment_search_bench: " << error.what() << "\n";
    return 1;
  }
  return mlflowcpp::bench::run_against_baseline(
      "experiment_search_bench", options.baseline_binary,
      [&](const std::string& binary) { return measure(binary, options); },
      [&](const auto& current, const auto& baseline) { print_table(options, current, baseline); });
}
