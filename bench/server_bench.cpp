// server_bench: starts the real `mlflowcpp server` over a fresh SQLite database
// (or the store of --backend-store-uri) on a free loopback port and measures,
// in one run, what a user of the tracking server feels: single-call and batch ingest rates, search and history
// latencies, and the server's memory. All figures of one run share the same
// (noisy, shared) machine, so the ratios between them are the stable part.
// --compare-backends measures log-batch and search-runs on SQLite beside
// PostgreSQL and MariaDB, each with one and with two server replicas, instead.
// See BENCHMARKS.md for how to build and run it and for recorded results.

#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "backend_comparison.hpp"
#include "bench_options.hpp"
#include "bench_phases.hpp"
#include "bench_table.hpp"
#include "process_stats.hpp"
#include "progress.hpp"
#include "testing/server_process.hpp"

namespace {

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown CPU";
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &utc);
  return text;
}

void print_results(const mlflowcpp::bench::Report& report, bool markdown) {
  std::cout << "mlflowcpp server benchmark, " << utc_now() << "\n"
            << "machine: " << std::thread::hardware_concurrency() << " cores, " << cpu_model()
            << " (shared: compare the ratios, which come from one run)\n\n";
  report.print(std::cout, markdown);
  const auto missed = report.missed_targets();
  std::cout << "\n" << (missed.empty() ? "All targets met." : "Targets missed:") << "\n";
  for (const auto& line : missed) std::cout << "  - " << line << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mlflowcpp;
  const bench::BenchOptions options = bench::parse_bench_options(argc, argv);
  std::unique_ptr<testing::ServerProcess> server;
  try {
    if (options.compare_backends) {
      std::cout << "mlflowcpp backend store comparison, " << utc_now() << "\n"
                << "machine: " << std::thread::hardware_concurrency() << " cores, " << cpu_model() << "\n\n";
      bench::run_backend_comparison(options, std::cout);
      return 0;
    }
    bench::progress("starting " + testing::server_binary());
    testing::ServerOptions server_options;
    if (!options.backend_store_uri.empty()) server_options.backend_store_uri = options.backend_store_uri;
    server = std::make_unique<testing::ServerProcess>(server_options);
    const pid_t server_pid = bench::find_child_running(testing::server_binary());
    const bench::BenchFigures figures = bench::run_bench_phases(options, server->port(), server_pid);
    print_results(bench::build_bench_table(options, figures), options.markdown);
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "server_bench: " << error.what() << "\n";
    if (server) {
      const std::string log = server->log();
      std::cerr << "---- server log (last 4000 characters):\n"
                << log.substr(log.size() > 4000 ? log.size() - 4000 : 0) << "\n";
    }
    return 1;
  }
}
