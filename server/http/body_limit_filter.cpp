#include "server/http/body_limit_filter.hpp"

#include "server/http/reply.hpp"
#include "server/http/request.hpp"
#include "server/http/route.hpp"

#include <string>

namespace mlflowcpp::server::http {

FilterAction BodyLimitFilter::before(Request& request, Reply& reply) {
  const bool body_is_read = method_reads_body(request.method());
  const std::size_t limit = request.route() ? request.route()->max_body_bytes : unrouted_body_limit_;
  if (const auto header = request.header("Content-Length")) {
    const auto length = request.content_length();
    if (!length) {
      reply.close_connection();
      reply.error(400, "BAD_REQUEST", "Invalid Content-Length header.");
      return FilterAction::kStop;
    }
    if (limit != 0 && *length > limit) {
      reply.close_connection();
      reply.error(413, "RESOURCE_EXHAUSTED",
                  "Request rejected: the request body is larger than " + std::to_string(limit) + " bytes.");
      return FilterAction::kStop;
    }
    if (!body_is_read && *length > 0) reply.close_connection();
  } else if (request.header("Transfer-Encoding")) {
    if (body_is_read && limit != 0) {
      reply.close_connection();
      reply.error(411, "BAD_REQUEST", "Request rejected: a request body needs a Content-Length header.");
      return FilterAction::kStop;
    }
    if (!body_is_read) reply.close_connection();
  }
  return FilterAction::kContinue;
}

}  // namespace mlflowcpp::server::http
