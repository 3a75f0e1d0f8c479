#include "server/http/logged_model_handlers.hpp"

#include "protocol/json_lists.hpp"
#include "protocol/logged_model_json.hpp"
#include "server/artifacts/artifact_path.hpp"
#include "server/http/artifact_handlers.hpp"
#include "server/http/logged_model_path.hpp"
#include "server/http/reply.hpp"
#include "server/http/request.hpp"
#include "server/http/router.hpp"
#include "server/search/page_size.hpp"

#include <fmt/format.h>

#include <limits>
#include <optional>
#include <vector>

namespace mlflowcpp::server::http {
namespace {

using protocol::Json;

// A list of {key, value} messages (tags, params); the service checks the keys.
// Finalize and log-params carry the model id in the body too, and MLflow
// requires it there. MLflow then acts on one of the two ids without comparing
// them; a body naming another model than the path is refused instead.
void require_body_model_id(const RequestMessage& message, const std::string& path_model_id) {
  const std::string body_model_id = message.required_string("model_id");
  if (body_model_id != path_model_id) {
    throw invalid_parameter(fmt::format("The request body's model_id '{}' differs from the model ID '{}' in the path.",
                                        body_model_id, path_model_id));
  }
}

int64_t max_results_of(const RequestMessage& message) {
  // The service checks the size against the same limits.
  return message.optional_int64("max_results")
      .value_or(search::page_size_limits(search::SearchedEntity::kLoggedModels).default_size);
}

}  // namespace

MlflowException logged_models_need_mlflow3_schema() {
  return store::mlflow3_schema_required("Logged models");
}

LoggedModelHandlers::LoggedModelHandlers(LoggedModelService& service, const ArtifactLister& artifacts,
                                         store::SchemaGeneration schema)
    : service_(service), artifacts_(artifacts), schema_(schema) {}

void LoggedModelHandlers::register_routes(Router& router) {
  const std::pair<std::string, bool> bases[] = {{"/api/2.0/mlflow/logged-models", false},
                                                {router.static_prefix() + "/ajax-api/2.0/mlflow/logged-models", true}};
  for (const auto& [base, ui_prefix] : bases) {
    Route create_route;
    create_route.methods = {"POST"};
    create_route.pattern = base;
    create_route.family = ApiFamily::kTracking;
    create_route.handler = [this](Request& request, Reply& reply) { create(request, reply); };
    router.add(std::move(create_route));

    // One prefix route for every path with an id (and search); the handler sorts them out.
    Route model_route;
    model_route.methods = {"GET", "POST", "PATCH", "DELETE"};
    model_route.pattern = base + "/";
    model_route.match = PathMatch::kPrefix;
    model_route.family = ApiFamily::kTracking;
    model_route.handler = [this, ui = ui_prefix](Request& request, Reply& reply) {
      serve_model_path(ui, request, reply);
    };
    router.add(std::move(model_route));
  }
}

void LoggedModelHandlers::require_mlflow3_schema() const {
  if (schema_ != store::SchemaGeneration::kMlflow3) throw logged_models_need_mlflow3_schema();
}

void LoggedModelHandlers::create(Request& request, Reply& reply) {
  require_mlflow3_schema();
  const RequestMessage& message = request.message();
  CreateLoggedModelRequest create;
  create.experiment_id = message.string_or_empty("experiment_id");
  create.name = message.string_or_empty("name");
  // MLflow's handler passes absent strings on as "" and stores them so: a model created over REST
  // without them answers "model_type": "" and "source_run_id": "".
  create.model_type = message.string_or_empty("model_type");
  create.source_run_id = message.string_or_empty("source_run_id");
  create.params = message.key_value_list<LoggedModelParameter>("params", RequestMessage::KeyPresence::kOptional);
  create.tags = message.key_value_list<LoggedModelTag>("tags", RequestMessage::KeyPresence::kOptional);
  reply.json(200, protocol::logged_model_response(service_.create_logged_model(create)));
}

void LoggedModelHandlers::serve_model_path(bool ui_prefix, Request& request, Reply& reply) {
  const LoggedModelPath path = parse_logged_model_path(request.method(), request.route_remainder(), ui_prefix);
  switch (path.outcome) {
    case LoggedModelPath::Outcome::kNotFound:
      // The dispatcher's answer for a path no route has.
      reply.error(404, "ENDPOINT_NOT_FOUND", "The requested URL was not found on the server: " + request.path());
      return;
    case LoggedModelPath::Outcome::kMethodNotAllowed:
      reply.set_header("Allow", path.allow);
      reply.error(405, "BAD_REQUEST",
                  "The method " + request.method() + " is not allowed for the requested URL " + request.path() + ".");
      return;
    case LoggedModelPath::Outcome::kCall:
      require_mlflow3_schema();
      call(path, request, reply);
      return;
  }
}

void LoggedModelHandlers::call(const LoggedModelPath& path, Request& request, Reply& reply) {
  const std::string& model_id = path.model_id;
  switch (path.call) {
    case LoggedModelCall::kSearch:
      reply.json(200, search(request.message(), request.read_scope()));
      return;
    case LoggedModelCall::kGet:
      reply.json(200, protocol::logged_model_response(service_.get_logged_model(model_id)));
      return;
    case LoggedModelCall::kDelete:
      service_.delete_logged_model(model_id);
      reply.json(200, Json::object());
      return;
    case LoggedModelCall::kFinalize:
      reply.json(200, finalize(model_id, request.message()));
      return;
    case LoggedModelCall::kSetTags:
      service_.set_logged_model_tags(
          model_id, request.message().key_value_list<LoggedModelTag>("tags", RequestMessage::KeyPresence::kOptional));
      reply.json(200, Json::object());
      return;
    case LoggedModelCall::kDeleteTag:
      service_.delete_logged_model_tag(model_id, path.tag_key);
      reply.json(200, Json::object());
      return;
    case LoggedModelCall::kLogParams: {
      const RequestMessage& message = request.message();
      require_body_model_id(message, model_id);
      service_.log_logged_model_params(
          model_id, message.key_value_list<LoggedModelParameter>("params", RequestMessage::KeyPresence::kOptional));
      reply.json(200, Json::object());
      return;
    }
    case LoggedModelCall::kListArtifacts:
      reply.json(200, list_artifacts(model_id, request));
      return;
    case LoggedModelCall::kDownloadArtifact:
      download_artifact(model_id, request, reply);
      return;
  }
}

Json LoggedModelHandlers::search(const RequestMessage& message, const ReadScope& read_scope) {
  SearchLoggedModelsRequest search;
  search.experiment_ids = message.string_list("experiment_ids");
  search.experiment_scope = read_scope.experiments;
  search.filter = message.string_or_empty("filter");
  for (const auto& dataset : message.message_list("datasets")) {
    std::optional<std::string> digest = dataset.optional_string("dataset_digest");
    if (digest && digest->empty()) digest.reset();
    search.datasets.push_back({dataset.string_or_empty("dataset_name"), std::move(digest)});
  }
  search.max_results = max_results_of(message);
  for (const auto& term : message.message_list("order_by")) {
    search::LoggedModelOrderBy order;
    order.field_name = term.string_or_empty("field_name");
    order.ascending = term.optional_bool("ascending").value_or(true);
    // Empty strings are "not given", as the official handler reads them.
    order.dataset_name = term.optional_string("dataset_name");
    if (order.dataset_name && order.dataset_name->empty()) order.dataset_name.reset();
    order.dataset_digest = term.optional_string("dataset_digest");
    if (order.dataset_digest && order.dataset_digest->empty()) order.dataset_digest.reset();
    search.order_by.push_back(std::move(order));
  }
  search.page_token = message.string_or_empty("page_token");
  return protocol::logged_models_page_response(service_.search_logged_models(std::move(search)));
}

Json LoggedModelHandlers::finalize(const std::string& model_id, const RequestMessage& message) {
  require_body_model_id(message, model_id);
  const std::string status = message.enum_text("status").value_or("");
  return protocol::logged_model_response(service_.finalize_logged_model(model_id, status));
}

Json LoggedModelHandlers::list_artifacts(const std::string& model_id, const Request& request) {
  // The proto's field is artifact_directory_path (what MLflow's UI sends); `path`, the name runs'
  // artifacts/list uses, is taken too.
  const RequestMessage message = RequestMessage::from_query(request.query());
  std::optional<std::string> directory = message.optional_string("artifact_directory_path");
  if (!directory) directory = message.optional_string("path");
  const std::string relative = directory ? normalize_artifact_path(*directory) : std::string();
  const LoggedModel model = service_.get_logged_model(model_id);
  Json body = Json::object();
  body["root_uri"] = model.info.artifact_uri;
  protocol::put_list(body, "files", artifacts_.list(model.info.artifact_uri, relative));
  return body;
}

void LoggedModelHandlers::download_artifact(const std::string& model_id, const Request& request, Reply& reply) {
  const std::string file_path = request.query_value("artifact_file_path");
  if (file_path.empty()) {
    throw MlflowException(ErrorCode::kBadRequest, "Request must include the \"artifact_file_path\" query parameter.");
  }
  const std::string relative = normalize_artifact_path(file_path);
  if (relative.empty()) throw invalid_parameter("Invalid path");
  const LoggedModel model = service_.get_logged_model(model_id);
  const ArtifactLocation location = artifacts_.locator().resolve(model.info.artifact_uri, relative);
  send_artifact_file(*location.store, location.relative, reply);
}

}  // namespace mlflowcpp::server::http
