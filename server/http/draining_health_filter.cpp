#include "server/http/draining_health_filter.hpp"

#include "server/http/reply.hpp"
#include "server/http/request.hpp"
#include "server/http/route.hpp"

namespace mlflowcpp::server::http {

FilterAction DrainingHealthFilter::before(Request& request, Reply& reply) {
  if (!draining_.load()) return FilterAction::kContinue;
  const Route* route = request.route();
  if (route == nullptr || route->match != PathMatch::kExact || route->pattern != health_path_) {
    return FilterAction::kContinue;
  }
  reply.text(503, "Shutting down");
  return FilterAction::kStop;
}

}  // namespace mlflowcpp::server::http
