// history_interval_bench: metrics/get-history-bulk-interval, the call behind the UI's charts, on one run whose
// metric has `--points` points (1,000,000 by default), through the real `mlflowcpp server` over a fresh SQLite
// database on a free loopback port. Three questions, each timed `--queries` times after one untimed call:
// the whole history sampled to 320 and to 1000 steps (the UI's chart widths), and a zoomed range of 1% of it.
// The points are written straight into the database file (one transaction), as logging a million points through the
// API is another benchmark's subject; timestamps and values depend on the step alone, so two servers hold the same
// history. Every answer is checked: its point count, and, with --baseline-binary, that
// both servers answer byte for byte the same. With --baseline-binary=PATH the same data and questions go to that
// build first, in the same run, so the table shows same-run ratios. See BENCHMARKS.md.

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
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
using Query = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kMetricKey = "loss";

struct Options {
  long points = 1000000;
  int queries = 10;
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
    if (auto v = value_of("--points")) {
      options.points = std::atol(v->c_str());
    } else if (auto v = value_of("--queries")) {
      options.queries = std::atoi(v->c_str());
    } else if (auto v = value_of("--baseline-binary")) {
      options.baseline_binary = *v;
    } else {
      throw std::invalid_argument("usage: history_interval_bench [--points=N] [--queries=N] [--baseline-binary=PATH]");
    }
  }
  if (options.points < 1000 || options.queries < 1)
    throw std::invalid_argument("need --points >= 1000, --queries >= 1");
  return options;
}

struct Question {
  std::string name;
  Query query;           // besides run_ids and metric_key
  std::size_t expected;  // points in a correct answer
};

std::vector<Question> questions(long points) {
  const long zoom_start = points * 2 / 5;
  const long zoom_end = zoom_start + points / 100 - 1;
  return {
      {"whole history, max_results 320", {{"max_results", "320"}}, 320},
      {"whole history, max_results 1000", {{"max_results", "1000"}}, 1000},
      {fmt::format("zoomed steps {}..{}, max_results 320", zoom_start, zoom_end),
       {{"max_results", "320"}, {"start_step", std::to_string(zoom_start)}, {"end_step", std::to_string(zoom_end)}},
       320},
  };
}

// `points` points of one metric, one per step, written straight into the server's database file.
void insert_history(const std::string& database_path, const std::string& run_id, long points) {
  SQLite::Database database(database_path, SQLite::OPEN_READWRITE);
  database.setBusyTimeout(30000);
  SQLite::Statement insert(database,
                           "INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) "
                           "VALUES (?, ?, ?, ?, ?, 0)");
  SQLite::Transaction transaction(database);
  for (long step = 0; step < points; ++step) {
    insert.bind(1, kMetricKey);
    insert.bind(2, 1.0 / static_cast<double>(step + 1));
    insert.bind(3, static_cast<int64_t>(1700000000000LL + step));
    insert.bind(4, run_id);
    insert.bind(5, static_cast<int64_t>(step));
    insert.exec();
    insert.reset();
  }
  transaction.commit();
}

struct Timing {
  double p50_ms = 0;
  double max_ms = 0;
  std::string answer;  // the run's id replaced by "RUN", so that two servers' answers compare
};

std::string without_run_id(std::string answer, const std::string& run_id) {
  for (auto at = answer.find(run_id); at != std::string::npos; at = answer.find(run_id, at)) {
    answer.replace(at, run_id.size(), "RUN");
  }
  return answer;
}

Timing time_question(RestClient& client, const std::string& run_id, const Question& question, int queries) {
  Query query = {{"run_ids", run_id}, {"metric_key", kMetricKey}};
  query.insert(query.end(), question.query.begin(), question.query.end());
  Timing timing;
  timing.answer = without_run_id(client.get("metrics/get-history-bulk-interval", query), run_id);
  const auto points = nlohmann::json::parse(timing.answer).value("metrics", nlohmann::json::array()).size();
  if (points != question.expected) {
    throw std::runtime_error(fmt::format("{}: {} points, expected {}", question.name, points, question.expected));
  }
  LatencySamples latencies;
  for (int call = 0; call < queries; ++call) {
    const auto start = Clock::now();
    client.get("metrics/get-history-bulk-interval", query);
    latencies.add(Clock::now() - start);
  }
  timing.p50_ms = latencies.percentile_ms(50);
  timing.max_ms = latencies.percentile_ms(100);
  return timing;
}

// Starts the server `binary` ("" = this build's), loads the history and times every question.
std::vector<Timing> measure(const std::string& binary, const Options& options) {
  // The test launcher takes the binary from this variable (tests/testing/process_runner.cpp).
  if (binary.empty()) {
    unsetenv("MLFLOWCPP_TEST_SERVER_BINARY");
  } else {
    setenv("MLFLOWCPP_TEST_SERVER_BINARY", binary.c_str(), 1);
  }
  mlflowcpp::testing::ServerProcess server;
  RestClient client(server.port());
  const std::string experiment_id = mlflowcpp::bench::create_experiment(client, "history-interval");
  const std::string run_id = mlflowcpp::bench::create_run(client, experiment_id, "long-history");
  mlflowcpp::bench::progress(
      fmt::format("{}: writing {} points", binary.empty() ? "this build" : binary, options.points));
  insert_history(server.db_path().string(), run_id, options.points);
  std::vector<Timing> timings;
  for (const Question& question : questions(options.points)) {
    timings.push_back(time_question(client, run_id, question, options.queries));
  }
  return timings;
}

void print_table(const Options& options, const std::vector<Timing>& current, const std::vector<Timing>& baseline) {
  std::cout << fmt::format("metrics/get-history-bulk-interval, one run, {} points, p50 of {} calls\n\n", options.points,
                           options.queries);
  const auto names = questions(options.points);
  if (baseline.empty()) {
    std::cout << "| question | p50 ms | max ms |\n|---|---|---|\n";
    for (std::size_t i = 0; i < names.size(); ++i) {
      std::cout << fmt::format("| {} | {:.1f} | {:.1f} |\n", names[i].name, current[i].p50_ms, current[i].max_ms);
    }
    return;
  }
  std::cout << "| question | baseline p50 ms | this build p50 ms | baseline / this build | same answer |\n"
               "|---|---|---|---|---|\n";
  for (std::size_t i = 0; i < names.size(); ++i) {
    const double ratio = current[i].p50_ms > 0 ? baseline[i].p50_ms / current[i].p50_ms : 0;
    std::cout << fmt::format("| {} | {:.1f} | {:.1f} | {:.1f}x | {} |\n", names[i].name, baseline[i].p50_ms,
                             current[i].p50_ms, ratio, baseline[i].answer == current[i].answer ? "yes" : "NO");
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse_options(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "history_interval_bench: " << error.what() << "\n";
    return 1;
  }
  return mlflowcpp::bench::run_against_baseline(
      "history_interval_bench", options.baseline_binary,
      [&](const std::string& binary) { return measure(binary, options); },
      [&](const auto& current, const auto& baseline) { print_table(options, current, baseline); });
}
