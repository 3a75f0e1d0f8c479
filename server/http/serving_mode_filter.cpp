#include "server/http/serving_mode_filter.hpp"

#include "server/http/reply.hpp"
#include "server/http/request.hpp"
#include "server/http/route.hpp"

namespace mlflowcpp::server::http {

FilterAction ServingModeFilter::before(Request& request, Reply& reply) {
  const Route* route = request.route();
  if (route == nullptr) return FilterAction::kContinue;
  const bool tracking_or_registry = route->family == ApiFamily::kTracking || route->family == ApiFamily::kRegistry;
  if (artifacts_only_ && tracking_or_registry) {
    reply.text(503, "Endpoint: " + request.path() +
                        " disabled due to the mlflow server running in `--artifacts-only` mode. To enable tracking "
                        "operations, run `mlflowcpp server` without `--artifacts-only`");
    return FilterAction::kStop;
  }
  if (!serve_artifacts_ && route->family == ApiFamily::kArtifactProxy) {
    reply.text(503, "Endpoint: " + request.path() +
                        " disabled due to the mlflow server running with `--no-serve-artifacts`. To enable artifacts "
                        "server functionality, run `mlflowcpp server` with `--serve-artifacts`");
    return FilterAction::kStop;
  }
  return FilterAction::kContinue;
}

}  // namespace mlflowcpp::server::http
