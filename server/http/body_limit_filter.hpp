#pragma once

// Checks a request's framing before any body byte is read: a malformed
// Content-Length is refused (400), a body above its route's cap too (413,
// Route::max_body_bytes; the server's default cap when no route matched), and
// a chunked body on a capped route (411: it could only be measured by reading
// it). Requests whose body is never read (GET, HEAD, OPTIONS) but that carry
// one are answered with "Connection: close", so the unread bytes are never
// taken for the next request on the connection.

#include "server/http/filter.hpp"

#include <cstddef>

namespace mlflowcpp::server::http {

class BodyLimitFilter : public Filter {
 public:
  explicit BodyLimitFilter(std::size_t unrouted_body_limit) : unrouted_body_limit_(unrouted_body_limit) {}

  FilterAction before(Request& request, Reply& reply) override;

 private:
  std::size_t unrouted_body_limit_;
};

}  // namespace mlflowcpp::server::http
