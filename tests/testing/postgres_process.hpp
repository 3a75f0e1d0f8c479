#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "testing/process_runner.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::testing {

// How PostgresProcess starts its server.
struct PostgresOptions {
  // Settings passed as `-c name=value`. The defaults trade durability for
  // speed: a throwaway database does not need to survive power loss.
  std::vector<std::string> settings = {"fsync=off", "synchronous_commit=off", "full_page_writes=off",
                                       "max_connections=200"};
  std::chrono::milliseconds startup_timeout = std::chrono::seconds(30);
  // Empty: trust authentication. Otherwise the user postgres has this
  // password and every connection must give it (scram-sha-256).
  std::string password;
};

// A throwaway PostgreSQL 15 server (the Debian package's initdb/pg_ctl) with
// its data in a temporary directory, listening on a free loopback port, with
// trust (or password) authentication for the user `postgres`. The constructor returns once
// the server accepts connections and throws std::runtime_error (with the
// server log) when that does not happen in time. The destructor stops it at
// once (`pg_ctl stop -m immediate`) and removes the directory.
//
// initdb and pg_ctl refuse to run as root; under root they run as the system
// user `postgres`, which then owns the data directory.
//
// @par Example
//   PostgresProcess postgres;
//   std::string uri = postgres.create_database("tracking");  // postgresql://postgres@127.0.0.1:P/tracking
//   postgres.psql("tracking", "SELECT count(*) FROM runs");   // "3\n"
class PostgresProcess {
 public:
  explicit PostgresProcess(PostgresOptions options = {});
  ~PostgresProcess();
  PostgresProcess(const PostgresProcess&) = delete;
  PostgresProcess& operator=(const PostgresProcess&) = delete;

  int port() const { return port_; }
  // postgresql://postgres@127.0.0.1:<port>/<database> (no password in it)
  std::string uri(const std::string& database) const;
  // Creates an empty database and returns its URI.
  std::string create_database(const std::string& database);

  // Runs SQL through psql (unaligned, tuples only, stops at the first error)
  // and returns what it printed; throws std::runtime_error when psql fails.
  std::string psql(const std::string& database, const std::string& sql) const;
  // Runs an SQL file (e.g. a pg_dump) through psql, stopping at the first error.
  void psql_file(const std::string& database, const std::filesystem::path& file) const;

  // The server's log so far.
  std::string log() const;

 private:
  // One launch attempt on `port`: false when the server exited during startup
  // (the port was taken meanwhile); throws when it neither runs nor exits in time.
  bool try_start_on(int port);
  CommandResult run_psql(const std::string& database, const std::vector<std::string>& args) const;
  void start_watchdog() const;
  void stop() noexcept;

  PostgresOptions options_;
  TempDir dir_;
  std::filesystem::path data_dir_;
  int port_ = 0;
  bool running_ = false;
};

}  // namespace mlflowcpp::testing
