#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <boost/process/child.hpp>

#include "testing/process_runner.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::testing {

// How MariadbProcess starts its server.
struct MariadbOptions {
  // Extra server options (`--name=value`). The defaults keep the server small
  // (a 64 MB buffer pool) and as durable as a production one
  // (innodb_flush_log_at_trx_commit=1: the tests see the commit costs users do).
  std::vector<std::string> settings = {"--innodb-buffer-pool-size=64M", "--innodb-log-file-size=32M",
                                       "--innodb-flush-log-at-trx-commit=1", "--max-connections=300"};
  std::chrono::milliseconds startup_timeout = std::chrono::seconds(60);
};

// A throwaway MariaDB server (the Debian package's mariadb-install-db and
// mariadbd) with its data in a temporary directory, listening on a free
// loopback port, with the character set MLflow's databases have there
// (utf8mb4, utf8mb4_general_ci). The constructor returns once the server
// answers and throws std::runtime_error (with the server log) otherwise. Its
// databases belong to the user `mlflow` (password kPassword); root, without
// a password, is the administrator the helpers below connect as. The
// destructor stops the server and removes the directory; the server also dies
// with the thread that started it. When the server died or caught a signal
// (a crash: mariadbd logs its stack trace), stopping it first prints the end
// of its log to stderr, so that the crash reaches the test's output.
//
// mariadbd runs as the system user `mysql` when the tests run as root.
//
// @par Example
//   MariadbProcess mariadb;
//   std::string uri = mariadb.create_database("tracking");  // mysql://mlflow:...@127.0.0.1:P/tracking
//   mariadb.sql("tracking", "SELECT count(*) FROM runs");    // "3\n"
class MariadbProcess {
 public:
  static constexpr const char* kUser = "mlflow";
  static constexpr const char* kPassword = "mlflow-test-password";

  // Whether mariadbd and mariadb-install-db are installed (tests skip without them).
  static bool installed();

  explicit MariadbProcess(MariadbOptions options = {});
  ~MariadbProcess();
  MariadbProcess(const MariadbProcess&) = delete;
  MariadbProcess& operator=(const MariadbProcess&) = delete;

  int port() const { return port_; }
  // mysql://mlflow:<password>@127.0.0.1:<port>/<database>
  std::string uri(const std::string& database) const;
  // Creates an empty database (utf8mb4_general_ci) that the user mlflow may use, and returns its URI.
  std::string create_database(const std::string& database);

  // Runs SQL through the mariadb client as root (batch mode: tab-separated,
  // no column names) and returns what it printed; throws std::runtime_error
  // when the client fails.
  std::string sql(const std::string& database, const std::string& statements) const;
  // Runs an SQL file (e.g. a mariadb-dump) through the client, with foreign key
  // checks off, stopping at the first error.
  void sql_file(const std::string& database, const std::filesystem::path& file) const;
  // `mariadb-dump --no-data` of the database: its DDL.
  std::string dump_schema(const std::string& database) const;

  // Stops the server (a clean shutdown) and starts it again on the same port
  // and data: connections open before are lost.
  void restart();

  // The server's log so far.
  std::string log() const;

 private:
  void start();
  void start_watchdog() const;
  void stop() noexcept;
  // Prints the end of the server log to stderr when the server died or caught a signal.
  void report_crash() const;
  CommandResult run_client(const std::string& program, const std::vector<std::string>& args) const;

  MariadbOptions options_;
  TempDir dir_;
  std::filesystem::path data_dir_;
  int port_ = 0;
  std::unique_ptr<boost::process::child> server_;
};

}  // namespace mlflowcpp::testing
