#pragma once

// The mlflowcpp HTTP server: a tuned cpp-httplib server whose single catch-all
// handler hands every request to the Router (tracking API, health, version and
// the static UI). Artifact uploads are the one exception: their bodies are
// streamed to disk by a handler of their own (add_artifact_routes).

#include "server/http/idle_memory_trimmer.hpp"
#include "server/http/router.hpp"
#include "server/http/static_files.hpp"
#include "server/http/tracking_handlers.hpp"
#include "server/service/tracking_service.hpp"

#include <cstddef>
#include <memory>
#include <string>

namespace httplib {
class Server;
struct Request;
}

namespace mlflowcpp::server::http {

class ArtifactHandlers;

struct HttpServerOptions {
  std::string static_prefix;  // "" or "/prefix" (starts with '/', no trailing '/')
  std::string static_dir;     // "" = no UI build
  // cpp-httplib keeps one pool thread per open keep-alive connection, so the
  // pool bounds the number of concurrent clients served without queueing.
  std::size_t worker_threads = 32;
  // Bodies read into memory (JSON calls).
  std::size_t max_body_bytes = 64 * 1024 * 1024;
  // Streamed artifact uploads (PUT .../mlflow-artifacts/artifacts/<path>); 0 = no cap.
  std::size_t max_artifact_upload_bytes = 0;
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

  // The artifact proxy and downloads; before run(). `handlers` must outlive the server.
  void add_artifact_routes(ArtifactHandlers& handlers);

 private:
  // The body size allowed for `request` by its Content-Length; 0 = no cap.
  std::size_t body_limit_for(const httplib::Request& request) const;

  void register_routes();
  // Lets more connections wait to be accepted than httplib's default allows.
  void raise_listen_backlog();

  HttpServerOptions options_;
  TrackingHandlers tracking_handlers_;
  StaticFiles static_files_;
  Router router_;
  ArtifactHandlers* artifact_handlers_ = nullptr;
  IdleMemoryTrimmer memory_trimmer_;
  std::unique_ptr<httplib::Server> server_;
  // The listening socket, as httplib's socket-options hook last saw it (the
  // hook runs on each socket httplib tries to bind; the last one is bound).
  int listening_socket_ = -1;
  int port_ = -1;
};

}  // namespace mlflowcpp::server::http
