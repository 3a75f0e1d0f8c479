#pragma once

// What the running server does on signals, on a thread of its own:
// SIGHUP runs the reload actions; SIGTERM or SIGINT stops the server gracefully:
//   1. /health answers 503 (HttpServer::begin_draining); for `delay` the server
//      still accepts and serves, so load balancers see it leave first;
//   2. the listening socket closes (new connections are refused), idle
//      connections close, and the requests in progress have up to `timeout`
//      to finish;
//   3. past the timeout, or on a second SIGTERM/SIGINT, the connections still
//      open are cut (the log says how many).
// HttpServer::run() then returns, and the caller closes the stores: writes
// already queued commit, the SQLite WAL is checkpointed.

#include "server/cli/reload_actions.hpp"
#include "server/cli/signal_watcher.hpp"
#include "server/http/http_server.hpp"

#include <atomic>
#include <chrono>
#include <ostream>
#include <thread>

namespace mlflowcpp::cli {

struct ShutdownTiming {
  std::chrono::seconds delay{0};
  std::chrono::seconds timeout{30};
};

class ServerLifecycle {
 public:
  // Starts watching. Everything given must outlive the lifecycle; `reloads` must not change any more.
  ServerLifecycle(SignalWatcher& signals, server::http::HttpServer& server, const ReloadActions& reloads,
                  ShutdownTiming timing, std::ostream& log);
  ~ServerLifecycle() { finish(); }
  ServerLifecycle(const ServerLifecycle&) = delete;
  ServerLifecycle& operator=(const ServerLifecycle&) = delete;

  // Ends the watching once the server's run() has returned; call it before the server goes away.
  void finish();

 private:
  void watch();
  void shut_down(int signal_number);
  // Waits until `until` for the server to stop serving; returns the stop signal that came first, or 0.
  int wait_for_server_end(std::chrono::steady_clock::time_point until);
  void cut_connections(const char* reason);

  SignalWatcher& signals_;
  server::http::HttpServer& server_;
  const ReloadActions& reloads_;
  const ShutdownTiming timing_;
  std::ostream& log_;
  std::atomic<bool> finished_{false};
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace mlflowcpp::cli
