// history_bench: metrics/get-history, the call behind a client's get_metric_history, through the real `mlflowcpp
// server` over a fresh SQLite database on a free loopback port. One run holds one metric per size in `--points`
// (20,000 and 100,000 points by default, one per step, timestamps growing with the steps); each is read whole,
// `--queries` times after one untimed call, and the largest also in pages of 25,000 (the official client's page
// size, following the tokens). Each question reports the p50 as this program sees it (request and body, no parse),
// the server's CPU time a call (user + system, from /proc), and, for the whole reads, the p50 as a Python client sees
// it (request and json.loads, bench/history_python_client.py under /usr/bin/python3).
// The points are written straight into the database file, so two servers hold the same history. With
// --baseline-binary=PATH the same data and questions go to that build first, in the same run, the table shows
// same-run ratios, and both servers' answers must be byte for byte the same. See BENCHMARKS.md.

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "baseline_run.hpp"
#include "latency_samples.hpp"
#include "process_stats.hpp"
#include "progress.hpp"
#include "rest_client.hpp"
#include "testing/server_process.hpp"

namespace {

using mlflowcpp::bench::Clock;
using mlflowcpp::bench::LatencySamples;
using mlflowcpp::bench::RestClient;
using Query = std::vector<std::pair<std::string, std::string>>;

constexpr long kPageSize = 25000;  // the official Python client's page (mlflow/tracking/_tracking_service/client.py)

struct Options {
  std::vector<long> points = {20000, 100000};
  int queries = 20;
  std::string baseline_binary;
  std::string python = "/usr/bin/python3";  // "" = no Python figure
};

std::vector<long> parse_sizes(const std::string& text) {
  std::vector<long> sizes;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) sizes.push_back(std::atol(item.c_str()));
  return sizes;
}

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    const auto value_of = [&](const std::string& flag) -> std::optional<std::string> {
      if (argument.rfind(flag + "=", 0) != 0) return std::nullopt;
      return argument.substr(flag.size() + 1);
    };
    if (auto v = value_of("--points")) {
      options.points = parse_sizes(*v);
    } else if (auto v = value_of("--queries")) {
      options.queries = std::atoi(v->c_str());
    } else if (auto v = value_of("--baseline-binary")) {
      options.baseline_binary = *v;
    } else if (auto v = value_of("--python")) {
      options.python = *v;
    } else {
      throw std::invalid_argument(
          "usage: history_bench [--points=N,N...] [--queries=N] [--baseline-binary=PATH] [--python=PATH|'']");
    }
  }
  for (long size : options.points) {
    if (size < 1) throw std::invalid_argument("--points: sizes must be positive");
  }
  if (options.points.empty() || options.queries < 1) throw std::invalid_argument("need --points and --queries >= 1");
  return options;
}

std::string key_of(long points) { return fmt::format("loss_{}", points); }

struct Question {
  std::string name;
  long points = 0;
  bool paged = false;
};

std::vector<Question> questions(const Options& options) {
  std::vector<Question> list;
  for (long size : options.points) list.push_back({fmt::format("{} points, whole", size), size, false});
  const long largest = options.points.back();
  if (largest > kPageSize) list.push_back({fmt::format("{} points, pages of {}", largest, kPageSize), largest, true});
  return list;
}

// One metric per size, `points` points, one per step, written straight into the server's database file. The values
// have full-precision digits, like a training loss, and a few are NaN or infinite.
void insert_histories(const std::string& database_path, const std::string& run_id, const std::vector<long>& sizes) {
  SQLite::Database database(database_path, SQLite::OPEN_READWRITE);
  database.setBusyTimeout(30000);
  SQLite::Statement insert(database,
                           "INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) "
                           "VALUES (?, ?, ?, ?, ?, ?)");
  SQLite::Transaction transaction(database);
  for (long size : sizes) {
    for (long step = 0; step < size; ++step) {
      const bool is_nan = step % 10007 == 5;
      double value = 1.0 / static_cast<double>(step + 1) + 0.01 * std::sin(static_cast<double>(step));
      if (step % 20011 == 7) value = 1.7976931348623157e308;  // how MLflow stores +inf
      insert.bind(1, key_of(size));
      insert.bind(2, is_nan ? 0.0 : value);
      insert.bind(3, static_cast<int64_t>(1700000000000LL + step * 10));
      insert.bind(4, run_id);
      insert.bind(5, static_cast<int64_t>(step));
      insert.bind(6, is_nan ? 1 : 0);
      insert.exec();
      insert.reset();
    }
  }
  transaction.commit();
}

struct Timing {
  double p50_ms = 0;
  double server_cpu_ms = 0;  // per call (per paged read)
  std::optional<double> python_p50_ms;
  std::string answer;  // the whole answer, or the pages one after the other
};

// Reads the history (every page when `paged`); the answer's text, checked for its point count.
std::string read_history(RestClient& client, const std::string& run_id, const Question& question) {
  Query query = {{"run_id", run_id}, {"metric_key", key_of(question.points)}};
  if (!question.paged) return client.get("metrics/get-history", query);
  query.emplace_back("max_results", std::to_string(kPageSize));
  std::string pages;
  for (std::string token;;) {
    Query page_query = query;
    if (!token.empty()) page_query.emplace_back("page_token", token);
    const std::string page = client.get("metrics/get-history", page_query);
    pages += page;
    token = nlohmann::json::parse(page).value("next_page_token", "");
    if (token.empty()) return pages;
  }
}

std::size_t point_count(const std::string& answer_text, bool paged) {
  if (!paged) return nlohmann::json::parse(answer_text).value("metrics", nlohmann::json::array()).size();
  std::size_t points = 0;  // pages back to back: count the points' keys
  for (auto at = answer_text.find("{\"key\":"); at != std::string::npos; at = answer_text.find("{\"key\":", at + 1)) {
    ++points;
  }
  return points;
}

double python_p50_ms(const Options& options, int port, const std::string& run_id, const Question& question) {
  const std::string command = fmt::format(
      "{} {}/history_python_client.py --url http://127.0.0.1:{} --run-id {} --key {} --calls {} "
      "--expected-points {}",
      options.python, MLFLOWCPP_BENCH_SOURCE_DIR, port, run_id, key_of(question.points), options.queries,
      question.points);
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string output;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) output += buffer;
  const auto at = output.find("p50_ms=");
  if (at == std::string::npos) throw std::runtime_error("the Python client failed: " + command + "\n" + output);
  return std::atof(output.c_str() + at + 7);
}

Timing time_question(RestClient& client, const Options& options, const mlflowcpp::testing::ServerProcess& server,
                     const std::string& run_id, const Question& question) {
  Timing timing;
  timing.answer = read_history(client, run_id, question);
  const std::size_t points = point_count(timing.answer, question.paged);
  if (points != static_cast<std::size_t>(question.points)) {
    throw std::runtime_error(fmt::format("{}: {} points, expected {}", question.name, points, question.points));
  }
  LatencySamples latencies;
  const double cpu_before = mlflowcpp::bench::read_process_cpu_seconds(server.pid());
  for (int call = 0; call < options.queries; ++call) {
    const auto start = Clock::now();
    read_history(client, run_id, question);
    latencies.add(Clock::now() - start);
  }
  const double cpu_seconds = mlflowcpp::bench::read_process_cpu_seconds(server.pid()) - cpu_before;
  timing.p50_ms = latencies.percentile_ms(50);
  timing.server_cpu_ms = cpu_seconds * 1000.0 / options.queries;
  if (!question.paged && !options.python.empty()) {
    timing.python_p50_ms = python_p50_ms(options, server.port(), run_id, question);
  }
  return timing;
}

// Starts the server `binary` ("" = this build's), loads the histories and times every question.
std::vector<Timing> measure(const std::string& binary, const Options& options) {
  // The test launcher takes the binary from this variable (tests/testing/process_runner.cpp).
  if (binary.empty()) {
    unsetenv("MLFLOWCPP_TEST_SERVER_BINARY");
  } else {
    setenv("MLFLOWCPP_TEST_SERVER_BINARY", binary.c_str(), 1);
  }
  mlflowcpp::testing::ServerProcess server;
  RestClient client(server.port());
  const std::string experiment_id = mlflowcpp::bench::create_experiment(client, "history");
  const std::string run_id = mlflowcpp::bench::create_run(client, experiment_id, "long-history");
  mlflowcpp::bench::progress(fmt::format("{}: writing the histories", binary.empty() ? "this build" : binary));
  insert_histories(server.db_path().string(), run_id, options.points);
  std::vector<Timing> timings;
  for (const Question& question : questions(options)) {
    mlflowcpp::bench::progress(question.name);
    timings.push_back(time_question(client, options, server, run_id, question));
  }
  return timings;
}

std::string python_text(const std::optional<double>& p50) { return p50 ? fmt::format("{:.1f}", *p50) : "-"; }

std::string ratio_text(double before, double after) { return after > 0 ? fmt::format("{:.2f}x", before / after) : "-"; }

void print_table(const Options& options, const std::vector<Timing>& current, const std::vector<Timing>& baseline) {
  std::cout << fmt::format("metrics/get-history, one run, p50 of {} calls; server CPU per call\n\n", options.queries);
  const auto names = questions(options);
  if (baseline.empty()) {
    std::cout << "| question | p50 ms | server CPU ms/call | Python p50 ms |\n|---|---:|---:|---:|\n";
    for (std::size_t i = 0; i < names.size(); ++i) {
      std::cout << fmt::format("| {} | {:.1f} | {:.1f} | {} |\n", names[i].name, current[i].p50_ms,
                               current[i].server_cpu_ms, python_text(current[i].python_p50_ms));
    }
    return;
  }
  std::cout << "| question | p50 ms before / after | ratio | server CPU ms/call before / after | ratio | "
               "Python p50 ms before / after | ratio | same answer |\n|---|---:|---:|---:|---:|---:|---:|---|\n";
  for (std::size_t i = 0; i < names.size(); ++i) {
    const Timing& before = baseline[i];
    const Timing& after = current[i];
    const std::string python_ratio =
        before.python_p50_ms && after.python_p50_ms ? ratio_text(*before.python_p50_ms, *after.python_p50_ms) : "-";
    std::cout << fmt::format(
        "| {} | {:.1f} / {:.1f} | {} | {:.1f} / {:.1f} | {} | {} / {} | {} | {} |\n", names[i].name, before.p50_ms,
        after.p50_ms, ratio_text(before.p50_ms, after.p50_ms), before.server_cpu_ms, after.server_cpu_ms,
        ratio_text(before.server_cpu_ms, after.server_cpu_ms), python_text(before.python_p50_ms),
        python_text(after.python_p50_ms), python_ratio, before.answer == after.answer ? "yes" : "NO");
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse_options(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "history_bench: " << error.what() << "\n";
    return 1;
  }
  return mlflowcpp::bench::run_against_baseline(
      "history_bench", options.baseline_binary, [&](const std::string& binary) { return measure(binary, options); },
      [&](const auto& current, const auto& baseline) { print_table(options, current, baseline); });
}
