// soak_bench: holds a mixed, paced load (log-metric and log-batch writers, searches, artifact uploads, registry
// calls) against the real `mlflowcpp server` over a fresh SQLite database on a free loopback port, and reports
// every interval what drifts over a long run: request rate, write latency p50/p99, errors, the server's resident
// memory, threads and open files, and the size of the SQLite WAL. At the end it checks that every acknowledged
// metric point is in its history. MLFLOWCPP_TEST_SERVER_BINARY runs it against another build.
// See BENCHMARKS.md ("Soak").

#include <fmt/format.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include "process_stats.hpp"
#include "progress.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"
#include "workload_soak.hpp"

namespace {

using mlflowcpp::bench::SoakInterval;
using mlflowcpp::bench::SoakOptions;
using mlflowcpp::bench::SoakResult;

struct SoakBenchOptions {
  SoakOptions soak;
  bool markdown = false;
};

[[noreturn]] void usage(int exit_code) {
  std::ostream& out = exit_code == 0 ? std::cout : std::cerr;
  const SoakOptions defaults;
  out << "usage: soak_bench [--markdown] [--soak-seconds=N] [--interval-seconds=N] [--batch-size=N]\n"
         "                  [--metric-rate=N] [--batch-rate=N]\n"
         "Holds a mixed load against a fresh `mlflowcpp server` (SQLite) and reports, every interval,\n"
         "req/s, write latency p50/p99, errors, server RSS, threads, open fds and the WAL size.\n"
      << fmt::format(
             "Defaults: soak-seconds={} interval-seconds={} batch-size={} metric-rate={} (per client, {} "
             "clients) batch-rate={} (per client, {} clients)\n",
             defaults.seconds, defaults.interval_seconds, defaults.batch_size, defaults.metric_calls_per_second,
             defaults.metric_clients, defaults.batch_calls_per_second, defaults.batch_clients);
  std::exit(exit_code);
}

SoakBenchOptions parse_options(int argc, char** argv) {
  SoakBenchOptions options;
  const std::map<std::string, double*> numbers = {
      {"soak-seconds", &options.soak.seconds},
      {"interval-seconds", &options.soak.interval_seconds},
      {"metric-rate", &options.soak.metric_calls_per_second},
      {"batch-rate", &options.soak.batch_calls_per_second},
  };
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument == "--help" || argument == "-h") usage(0);
    if (argument == "--markdown") {
      options.markdown = true;
      continue;
    }
    const auto equals = argument.find('=');
    if (argument.substr(0, 2) != "--" || equals == std::string_view::npos) usage(2);
    const std::string name(argument.substr(2, equals - 2));
    const std::string value(argument.substr(equals + 1));
    try {
      if (name == "batch-size") {
        options.soak.batch_size = std::stoi(value);
        if (options.soak.batch_size < 1 || options.soak.batch_size > 1000) throw std::invalid_argument("range");
        continue;
      }
      const auto number = numbers.find(name);
      if (number == numbers.end()) {
        std::cerr << "soak_bench: unknown flag --" << name << "\n";
        usage(2);
      }
      *number->second = std::stod(value);
      if (*number->second <= 0) throw std::invalid_argument("not positive");
    } catch (const std::exception&) {
      std::cerr << "soak_bench: bad value for --" << name << ": '" << value << "'\n";
      usage(2);
    }
  }
  return options;
}

std::string row_text(const SoakInterval& row, bool markdown) {
  const char* separator = markdown ? " | " : "  ";
  return fmt::format("{}{:>6.0f}{}{:>7.1f}{}{:>8.1f}{}{:>8.1f}{}{:>8.1f}{}{:>6}{}{:>8.1f}{}{:>7}{}{:>5}{}{:>8.1f}{}",
                     markdown ? "| " : "", row.end_seconds, separator, row.requests_per_second, separator,
                     row.write_p50_ms, separator, row.write_p99_ms, separator, row.write_max_ms, separator, row.errors,
                     separator, row.resident_mib, separator, row.threads, separator, row.open_fds, separator,
                     row.wal_mib, markdown ? " |" : "");
}

void print_header(bool markdown) {
  if (markdown) {
    std::cout << "| t (s) | req/s | write p50 (ms) | write p99 (ms) | write max (ms) | errors | RSS (MiB) | threads "
                 "| fds | WAL (MiB) |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  } else {
    std::cout << fmt::format("{:>6}  {:>7}  {:>8}  {:>8}  {:>8}  {:>6}  {:>8}  {:>7}  {:>5}  {:>8}\n", "t(s)", "req/s",
                             "w p50ms", "w p99ms", "w max ms", "errors", "RSS MiB", "threads", "fds", "WAL MiB");
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mlflowcpp;
  const SoakBenchOptions options = parse_options(argc, argv);
  // Declared before the server, so the server stops before its directory goes.
  testing::TempDir work_dir("mlflowcpp-soak");
  std::unique_ptr<testing::ServerProcess> server;
  try {
    testing::ServerOptions server_options;
    server_options.work_dir = work_dir.path();
    bench::progress("starting " + testing::server_binary());
    server = std::make_unique<testing::ServerProcess>(server_options);
    const pid_t server_pid = bench::find_child_running(testing::server_binary());
    bench::progress(fmt::format("soak: {} s, a row every {} s", options.soak.seconds, options.soak.interval_seconds));
    print_header(options.markdown);
    const SoakResult result =
        bench::run_soak(server->port(), server_pid, work_dir.path() / "mlflow.db", options.soak,
                        [&](const SoakInterval& row) { std::cout << row_text(row, options.markdown) << std::endl; });
    std::cout << fmt::format(
        "\nrequests: {}, errors: {}{}\npeak WAL: {:.1f} MiB; idle RSS 3 s after the load: {:.1f} MiB\n"
        "acknowledged metric points: {}, missing from their history: {}\n",
        result.requests, result.errors, result.first_error.empty() ? "" : " (first: " + result.first_error + ")",
        result.peak_wal_mib, result.idle_resident_mib, result.acknowledged_points, result.missing_points);
    return result.missing_points == 0 && result.errors == 0 ? 0 : 1;
  } catch (const std::exception& error) {
    std::cerr << "soak_bench: " << error.what() << "\n";
    if (server) {
      const std::string log = server->log();
      std::cerr << "---- server log (last 4000 characters):\n"
                << log.substr(log.size() > 4000 ? log.size() - 4000 : 0) << "\n";
    }
    return 1;
  }
}
