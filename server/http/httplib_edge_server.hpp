#pragma once

// cpp-httplib's server with the connection handling of the network edge:
// httplib still parses requests and writes answers (process_request), but each
// connection runs here, over a ConnectionChannel (TLS when a TlsContext is
// given) and a ConnectionStream, within the ConnectionLimits: the keep-alive
// loop, deadlines on the head of every request and on the TLS handshake, the
// requests per connection, and the bound on connections (ConnectionQueue),
// beyond which a new connection is answered 503 (plain HTTP) or closed (TLS).
//
// Shutting down: once the listening socket is closed (stop()), a connection is
// served no longer than its request in progress, or one that has already
// arrived; idle ones close at once. cut_connections() ends those still open.

#include "server/http/connection_limits.hpp"
#include "server/http/open_connections.hpp"
#include "server/http/tls_context.hpp"

#include <httplib.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <thread>

namespace mlflowcpp::server::http {

class ConnectionChannel;
class ConnectionStream;

class HttplibEdgeServer : public httplib::Server {
 public:
  // `tls`: null for plain HTTP.
  HttplibEdgeServer(const ConnectionLimits& limits, std::size_t threads, std::size_t max_connections,
                    std::shared_ptr<TlsContext> tls);

  // Thread-safe.
  ConnectionCounts open_connections() const { return open_connections_.counts(); }
  // Thread-safe: makes every read and write of the open connections fail, and serves no connection still waiting
  // for a thread; returns what it cut.
  ConnectionCounts cut_connections();

 private:
  // Called by httplib for every accepted connection, on a serving thread, or on
  // the accepting thread when the ConnectionQueue refused it.
  bool process_and_close_socket(socket_t sock) override;
  std::unique_ptr<ConnectionChannel> open_channel(int socket);
  void serve_requests(ConnectionStream& stream, OpenConnections::Entry& connection);
  // Whether the next request, if any, should still be waited for.
  bool stopping() const;

  const ConnectionLimits limits_;
  const std::shared_ptr<TlsContext> tls_;
  OpenConnections open_connections_;
  std::atomic<bool> cut_{false};
  std::atomic<std::thread::id> accepting_thread_{};
};

}  // namespace mlflowcpp::server::http
