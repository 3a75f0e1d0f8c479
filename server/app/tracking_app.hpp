#pragma once

// The tracking server's application without its network edge: the backend
// stores, the services over them, the API's handler groups, and a dispatcher
// that serves requests through the same routes and error answers. The
// `mlflowcpp server` program adds the handler groups to its HTTP server; the
// in-process store (offline runs) sends the client's requests to dispatcher().

#include "server/artifacts/artifact_lister.hpp"
#include "server/artifacts/artifact_roots.hpp"
#include "server/http/artifact_handlers.hpp"
#include "server/http/filter_chain.hpp"
#include "server/http/logged_model_handlers.hpp"
#include "server/http/registry_handlers.hpp"
#include "server/http/request_dispatcher.hpp"
#include "server/http/route_group.hpp"
#include "server/http/router.hpp"
#include "server/http/server_handlers.hpp"
#include "server/http/serving_options.hpp"
#include "server/http/tracking_handlers.hpp"
#include "server/service/logged_model_service.hpp"
#include "server/service/registry_service.hpp"
#include "server/service/tracking_service.hpp"
#include "server/store/store_factory.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace mlflowcpp::server {

struct TrackingAppOptions {
  std::string backend_store_uri;
  BackendStoreOptions stores;
  // Where mlflow-artifacts: URIs live (a path or a URI).
  std::string artifacts_destination;
  // Where the web UI comes from (null = no UI).
  std::shared_ptr<const http::UiFiles> ui_files;
  http::ServingOptions serving;
  // Bodies read into memory: the cap of routes that take the default (the HTTP server's default).
  std::size_t max_body_bytes = 64 * 1024 * 1024;
};

// @par Thread Safety
// dispatcher() may serve any number of requests at once, as the server's threads do.
class TrackingApp {
 public:
  // Opens the backend stores: throws std::runtime_error (or what the store throws) when they cannot be used.
  // `error_log` takes the causes of 500 answers of dispatcher(); it must outlive the app.
  TrackingApp(const TrackingAppOptions& options, const ArtifactRoots& artifact_roots, std::ostream& error_log);
  TrackingApp(const TrackingApp&) = delete;
  TrackingApp& operator=(const TrackingApp&) = delete;

  // The API's handler groups, for a server that routes requests itself. They live as long as the app.
  std::vector<std::reference_wrapper<http::RouteGroup>> route_groups();

  // Serves requests without a network: the app's routes behind the server's error answers, body limits and
  // serving-mode gates (no IP allowlist, no authentication: the caller is the process itself).
  const http::RequestDispatcher& dispatcher() const { return dispatcher_; }

  const BackendStores& stores() const { return stores_; }
  const ArtifactLister& artifacts() const { return artifacts_; }

 private:
  BackendStores stores_;
  ArtifactLister artifacts_;
  TrackingService tracking_service_;
  RegistryService registry_service_;
  LoggedModelService logged_model_service_;
  http::ServerHandlers server_handlers_;
  http::TrackingHandlers tracking_handlers_;
  http::RegistryHandlers registry_handlers_;
  http::ArtifactHandlers artifact_handlers_;
  http::LoggedModelHandlers logged_model_handlers_;
  http::Router router_;
  http::FilterChain filters_;
  http::RequestDispatcher dispatcher_;
};

}  // namespace mlflowcpp::server
