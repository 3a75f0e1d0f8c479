#pragma once

// The mlflowcpp HTTP server: a tuned cpp-httplib server whose single catch-all
// handler hands every request to the Router (tracking API, health, version and
// the static UI).

#include "server/http/router.hpp"
#include "server/http/static_files.hpp"
#include "server/http/tracking_handlers.hpp"
#include "server/service/tracking_service.hpp"

#include <cstddef>
#include <memory>
#include <string>

namespace httplib {
class Server;
}

namespace mlflowcpp::server::http {

struct HttpServerOptions {
  std::string static_prefix;  // "" or "/prefix" (starts with '/', no trailing '/')
  std::string static_dir;     // "" = no UI build
  // cpp-httplib keeps one pool thread per open keep-alive connection, so the
  // pool bounds the number of concurrent clients served without queueing.
  std::size_t worker_threads = 32;
  std::size_t max_body_bytes = 64 * 1024 * 1024;
  bool artifacts_only = false;
  int keep_alive_timeout_seconds = 5;
  int read_timeout_seconds = 30;
  int write_timeout_seconds = 30;
};

class HttpServer {
 public:
  HttpServer(TrackingService& service, HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the listening socket; port 0 picks a free one. False when the address
  // cannot be bound (port in use, bad host).
  bool bind(const std::string& host, int port);
  // The bound port (after a successful bind).
  int port() const { return port_; }
  // Serves until stop(); returns false if serving failed.
  bool run();
  // Thread-safe; makes run() return.
  void stop();
  bool is_running() const;

  // For further endpoint groups (the model registry, say): add their routes here
  // before run().
  Router& router() { return router_; }

 private:
  void register_routes();

  HttpServerOptions options_;
  TrackingHandlers tracking_handlers_;
  StaticFiles static_files_;
  Router router_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = -1;
};

}  // namespace mlflowcpp::server::http
