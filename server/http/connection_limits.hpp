#pragma once

// How long and how much one connection may take of the server (see README, "Security").

#include <chrono>
#include <cstddef>

namespace mlflowcpp::server::http {

struct ConnectionLimits {
  // The longest wait for the next bytes of a body; a request's line and headers
  // (and a TLS handshake) must also arrive whole within it, however they trickle in.
  std::chrono::seconds read_timeout{30};
  // The longest wait for the client to take the next bytes of an answer.
  std::chrono::seconds write_timeout{30};
  // How long an open connection may wait for its next request.
  std::chrono::seconds keep_alive_timeout{5};
  // Requests on one connection before the server closes it.
  std::size_t max_keep_alive_requests = 1000;
  // The request line and headers together; beyond, 414 (in the request line) or 431.
  std::size_t max_header_bytes = 64 * 1024;
};

}  // namespace mlflowcpp::server::http
