#include "backend_comparison.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "progress.hpp"
#include "report.hpp"
#include "rest_client.hpp"
#include "testing/mariadb_process.hpp"
#include "testing/postgres_process.hpp"
#include "testing/server_process.hpp"
#include "workloads.hpp"

namespace mlflowcpp::bench {

namespace {

// Runs `work(client)` on `clients` threads at once; the wall time of the whole.
// The first exception of any client is rethrown once all are done.
template <typename Work>
double run_clients(int clients, const Work& work) {
  std::vector<std::thread> threads;
  std::mutex error_mutex;
  std::exception_ptr first_error;
  const auto start = Clock::now();
  for (int client = 0; client < clients; ++client) {
    threads.emplace_back([&, client] {
      try {
        work(client);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const double seconds = seconds_between(start, Clock::now());
  if (first_error) std::rethrow_exception(first_error);
  return seconds;
}

std::string describe(const BackendUnderTest& backend) {
  return fmt::format("{} x{}", backend.label, backend.replicas);
}

}  // namespace

BackendFigures measure_backend(const BenchOptions& options, const BackendUnderTest& backend) {
  BackendFigures figures;
  figures.backend = backend;
  figures.clients = std::max(1, options.comparison_clients);

  progress(fmt::format("{}: starting {} server(s)", describe(backend), backend.replicas));
  std::vector<std::unique_ptr<testing::ServerProcess>> servers;
  for (int replica = 0; replica < backend.replicas; ++replica) {
    testing::ServerOptions server_options;
    if (!backend.backend_store_uri.empty()) server_options.backend_store_uri = backend.backend_store_uri;
    servers.push_back(std::make_unique<testing::ServerProcess>(server_options));
  }
  const auto port_of = [&](int client) { return servers[static_cast<size_t>(client) % servers.size()]->port(); };

  // Ingest: each client log-batches into a run of its own.
  RestClient setup(servers.front()->port());
  const std::string experiment_id = create_experiment(setup, "backend-ingest");
  std::vector<std::string> run_ids;
  for (int client = 0; client < figures.clients; ++client) {
    run_ids.push_back(create_run(setup, experiment_id, fmt::format("ingest-{}", client)));
  }
  progress(fmt::format("{}: log-batch, {} clients", describe(backend), figures.clients));
  std::atomic<long> metrics{0};
  const int batches_per_client = std::max(1, options.ingest_batches / figures.clients);
  figures.ingest_seconds = run_clients(figures.clients, [&](int client) {
    const auto result = run_batch_ingest(port_of(client), run_ids[static_cast<size_t>(client)], "loss", 0,
                                         batches_per_client, options.batch_size, options.phase_seconds);
    metrics += result.metrics;
  });
  figures.metrics = metrics.load();

  // Search: the standard search set-up, queried by every client at once.
  progress(fmt::format("{}: creating {} runs to search", describe(backend), options.search_run_count));
  const SearchSetup search = set_up_search_runs(servers.front()->port(), options.search_run_count);
  progress(fmt::format("{}: search-runs, {} clients", describe(backend), figures.clients));
  std::mutex latencies_mutex;
  const int queries_per_client = std::max(1, options.search_queries / figures.clients);
  const std::string search_body = nlohmann::json{{"experiment_ids", {search.experiment_id}},
                                                 {"filter", search.filter},
                                                 {"order_by", {search.order_by}},
                                                 {"max_results", options.search_max_results}}
                                      .dump();
  figures.search_seconds = run_clients(figures.clients, [&](int client) {
    // Checks the answer once (untimed), then times the same call.
    run_search_queries(port_of(client), search, options.search_max_results, 0, options.phase_seconds);
    RestClient rest(port_of(client));
    std::vector<Clock::duration> durations;
    const auto deadline = deadline_after(Clock::now(), options.phase_seconds);
    for (int query = 0; query < queries_per_client && Clock::now() < deadline; ++query) {
      const auto call_start = Clock::now();
      rest.post("runs/search", search_body);
      durations.push_back(Clock::now() - call_start);
    }
    std::lock_guard<std::mutex> lock(latencies_mutex);
    for (const auto duration : durations) figures.search_latencies.add(duration);
  });
  figures.searches = static_cast<long>(figures.search_latencies.count());
  return figures;
}

void run_backend_comparison(const BenchOptions& options, std::ostream& out) {
  std::vector<BackendFigures> results;
  results.push_back(measure_backend(options, {"SQLite", "", 1}));

  progress("starting PostgreSQL 15");
  testing::PostgresOptions postgres_options;
  // Durable (fsync on), but commits do not wait for their WAL flush: the
  // counterpart of SQLite's WAL with synchronous=NORMAL, the server's default.
  postgres_options.settings = {"synchronous_commit=off", "max_connections=200"};
  testing::PostgresProcess postgres(postgres_options);
  std::vector<int> replica_counts = {1};
  if (options.replicas > 1) replica_counts.push_back(options.replicas);
  for (int replicas : replica_counts) {
    const std::string uri = postgres.create_database(fmt::format("bench_{}_replicas", replicas));
    results.push_back(measure_backend(options, {"PostgreSQL", uri, replicas}));
  }

  progress("starting MariaDB");
  testing::MariadbOptions mariadb_options;
  // Durable against a crash of the server process, the log flushed to disk once a second: the counterpart of
  // SQLite's WAL with synchronous=NORMAL and of PostgreSQL's synchronous_commit=off above.
  mariadb_options.settings = {"--innodb-buffer-pool-size=256M", "--innodb-log-file-size=128M",
                              "--innodb-flush-log-at-trx-commit=2", "--max-connections=300"};
  testing::MariadbProcess mariadb(mariadb_options);
  for (int replicas : replica_counts) {
    const std::string uri = mariadb.create_database(fmt::format("bench_{}_replicas", replicas));
    results.push_back(measure_backend(options, {"MariaDB", uri, replicas}));
  }

  const std::string separator = options.markdown ? " | " : "  ";
  const auto row = [&](const std::vector<std::string>& cells) {
    std::string line = options.markdown ? "| " : "";
    for (size_t i = 0; i < cells.size(); ++i) {
      line += options.markdown ? cells[i] : fmt::format("{:<22}", cells[i]);
      if (i + 1 < cells.size()) line += separator;
    }
    out << line << (options.markdown ? " |" : "") << "\n";
  };
  out << fmt::format("Backend stores: {} concurrent clients, log-batch of {} metrics, search-runs over {} runs "
                     "(max_results {})\n\n",
                     results.front().clients, options.batch_size, options.search_run_count,
                     options.search_max_results);
  row({"backend store", "servers", "log-batch metrics/s", "search-runs/s", "search p50 ms", "search p95 ms"});
  if (options.markdown) row({"---", "---:", "---:", "---:", "---:", "---:"});
  for (const auto& figures : results) {
    row({figures.backend.label, std::to_string(figures.backend.replicas), format_number(figures.metrics_per_second()),
         format_number(figures.searches_per_second()), format_number(figures.search_latencies.percentile_ms(50)),
         format_number(figures.search_latencies.percentile_ms(95))});
  }
}

}  // namespace mlflowcpp::bench
