// MlflowClient's calls on MLflow 3's logged models (the logged-models endpoints
// and runs/outputs). Request bodies carry what the official client sends, no more.

#include <mlflowcpp/client.hpp>

#include "client/paging.hpp"
#include "client/rest_call.hpp"
#include "client/url.hpp"
#include "protocol/logged_model_json.hpp"

namespace mlflowcpp {

namespace {

using client::Json;

// "logged-models/<model_id>" plus `rest`: the id is one path segment, whatever it holds.
std::string model_endpoint(const std::string& model_id, const std::string& rest = {}) {
  if (model_id.empty()) throw invalid_parameter("A logged model id is required, got an empty one");
  return "logged-models/" + client::percent_encode(model_id) + rest;
}

template <typename Item>
Json key_values(const std::vector<Item>& items) {
  Json list = Json::array();
  for (const auto& item : items) list.push_back(Json{{"key", item.key}, {"value", item.value}});
  return list;
}

Json order_by_json(const LoggedModelOrderBy& order) {
  Json json{{"field_name", order.field_name}};
  if (order.ascending) json["ascending"] = *order.ascending;
  if (order.dataset_name) json["dataset_name"] = *order.dataset_name;
  if (order.dataset_digest) json["dataset_digest"] = *order.dataset_digest;
  return json;
}

Json dataset_filter_json(const LoggedModelDatasetFilter& dataset) {
  Json json{{"dataset_name", dataset.dataset_name}};
  if (dataset.dataset_digest) json["dataset_digest"] = *dataset.dataset_digest;
  return json;
}

}  // namespace

LoggedModel MlflowClient::create_logged_model(const CreateLoggedModelRequest& request) {
  Json body{{"experiment_id", request.experiment_id}};
  if (!request.name.empty()) body["name"] = request.name;
  if (!request.model_type.empty()) body["model_type"] = request.model_type;
  if (!request.source_run_id.empty()) body["source_run_id"] = request.source_run_id;
  if (!request.params.empty()) body["params"] = key_values(request.params);
  if (!request.tags.empty()) body["tags"] = key_values(request.tags);
  Json response = client::post(*connection_, "logged-models", body);
  return protocol::logged_model_from_json(client::object_at(response, "model"));
}

LoggedModel MlflowClient::get_logged_model(const std::string& model_id) {
  Json response = client::get(*connection_, model_endpoint(model_id), {});
  return protocol::logged_model_from_json(client::object_at(response, "model"));
}

Page<LoggedModel> MlflowClient::search_logged_models(const SearchLoggedModelsRequest& request) {
  Json body{{"experiment_ids", request.experiment_ids}};
  if (!request.filter.empty()) body["filter"] = request.filter;
  if (!request.datasets.empty()) {
    Json datasets = Json::array();
    for (const auto& dataset : request.datasets) datasets.push_back(dataset_filter_json(dataset));
    body["datasets"] = std::move(datasets);
  }
  if (request.max_results) body["max_results"] = *request.max_results;
  if (!request.order_by.empty()) {
    Json order_by = Json::array();
    for (const auto& order : request.order_by) order_by.push_back(order_by_json(order));
    body["order_by"] = std::move(order_by);
  }
  if (!request.page_token.empty()) body["page_token"] = request.page_token;
  Json response = client::post(*connection_, "logged-models/search", body);
  return protocol::logged_models_page_from_json(response);
}

std::vector<LoggedModel> MlflowClient::search_all_logged_models(SearchLoggedModelsRequest request) {
  return client::collect_all_pages<LoggedModel>(request.page_token, [&](const std::string& page_token) {
    request.page_token = page_token;
    return search_logged_models(request);
  });
}

LoggedModel MlflowClient::finalize_logged_model(const std::string& model_id, LoggedModelStatus status) {
  Json response = client::send_json(*connection_, "PATCH", model_endpoint(model_id),
                                    {{"model_id", model_id}, {"status", to_string(status)}});
  return protocol::logged_model_from_json(client::object_at(response, "model"));
}

void MlflowClient::set_logged_model_tags(const std::string& model_id, const std::vector<LoggedModelTag>& tags) {
  client::send_json(*connection_, "PATCH", model_endpoint(model_id, "/tags"), {{"tags", key_values(tags)}});
}

void MlflowClient::delete_logged_model_tag(const std::string& model_id, const std::string& key) {
  if (key.empty()) throw invalid_parameter("delete_logged_model_tag needs a tag key, got an empty one");
  client::send_json(*connection_, "DELETE", model_endpoint(model_id, "/tags/" + client::percent_encode(key)),
                    Json::object());
}

void MlflowClient::delete_logged_model(const std::string& model_id) {
  client::send_json(*connection_, "DELETE", model_endpoint(model_id), Json::object());
}

void MlflowClient::log_model_params(const std::string& model_id, const std::vector<LoggedModelParameter>& params) {
  client::post(*connection_, model_endpoint(model_id, "/params"),
               {{"model_id", model_id}, {"params", key_values(params)}});
}

}  // namespace mlflowcpp
