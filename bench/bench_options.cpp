#include "bench_options.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string_view>

namespace mlflowcpp::bench {
namespace {

struct Flag {
  std::string help;
  std::function<void(const std::string&)> set;
};

std::function<void(const std::string&)> set_non_negative_int(int& target) {
  return [&target](const std::string& text) {
    const int value = std::stoi(text);
    if (value < 0) throw std::invalid_argument("negative");
    target = value;
  };
}

std::map<std::string, Flag> flags_of(BenchOptions& options) {
  return {
      {"log-metric-requests", {"single log-metric calls (one keep-alive connection)",
                               set_non_negative_int(options.log_metric_requests)}},
      {"ingest-batches", {"log-batch calls timed in the ingest phase",
                          set_non_negative_int(options.ingest_batches)}},
      {"batch-size", {"metrics per log-batch call (at most 1000)", set_non_negative_int(options.batch_size)}},
      {"search-runs", {"runs created for the search phase", set_non_negative_int(options.search_run_count)}},
      {"search-queries", {"search-runs calls timed", set_non_negative_int(options.search_queries)}},
      {"search-max-results", {"max_results of each search-runs call",
                              set_non_negative_int(options.search_max_results)}},
      {"history-points", {"points of the metric read back by get-history",
                          set_non_negative_int(options.history_points)}},
      {"history-queries", {"get-history calls timed", set_non_negative_int(options.history_queries)}},
      {"ingest-clients", {"clients of the concurrent log-batch phase, sharing --ingest-batches (0 skips it)",
                          set_non_negative_int(options.ingest_clients)}},
      {"concurrent-clients", {"clients of the concurrent phase (0 skips it)",
                              set_non_negative_int(options.concurrent_clients)}},
      {"concurrent-requests", {"log-metric calls per concurrent client",
                               set_non_negative_int(options.concurrent_requests_per_client)}},
      {"phase-seconds", {"time bound of each timed phase",
                         [&options](const std::string& text) { options.phase_seconds = std::stod(text); }}},
      {"backend-store-uri", {"store of the standard phases (default: a fresh SQLite file)",
                             [&options](const std::string& text) { options.backend_store_uri = text; }}},
      {"replicas", {"servers on one PostgreSQL database in --compare-backends (default 2)",
                    set_non_negative_int(options.replicas)}},
      {"comparison-clients", {"concurrent clients of each --compare-backends load (default 8)",
                              set_non_negative_int(options.comparison_clients)}},
  };
}

[[noreturn]] void print_usage_and_exit(const std::map<std::string, Flag>& flags, const BenchOptions& defaults,
                                       int exit_code) {
  std::ostream& out = exit_code == 0 ? std::cout : std::cerr;
  out << "usage: server_bench [--markdown] [--name=value ...]\n"
         "Starts `mlflowcpp server` over a fresh SQLite database (or --backend-store-uri)\n"
         "on a free loopback port and measures request rates, latencies and memory.\n"
         "With --compare-backends: log-batch and search-runs on SQLite, PostgreSQL and MariaDB.\n\n";
  for (const auto& [name, flag] : flags) {
    out << fmt::format("  --{:<26}{}\n", name + (name == "backend-store-uri" ? "=URI" : "=N"), flag.help);
  }
  out << fmt::format("  --{:<26}{}\n", "markdown", "print the result table as Markdown");
  out << fmt::format("  --{:<26}{}\n", "compare-backends",
                     "log-batch and search-runs on SQLite and on PostgreSQL 15 (started here)");
  out << "\nDefaults: log-metric-requests=" << defaults.log_metric_requests
      << " ingest-batches=" << defaults.ingest_batches << " search-runs=" << defaults.search_run_count
      << " history-points=" << defaults.history_points << " phase-seconds=" << defaults.phase_seconds << "\n";
  std::exit(exit_code);
}

}  // namespace

BenchOptions parse_bench_options(int argc, char** argv) {
  BenchOptions options;
  const BenchOptions defaults;
  const auto flags = flags_of(options);
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument == "--help" || argument == "-h") print_usage_and_exit(flags, defaults, 0);
    if (argument == "--markdown") {
      options.markdown = true;
      continue;
    }
    if (argument == "--compare-backends") {
      options.compare_backends = true;
      continue;
    }
    const auto equals = argument.find('=');
    if (argument.substr(0, 2) != "--" || equals == std::string_view::npos) {
      std::cerr << "server_bench: expected --name=value, got '" << argument << "'\n";
      print_usage_and_exit(flags, defaults, 2);
    }
    const std::string name(argument.substr(2, equals - 2));
    const std::string value(argument.substr(equals + 1));
    const auto flag = flags.find(name);
    if (flag == flags.end()) {
      std::cerr << "server_bench: unknown flag --" << name << "\n";
      print_usage_and_exit(flags, defaults, 2);
    }
    try {
      flag->second.set(value);
    } catch (const std::exception&) {
      std::cerr << "server_bench: bad value for --" << name << ": '" << value << "'\n";
      print_usage_and_exit(flags, defaults, 2);
    }
  }
  if (options.batch_size < 1 || options.batch_size > 1000) {
    std::cerr << "server_bench: --batch-size must be 1..1000 (MLflow's log-batch cap)\n";
    std::exit(2);
  }
  if (options.compare_backends && (options.replicas < 1 || options.comparison_clients < 1)) {
    std::cerr << "server_bench: --replicas and --comparison-clients must be at least 1\n";
    std::exit(2);
  }
  return options;
}

}  // namespace mlflowcpp::bench
