// MlflowClient's model registry calls (spec §1.11, §1.12).

#include <mlflowcpp/client.hpp>

#include "client/model_uri.hpp"
#include "client/paging.hpp"
#include "client/rest_call.hpp"
#include "protocol/registry_json.hpp"
// After the to_json declarations it serves (see the header).
#include "protocol/json_lists.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace mlflowcpp {

using client::Json;
using client::list_from;
using client::next_page_token;
using client::object_at;
using protocol::list_to_json;

namespace {

// The query of the two registry searches (GET endpoints); order_by repeats.
client::QueryParameters search_query(const std::string& filter, const std::vector<std::string>& order_by,
                                     int64_t max_results, const std::string& page_token) {
  // Always send max_results: the server's default differs between endpoints and versions.
  client::QueryParameters query{{"max_results", std::to_string(max_results)}};
  if (!filter.empty()) query.emplace_back("filter", filter);
  for (const auto& order : order_by) query.emplace_back("order_by", order);
  if (!page_token.empty()) query.emplace_back("page_token", page_token);
  return query;
}

// A page size of 0 is answered with a page token and no items, forever: walking
// such pages would never end.
void require_positive_page_size(int64_t max_results) {
  if (max_results <= 0) {
    throw invalid_parameter("max_results must be positive to walk every page, got " + std::to_string(max_results));
  }
}


}  // namespace

// --- Registered models ---------------------------------------------------------

RegisteredModel MlflowClient::create_registered_model(const std::string& name,
                                                      const std::vector<RegisteredModelTag>& tags,
                                                      const std::string& description) {
  Json body{{"name", name}};
  if (!tags.empty()) body["tags"] = list_to_json(tags);
  if (!description.empty()) body["description"] = description;
  Json response = client::post(*connection_, "registered-models/create", body);
  return protocol::registered_model_from_json(object_at(response, "registered_model"));
}

RegisteredModel MlflowClient::get_registered_model(const std::string& name) {
  Json response = client::get(*connection_, "registered-models/get", {{"name", name}});
  return protocol::registered_model_from_json(object_at(response, "registered_model"));
}

RegisteredModel MlflowClient::rename_registered_model(const std::string& name, const std::string& new_name) {
  Json response = client::post(*connection_, "registered-models/rename", {{"name", name}, {"new_name", new_name}});
  return protocol::registered_model_from_json(object_at(response, "registered_model"));
}

RegisteredModel MlflowClient::update_registered_model(const std::string& name, const std::string& description) {
  Json response = client::send_json(*connection_, "PATCH", "registered-models/update",
                                    {{"name", name}, {"description", description}});
  return protocol::registered_model_from_json(object_at(response, "registered_model"));
}

void MlflowClient::delete_registered_model(const std::string& name) {
  client::send_json(*connection_, "DELETE", "registered-models/delete", {{"name", name}});
}

Page<RegisteredModel> MlflowClient::search_registered_models(const SearchRegisteredModelsRequest& request) {
  Json response = client::get(*connection_, "registered-models/search",
                              search_query(request.filter, request.order_by, request.max_results, request.page_token));
  return {list_from<RegisteredModel>(response, "registered_models", protocol::registered_model_from_json),
          next_page_token(response)};
}

std::vector<RegisteredModel> MlflowClient::search_all_registered_models(SearchRegisteredModelsRequest request) {
  require_positive_page_size(request.max_results);
  return client::collect_all_pages<RegisteredModel>(request.page_token, [&](const std::string& page_token) {
    request.page_token = page_token;
    return search_registered_models(request);
  });
}

std::vector<ModelVersion> MlflowClient::get_latest_versions(const std::string& name,
                                                            const std::vector<std::string>& stages) {
  // POST, as the official client sends it: the stages list travels as JSON.
  Json body{{"name", name}};
  if (!stages.empty()) body["stages"] = stages;
  Json response = client::post(*connection_, "registered-models/get-latest-versions", body);
  return list_from<ModelVersion>(response, "model_versions", protocol::model_version_from_json);
}

void MlflowClient::set_registered_model_tag(const std::string& name, const std::string& key,
                                            const std::string& value) {
  client::post(*connection_, "registered-models/set-tag", {{"name", name}, {"key", key}, {"value", value}});
}

void MlflowClient::delete_registered_model_tag(const std::string& name, const std::string& key) {
  client::send_json(*connection_, "DELETE", "registered-models/delete-tag", {{"name", name}, {"key", key}});
}

void MlflowClient::set_registered_model_alias(const std::string& name, const std::string& alias,
                                              const std::string& version) {
  client::post(*connection_, "registered-models/alias", {{"name", name}, {"alias", alias}, {"version", version}});
}

void MlflowClient::delete_registered_model_alias(const std::string& name, const std::string& alias) {
  client::send_json(*connection_, "DELETE", "registered-models/alias", {{"name", name}, {"alias", alias}});
}

ModelVersion MlflowClient::get_model_version_by_alias(const std::string& name, const std::string& alias) {
  Json response = client::get(*connection_, "registered-models/alias", {{"name", name}, {"alias", alias}});
  return protocol::model_version_from_json(object_at(response, "model_version"));
}

// --- Model versions ------------------------------------------------------------

ModelVersion MlflowClient::create_model_version(const CreateModelVersionRequest& request) {
  Json body{{"name", request.name}, {"source", request.source}};
  if (!request.run_id.empty()) body["run_id"] = request.run_id;
  if (!request.tags.empty()) body["tags"] = list_to_json(request.tags);
  if (!request.run_link.empty()) body["run_link"] = request.run_link;
  if (!request.description.empty()) body["description"] = request.description;
  if (!request.model_id.empty()) body["model_id"] = request.model_id;
  Json response = client::post(*connection_, "model-versions/create", body);
  return protocol::model_version_from_json(object_at(response, "model_version"));
}

ModelVersion MlflowClient::get_model_version(const std::string& name, const std::string& version) {
  Json response = client::get(*connection_, "model-versions/get", {{"name", name}, {"version", version}});
  return protocol::model_version_from_json(object_at(response, "model_version"));
}

ModelVersion MlflowClient::update_model_version(const std::string& name, const std::string& version,
                                                const std::optional<std::string>& description) {
  Json body{{"name", name}, {"version", version}};
  if (description) body["description"] = *description;
  Json response = client::send_json(*connection_, "PATCH", "model-versions/update", body);
  return protocol::model_version_from_json(object_at(response, "model_version"));
}

ModelVersion MlflowClient::transition_model_version_stage(const std::string& name, const std::string& version,
                                                          const std::string& stage, bool archive_existing_versions) {
  Json response = client::post(*connection_, "model-versions/transition-stage",
                               {{"name", name},
                                {"version", version},
                                {"stage", stage},
                                {"archive_existing_versions", archive_existing_versions}});
  return protocol::model_version_from_json(object_at(response, "model_version"));
}

void MlflowClient::delete_model_version(const std::string& name, const std::string& version) {
  client::send_json(*connection_, "DELETE", "model-versions/delete", {{"name", name}, {"version", version}});
}

Page<ModelVersion> MlflowClient::search_model_versions(const SearchModelVersionsRequest& request) {
  Json response = client::get(*connection_, "model-versions/search",
                              search_query(request.filter, request.order_by, request.max_results, request.page_token));
  return {list_from<ModelVersion>(response, "model_versions", protocol::model_version_from_json),
          next_page_token(response)};
}

std::vector<ModelVersion> MlflowClient::search_all_model_versions(SearchModelVersionsRequest request) {
  require_positive_page_size(request.max_results);
  return client::collect_all_pages<ModelVersion>(request.page_token, [&](const std::string& page_token) {
    request.page_token = page_token;
    return search_model_versions(request);
  });
}

std::string MlflowClient::get_model_version_download_uri(const std::string& name, const std::string& version) {
  Json response = client::get(*connection_, "model-versions/get-download-uri", {{"name", name}, {"version", version}});
  auto uri = response.find("artifact_uri");
  return uri != response.end() && uri->is_string() ? uri->get<std::string>() : std::string();
}

void MlflowClient::set_model_version_tag(const std::string& name, const std::string& version,
                                         const std::string& key, const std::string& value) {
  client::post(*connection_, "model-versions/set-tag",
               {{"name", name}, {"version", version}, {"key", key}, {"value", value}});
}

void MlflowClient::delete_model_version_tag(const std::string& name, const std::string& version,
                                            const std::string& key) {
  client::send_json(*connection_, "DELETE", "model-versions/delete-tag",
                    {{"name", name}, {"version", version}, {"key", key}});
}

// --- models:/ URIs ----------------------------------------------------------------

std::string MlflowClient::resolve_model_uri(const std::string& uri) {
  const client::ModelUri model = client::parse_model_uri(uri);
  std::string version;
  switch (model.kind) {
    case client::ModelUri::Kind::kModelId:
      return get_logged_model(model.reference).info.artifact_uri;
    case client::ModelUri::Kind::kVersion:
      version = model.reference;
      break;
    case client::ModelUri::Kind::kAlias:
      version = get_model_version_by_alias(model.name, model.reference).version;
      break;
    case client::ModelUri::Kind::kLatest:
    case client::ModelUri::Kind::kStage: {
      // The highest version number among the latest of each stage (of the one stage asked for).
      std::vector<std::string> stages;
      if (model.kind == client::ModelUri::Kind::kStage) stages.push_back(model.reference);
      int64_t highest = -1;
      for (const auto& candidate : get_latest_versions(model.name, stages)) {
        try {
          highest = std::max<int64_t>(highest, std::stoll(candidate.version));
        } catch (const std::logic_error&) {
          throw MlflowException(ErrorCode::kInternalError,
                                "The server answered a model version that is not a number: '" + candidate.version + "'");
        }
      }
      if (highest < 0) {
        std::string where = model.kind == client::ModelUri::Kind::kStage ? " and stage '" + model.reference + "'" : "";
        throw MlflowException(ErrorCode::kResourceDoesNotExist,
                              "No versions of model with name '" + model.name + "'" + where + " found");
      }
      version = std::to_string(highest);
      break;
    }
  }
  return get_model_version_download_uri(model.name, version);
}

}  // namespace mlflowcpp
