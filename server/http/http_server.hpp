#pragma once

// The mlflowcpp HTTP server: a tuned cpp-httplib server whose catch-all
// handlers give every request to the RequestDispatcher, which routes it
// (Router), passes it through the filters (FilterChain) and calls its handler.
// Handler groups add their routes, and filters their checks, before run().

#include "server/http/connection_limits.hpp"
#include "server/http/filter_chain.hpp"
#include "server/http/idle_memory_trimmer.hpp"
#include "server/http/ip_allowlist.hpp"
#include "server/http/open_connections.hpp"
#include "server/http/request_dispatcher.hpp"
#include "server/http/route_group.hpp"
#include "server/http/router.hpp"
#include "server/http/serving_options.hpp"
#include "server/http/tls_context.hpp"

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace mlflowcpp::server::http {

class HttplibEdgeServer;

struct HttpServerOptions {
  ServingOptions serving;
  // One thread serves one open connection at a time, so the pool bounds the
  // number of concurrent clients served without queueing.
  std::size_t worker_threads = 32;
  // Connections served or waiting for a thread; one more is answered 503 (TLS: closed) at once.
  std::size_t max_connections = 512;
  ConnectionLimits limits;
  // Bodies read into memory (JSON calls): the cap of routes that take the default.
  std::size_t max_body_bytes = 64 * 1024 * 1024;
  // Clients allowed in (empty: everyone); others get 403 before anything else happens.
  IpNetworkList allowed_ips;
  // Peers whose X-Forwarded-For names the client (see client_address.hpp).
  IpNetworkList trusted_proxies;
  // HTTPS only when set; reload it to change the certificate of new connections.
  std::shared_ptr<TlsContext> tls;
  // Finds out who sends each request (the basic-auth app); runs after the IP
  // allowlist and before body limits, so no body is read for a stranger.
  std::shared_ptr<Filter> authentication;
  // Runs once the server has been quiet a second, before its freed heap goes back to the system: the stores drop
  // their caches there (TrackingStore::release_idle_memory). Must not throw or wait for work in progress.
  std::function<void()> release_idle_memory;
};

class HttpServer {
 public:
  // Installs the standard filters: the IP allowlist (when one is given), error
  // answers (causes logged to `error_log`), authentication (when given), body
  // limits, the serving-mode gates. `error_log` must outlive the server.
  explicit HttpServer(HttpServerOptions options, std::ostream& error_log);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Before run(). `group` must outlive the server.
  void add_routes(RouteGroup& group) { group.register_routes(router_); }
  Router& router() { return router_; }
  // Before run(); runs after the filters added before it.
  void add_filter(std::shared_ptr<Filter> filter) { filters_.add(std::move(filter)); }
  // Before run(); ahead of every filter (the allowlist included), so it sees every request the dispatcher
  // answers: the access log, the metrics.
  void add_observer(std::shared_ptr<Filter> filter) { filters_.add_first(std::move(filter)); }

  // Binds the listening socket; port 0 picks a free one. False when the address
  // cannot be bound (port in use, bad host).
  bool bind(const std::string& host, int port);
  // The bound port (after a successful bind).
  int port() const { return port_; }
  // Serves until stop(); returns false if serving failed.
  bool run();
  bool is_running() const;

  // Stopping gracefully, in this order (each step thread-safe):
  // The server is about to stop: /health answers 503, and every answer closes its connection; nothing else changes.
  void begin_draining();
  // Closes the listening socket at once (new connections are refused) and makes
  // run() return once the connections still open have answered the request
  // they are on or have already sent; idle ones close at once.
  void stop();
  ConnectionCounts open_connections() const;
  // Past the deadline: makes every open connection fail, so run() returns as
  // soon as their handlers notice. Returns what it cut.
  ConnectionCounts cut_connections();

 private:
  void install_handlers();
  // Lets more connections wait to be accepted than httplib's default allows.
  void raise_listen_backlog();

  void close_when_draining(const httplib::Request& request, httplib::Response& response) const;
  // The client a request comes from, through the trusted proxies.
  std::string client_address_of(const httplib::Request& request) const;

  HttpServerOptions options_;
  Router router_;
  FilterChain filters_;
  RequestDispatcher dispatcher_;
  IdleMemoryTrimmer memory_trimmer_;
  std::atomic<bool> draining_{false};
  std::unique_ptr<HttplibEdgeServer> server_;
  // The listening socket, as httplib's socket-options hook last saw it (the
  // hook runs on each socket httplib tries to bind; the last one is bound).
  int listening_socket_ = -1;
  int port_ = -1;
};

}  // namespace mlflowcpp::server::http
