#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <mlflowcpp/client_options.hpp>

#include "testing/http_client.hpp"
#include "testing/process_runner.hpp"
#include "testing/temp_dir.hpp"
#include "testing/wait.hpp"

namespace boost::process {
class child;
}

namespace mlflowcpp::testing {

// How ServerProcess starts `mlflowcpp server`.
struct ServerOptions {
  // Where the server keeps its data; a fresh TempDir when empty.
  std::filesystem::path work_dir;
  // --backend-store-uri; default sqlite:///<work_dir>/mlflow.db. Set
  // pass_backend_store_uri = false to leave the flag out (environment tests).
  std::optional<std::string> backend_store_uri;
  bool pass_backend_store_uri = true;
  // --artifacts-destination; default <work_dir>/mlartifacts.
  std::optional<std::string> artifacts_destination;
  // Appended after the standard flags (e.g. {"--static-dir", dir}).
  std::vector<std::string> extra_args;
  EnvironmentOverrides environment;
  // Prefix of /health: the server's --static-prefix (taken from extra_args when empty).
  std::string static_prefix;
  // The server speaks HTTPS (extra_args carry --tls-cert and --tls-key): its health is asked over TLS.
  bool tls = false;
  std::chrono::milliseconds startup_timeout = std::chrono::seconds(20);
  std::chrono::milliseconds stop_timeout = std::chrono::seconds(10);
};

// The real `mlflowcpp server` as a child process on a free loopback port.
// The constructor returns once GET <prefix>/health answers 200; it throws
// std::runtime_error (with the server log) if that does not happen in time.
// The destructor stops the server (SIGTERM, then SIGKILL after stop_timeout).
// The child is killed with SIGKILL if the thread that started it dies, so a
// crashed test never leaves a server behind: start it from a long-lived thread.
//
// @par Thread Safety
// Start/stop from one thread; any number of threads may use client() meanwhile.
//
// @par Example
//   ServerProcess server;                       // sqlite in a temp dir
//   auto http = server.client();
//   auto created = http.post("/api/2.0/mlflow/experiments/create", {{"name", "x"}});
class ServerProcess {
 public:
  explicit ServerProcess(ServerOptions options = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // SIGTERM, wait up to stop_timeout, then SIGKILL. Returns the exit code
  // (-1 when it ended by a signal). No-op (returns the last code) when not running.
  int stop();
  // SIGKILL right away: a crash as far as the server can tell.
  void kill9();
  // stop() if running, then start again with the same options and data (same DB).
  void restart();
  bool running();
  // The server's process id (to read /proc/<pid>); -1 when it is not running.
  int pid() const;
  // Sends `signal_number` (e.g. SIGHUP) to the running server.
  void signal(int signal_number);

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // A new keep-alive client to this server (one per thread).
  HttpClient client(std::chrono::seconds timeout = std::chrono::seconds(30)) const;
  // Options for an mlflowcpp client of this server: no retries (the server is
  // local, so every answer is its first and a failure shows at once).
  ClientOptions client_options() const;

  const std::filesystem::path& work_dir() const { return work_dir_; }
  // The database of the default --backend-store-uri (not of an overridden one).
  std::filesystem::path db_path() const { return work_dir_ / "mlflow.db"; }
  std::filesystem::path artifacts_dir() const;
  std::filesystem::path log_path() const { return work_dir_ / "server.log"; }
  // Everything the server printed, across restarts.
  std::string log() const;

 private:
  void start();
  // One launch attempt on `port`; true once healthy, false if the child exited
  // during startup (e.g. the port was taken meanwhile). Throws on timeout.
  bool try_start_on(int port);
  std::vector<std::string> command_line(int port) const;

  ServerOptions options_;
  std::unique_ptr<TempDir> owned_dir_;
  std::filesystem::path work_dir_;
  int port_ = 0;
  int last_exit_code_ = 0;
  std::unique_ptr<boost::process::child> child_;
};

// Copies tests/fixtures/<fixture_file> (a SQLite database an official server
// wrote) to <work_dir>/mlflow.db: the backend store of a server started in
// `work_dir` without another one. Returns the copy's path.
std::filesystem::path copy_fixture_database(const std::string& fixture_file, const std::filesystem::path& work_dir);

// Options for a server on such a copy (made here) in `work_dir`.
ServerOptions on_fixture_copy(const std::string& fixture_file, const std::filesystem::path& work_dir);

// A server on its own copy of a fixture database, in a temporary directory
// that goes with it: what a test suite shares to replay recorded calls.
class FixtureServer {
 public:
  explicit FixtureServer(const std::string& fixture_file)
      : dir_("mlflowcpp-fixture"), server_(on_fixture_copy(fixture_file, dir_.path())) {}
  ServerProcess& process() { return server_; }
  HttpClient client() const { return server_.client(); }

 private:
  TempDir dir_;
  ServerProcess server_;
};

}  // namespace mlflowcpp::testing
