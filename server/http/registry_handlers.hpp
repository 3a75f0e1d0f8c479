#pragma once

// The model registry API over HTTP: one handler per endpoint of
// registered-models/* and model-versions/* that reads the request
// (RequestMessage), calls the RegistryService and writes the JSON the official
// 2.9.2 server sends (protocol/registry_json.hpp, the form the client reads
// too). Errors become {"error_code", "message"} with the code's status.

#include "protocol/json_codec.hpp"
#include "server/http/route_group.hpp"
#include "server/service/registry_service.hpp"

namespace mlflowcpp::server::http {

// Registers every registry endpoint under /api/2.0/mlflow/ and
// {static_prefix}/ajax-api/2.0/mlflow/ ({static_prefix}/model-versions/get-artifact
// streams files and lives with the artifact handlers).
class RegistryHandlers : public RouteGroup {
 public:
  // `service` must outlive the handlers.
  explicit RegistryHandlers(RegistryService& service) : service_(service) {}

  void register_routes(Router& router) override;

 private:
  RegistryService& service_;
};

}  // namespace mlflowcpp::server::http
