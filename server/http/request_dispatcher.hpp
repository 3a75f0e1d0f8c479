#pragma once

// Runs one request through the server: gives it an id, matches its route,
// passes it through the filters, reads a buffered body, calls the handler,
// turns what the handler throws into an answer (through the filters), answers
// 404, 405 and OPTIONS itself, and hands the finished request to the filters'
// after(). Knows nothing of the HTTP library: the server's glue adapts it.

#include "server/http/filter_chain.hpp"
#include "server/http/reply.hpp"
#include "server/http/request.hpp"
#include "server/http/router.hpp"

#include <atomic>
#include <cstdint>
#include <string>

namespace mlflowcpp::server::http {

class RequestDispatcher {
 public:
  // Both must outlive the dispatcher and every answer still being sent.
  RequestDispatcher(const Router& router, const FilterChain& filters);

  void dispatch(Request& request, Reply& reply) const;

 private:
  // The route's handler (after a buffered body is read), or 404 / 405 / OPTIONS.
  void serve(const RouteMatch& match, Request& request, Reply& reply) const;
  // A body nobody read is read and dropped when small, else the connection closes,
  // so its bytes are never taken for the next request.
  void discard_unread_body(Request& request, Reply& reply) const;
  // 12 hex digits: unique within the process, unlikely to repeat across restarts.
  std::string next_request_id() const;

  const Router& router_;
  const FilterChain& filters_;
  const std::uint64_t request_id_base_;
  mutable std::atomic<std::uint64_t> request_count_{0};
};

}  // namespace mlflowcpp::server::http
