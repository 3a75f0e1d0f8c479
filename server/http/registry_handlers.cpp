#include "server/http/registry_handlers.hpp"

#include <functional>
#include <mlflowcpp/errors.hpp>
#include <utility>
#include <vector>

#include "protocol/registry_json.hpp"
#include "server/http/request_message.hpp"
#include "server/http/reply.hpp"
#include "server/http/request.hpp"
#include "server/http/router.hpp"

// After registry_json.hpp (kept in its own block so include sorting cannot
// move it up): put_list must see the registry overloads of to_json.
#include "protocol/json_lists.hpp"

namespace mlflowcpp::server::http {
namespace {

using protocol::Json;
using protocol::put_list;
using Endpoint = std::function<Json(RegistryService&, const RequestMessage&)>;
// The searches also read the request's read scope.
using SearchEndpoint = std::function<Json(RegistryService&, const Request&)>;

void put_token(Json& object, const std::string& token) {
  if (!token.empty()) object["next_page_token"] = token;
}

std::vector<RegisteredModelTag> registered_model_tags_of(const RequestMessage& message) {
  std::vector<RegisteredModelTag> tags;
  for (const auto& item : message.message_list("tags")) {
    tags.push_back({item.required_string("key"), item.string_or_empty("value")});
  }
  return tags;
}

std::vector<ModelVersionTag> model_version_tags_of(const RequestMessage& message) {
  std::vector<ModelVersionTag> tags;
  for (const auto& item : message.message_list("tags")) {
    tags.push_back({item.required_string("key"), item.string_or_empty("value")});
  }
  return tags;
}

SearchRegistryParams search_params_of(const RequestMessage& message, const ReadScope& read_scope) {
  SearchRegistryParams params;
  params.model_scope = read_scope.registered_models;
  params.filter = message.string_or_empty("filter");
  params.max_results = message.optional_int64("max_results");
  params.order_by = message.string_list("order_by");
  params.page_token = message.string_or_empty("page_token");
  return params;
}

// ---------------------------------------------------------------------------
// Registered models

Json create_registered_model(RegistryService& service, const RequestMessage& message) {
  const std::string name = message.required_string("name");
  const auto tags = registered_model_tags_of(message);
  const std::string description = message.string_or_empty("description");
  return Json{{"registered_model", protocol::to_json(service.create_registered_model(name, tags, description))}};
}

Json rename_registered_model(RegistryService& service, const RequestMessage& message) {
  const std::string name = message.required_string("name");
  const std::string new_name = message.required_string("new_name");
  return Json{{"registered_model", protocol::to_json(service.rename_registered_model(name, new_name))}};
}

Json update_registered_model(RegistryService& service, const RequestMessage& message) {
  const std::string name = message.required_string("name");
  // An absent description clears it, as the official server's proto default does.
  const std::string description = message.string_or_empty("description");
  return Json{{"registered_model", protocol::to_json(service.update_registered_model(name, description))}};
}

Json delete_registered_model(RegistryService& service, const RequestMessage& message) {
  service.delete_registered_model(message.required_string("name"));
  return Json::object();
}

Json get_registered_model(RegistryService& service, const RequestMessage& message) {
  return Json{{"registered_model", protocol::to_json(service.get_registered_model(message.required_string("name")))}};
}

Json search_registered_models(RegistryService& service, const Request& request) {
  const Page<RegisteredModel> page =
      service.search_registered_models(search_params_of(request.message(), request.read_scope()));
  Json body = Json::object();
  put_list(body, "registered_models", page.items);
  put_token(body, page.next_page_token);
  return body;
}

Json get_latest_versions(RegistryService& service, const RequestMessage& message) {
  const std::string name = message.required_string("name");
  const auto versions = service.get_latest_versions(name, message.string_list("stages"));
  Json body = Json::object();
  put_list(body, "model_versions", versions);
  return body;
}

Json set_registered_model_tag(RegistryService& service, const RequestMessage& message) {
  const std::string name = message.required_string("name");
  RegisteredModelTag tag{message.required_string("key"), message.string_or_empty("value")};
  service.set_registered_model_tag(name, tag);
  return Json::object();
}

Json delete_registered_model_tag(RegistryService& service, const RequestMessage& message) {
  const std::string name = message.required_string("name");
  service.delete_registered_model_tag(name, message.required_string("key"));
  return Json::object();
}

Json set_registered_model_alias(RegistryService& service, const RequestMessage& message) {
  const std::string name = message.required_string("name");
  const std::string alias = message.required_string("alias");
  const std::string version = message.required_string("version");
  service.set_registered_model_alias(name, alias, version);
  return Json::object();
}

Json delete_registered_model_alias(RegistryService& service, const RequestMessage& message) {
  const std::string name = message.required_string("name");
  service.delete_registered_model_alias(name, message.required_string("alias"));
  return Json::object();
}

Json get_model_version_by_alias(RegistryService& service, const RequestMessage& message) {
  const std::string name = message.required_string("name");
  const std::string alias = message.required_string("alias");
  return Json{{"model_version", protocol::to_json(service.get_model_version_by_alias(name, alias))}};
}

// ---------------------------------------------------------------------------
// Model versions

Json create_model_version(RegistryService& service, const RequestMessage& message) {
  CreateModelVersionParams params;
  params.name = message.required_string("name");
  params.source = message.required_string("source");
  params.run_id = message.string_or_empty("run_id");
  params.tags = model_version_tags_of(message);
  params.run_link = message.string_or_empty("run_link");
  params.description = message.string_or_empty("description");
  params.model_id = message.string_or_empty("model_id");
  return Json{{"model_version", protocol::to_json(service.create_model_version(params))}};
}

Json update_model_version(RegistryService& service, const RequestMessage& message) {
  const std::string name = message.required_string("name");
  const std::string version = message.required_string("version");
  // Absent (not empty) description is stored as NULL, as upstream does.
  const auto description = message.optional_string("description");
  return Json{{"model_version", protocol::to_json(service.update_model_version(name, version, description))}};
}

Json transition_model_version_stage(RegistryService& service, const RequestMessage& message) {
  const std::string name = message.required_string("name");
  const std::string version = message.required_string("version");
  const std::string stage = message.required_string("stage");
  const bool archive = message.optional_bool("archive_existing_versions").value_or(false);
  const ModelVersion moved = service.transition_model_version_stage(name, version, stage, archive);
  return Json{{"model_version", protocol::to_json(moved)}};
}

Json delete_model_version(RegistryService& service, const RequestMessage& message) {
  const std::string name = message.required_string("name");
  service.delete_model_version(name, message.required_string("version"));
  return Json::object();
}

Json get_model_version(RegistryService& service, const RequestMessage& message) {
  const std::string name = message.required_string("name");
  const std::string version = message.required_string("version");
  return Json{{"model_version", protocol::to_json(service.get_model_version(name, version))}};
}

Json search_model_versions(RegistryService& service, const Request& request) {
  const Page<ModelVersion> page =
      service.search_model_versions(search_params_of(request.message(), request.read_scope()));
  Json body = Json::object();
  put_list(body, "model_versions", page.items);
  put_token(body, page.next_page_token);
  return body;
}

Json get_model_version_download_uri(RegistryService& service, const RequestMessage& message) {
  // The official handler declares no required fields here; the service still
  // refuses an empty name or a non-integer version.
  const std::string name = message.string_or_empty("name");
  const std::string version = message.string_or_empty("version");
  return Json{{"artifact_uri", service.get_model_version_download_uri(name, version)}};
}

Json set_model_version_tag(RegistryService& service, const RequestMessage& message) {
  const std::string name = message.required_string("name");
  const std::string version = message.required_string("version");
  ModelVersionTag tag{message.required_string("key"), message.string_or_empty("value")};
  service.set_model_version_tag(name, version, tag);
  return Json::object();
}

Json delete_model_version_tag(RegistryService& service, const RequestMessage& message) {
  const std::string name = message.required_string("name");
  const std::string version = message.required_string("version");
  service.delete_model_version_tag(name, version, message.required_string("key"));
  return Json::object();
}

Handler wrap(RegistryService& service, Endpoint endpoint) {
  return [&service, endpoint = std::move(endpoint)](Request& request, Reply& reply) {
    reply.json(200, endpoint(service, request.message()));
  };
}

Handler wrap(RegistryService& service, SearchEndpoint endpoint) {
  return [&service, endpoint = std::move(endpoint)](Request& request, Reply& reply) {
    reply.json(200, endpoint(service, request));
  };
}

}  // namespace

void RegistryHandlers::register_routes(Router& router) {
  const std::string api = "/api/2.0/mlflow/";
  const std::string ajax = router.static_prefix() + "/ajax-api/2.0/mlflow/";
  // `endpoint`: an Endpoint or a SearchEndpoint.
  const auto both = [&](const std::vector<std::string>& methods, const std::string& path, auto endpoint) {
    Route route;
    route.methods = methods;
    route.family = ApiFamily::kRegistry;
    route.handler = wrap(service_, std::move(endpoint));
    route.pattern = api + path;
    router.add(route);
    route.pattern = ajax + path;
    router.add(std::move(route));
  };
  const std::vector<std::string> get{"GET"};
  const std::vector<std::string> post{"POST"};
  const std::vector<std::string> patch{"PATCH"};
  const std::vector<std::string> del{"DELETE"};
  const std::vector<std::string> get_post{"GET", "POST"};

  both(post, "registered-models/create", create_registered_model);
  both(post, "registered-models/rename", rename_registered_model);
  both(patch, "registered-models/update", update_registered_model);
  both(del, "registered-models/delete", delete_registered_model);
  both(get, "registered-models/get", get_registered_model);
  both(get, "registered-models/search", search_registered_models);
  both(get_post, "registered-models/get-latest-versions", get_latest_versions);
  both(post, "registered-models/set-tag", set_registered_model_tag);
  both(del, "registered-models/delete-tag", delete_registered_model_tag);
  // One path, three methods: set, delete and read an alias.
  both(post, "registered-models/alias", set_registered_model_alias);
  both(del, "registered-models/alias", delete_registered_model_alias);
  both(get, "registered-models/alias", get_model_version_by_alias);

  both(post, "model-versions/create", create_model_version);
  both(patch, "model-versions/update", update_model_version);
  both(post, "model-versions/transition-stage", transition_model_version_stage);
  both(del, "model-versions/delete", delete_model_version);
  both(get, "model-versions/get", get_model_version);
  both(get, "model-versions/search", search_model_versions);
  both(get, "model-versions/get-download-uri", get_model_version_download_uri);
  both(post, "model-versions/set-tag", set_model_version_tag);
  both(del, "model-versions/delete-tag", delete_model_version_tag);

  // {static_prefix}/model-versions/get-artifact streams files: ArtifactHandlers registers it.
}

}  // namespace mlflowcpp::server::http
