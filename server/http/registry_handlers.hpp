#pragma once

// The model registry API over HTTP: one handler per endpoint of
// registered-models/* and model-versions/* that reads the request
// (RequestMessage), calls the RegistryService and writes the JSON the official
// 2.9.2 server sends (protocol/registry_json.hpp, the form the client reads
// too). Errors become {"error_code", "message"} with the code's status.

#include <string>

#include "protocol/json_codec.hpp"
#include "server/http/router.hpp"
#include "server/service/registry_service.hpp"

namespace mlflowcpp::server::http {

struct RegistryRouteOptions {
  // Prepended to the ajax-api routes and to /model-versions/get-artifact.
  std::string static_prefix;
  // With it every registry route answers 503, as `mlflow server --artifacts-only`.
  bool artifacts_only = false;
};

// Registers every registry endpoint under /api/2.0/mlflow/ and
// {static_prefix}/ajax-api/2.0/mlflow/ ({static_prefix}/model-versions/get-artifact
// streams files and lives with the artifact handlers). `service` must outlive
// the router.
void add_registry_routes(Router& router, RegistryService& service, const RegistryRouteOptions& options = {});

}  // namespace mlflowcpp::server::http
