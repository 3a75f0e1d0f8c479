#include "server/app/tracking_app.hpp"

#include "server/http/body_limit_filter.hpp"
#include "server/http/error_answer_filter.hpp"
#include "server/http/serving_mode_filter.hpp"

#include <memory>

namespace mlflowcpp::server {

TrackingApp::TrackingApp(const TrackingAppOptions& options, const ArtifactRoots& artifact_roots,
                         std::ostream& error_log)
    : stores_(open_backend_stores(options.backend_store_uri, options.stores)),
      artifacts_(options.artifacts_destination, artifact_roots),
      tracking_service_(*stores_.tracking, artifacts_),
      registry_service_(*stores_.registry, artifact_roots),
      logged_model_service_(*stores_.logged_models),
      server_handlers_(options.ui_files),
      tracking_handlers_(tracking_service_),
      registry_handlers_(registry_service_),
      artifact_handlers_(tracking_service_, &registry_service_),
      logged_model_handlers_(logged_model_service_, artifacts_, stores_.tracking->schema_generation()),
      router_(options.serving.static_prefix, options.max_body_bytes),
      dispatcher_(router_, filters_) {
  // The filters the HTTP server installs, in its order, without those about the network's peers.
  filters_.add(std::make_unique<http::ErrorAnswerFilter>(error_log));
  filters_.add(std::make_unique<http::BodyLimitFilter>(options.max_body_bytes));
  filters_.add(std::make_unique<http::ServingModeFilter>(options.serving));
  for (http::RouteGroup& group : route_groups()) group.register_routes(router_);
}

std::vector<std::reference_wrapper<http::RouteGroup>> TrackingApp::route_groups() {
  return {server_handlers_, tracking_handlers_, registry_handlers_, artifact_handlers_, logged_model_handlers_};
}

}  // namespace mlflowcpp::server
