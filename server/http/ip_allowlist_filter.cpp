#include "server/http/ip_allowlist_filter.hpp"

#include "server/http/reply.hpp"
#include "server/http/request.hpp"

namespace mlflowcpp::server::http {

FilterAction IpAllowlistFilter::before(Request& request, Reply& reply) {
  if (allowed_.contains(request.peer_address())) return FilterAction::kContinue;
  // The body is left unread: closing spares reading what a refused client sends.
  reply.close_connection();
  reply.error(403, "PERMISSION_DENIED", "Permission denied: requests from this address are not allowed.");
  return FilterAction::kStop;
}

}  // namespace mlflowcpp::server::http
