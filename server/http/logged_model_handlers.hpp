#pragma once

// MLflow 3's logged models over HTTP, under /api/2.0/mlflow/ and
// {static_prefix}/ajax-api/2.0/mlflow/: create (POST logged-models), get,
// delete and finalize (GET, DELETE, PATCH logged-models/{model_id}), search,
// tags, params, the artifact listing (GET .../{model_id}/artifacts/directories)
// and, for the UI, one artifact's bytes
// ({static_prefix}/ajax-api/2.0/mlflow/logged-models/{model_id}/artifacts/files?artifact_file_path=).
// Paths with an id are taken apart by parse_logged_model_path (logged_model_path.hpp).
//
// A database at MLflow 2.9's schema has no logged-model tables: every
// logged-model call then answers store::mlflow3_schema_required (400 with the
// upgrade hint). MLflow itself never meets that case.

#include "server/artifacts/artifact_lister.hpp"
#include "server/http/read_scope.hpp"
#include "server/http/request_message.hpp"
#include "server/http/route_group.hpp"
#include "server/service/logged_model_service.hpp"
#include "server/store/schema_generation.hpp"

#include <mlflowcpp/errors.hpp>

#include <string>

namespace mlflowcpp::server::http {

class Request;
class Reply;
struct LoggedModelPath;

// The answer to a logged-model call on a database at MLflow 2.9's schema.
MlflowException logged_models_need_mlflow3_schema();

class LoggedModelHandlers : public RouteGroup {
 public:
  // `service` and `artifacts` must outlive the handlers; `schema` is the backend database's.
  LoggedModelHandlers(LoggedModelService& service, const ArtifactLister& artifacts, store::SchemaGeneration schema);

  // Routes of ApiFamily::kTracking (off with --artifacts-only, as in MLflow).
  void register_routes(Router& router) override;

 private:
  void create(Request& request, Reply& reply);
  // Everything below logged-models/: `ui_prefix` for the ajax-api copy.
  void serve_model_path(bool ui_prefix, Request& request, Reply& reply);
  void call(const LoggedModelPath& path, Request& request, Reply& reply);
  void require_mlflow3_schema() const;

  protocol::Json search(const RequestMessage& message, const ReadScope& read_scope);
  protocol::Json finalize(const std::string& model_id, const RequestMessage& message);
  protocol::Json list_artifacts(const std::string& model_id, const Request& request);
  void download_artifact(const std::string& model_id, const Request& request, Reply& reply);

  LoggedModelService& service_;
  const ArtifactLister& artifacts_;
  store::SchemaGeneration schema_;
};

}  // namespace mlflowcpp::server::http
