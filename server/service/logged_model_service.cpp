#include "server/service/logged_model_service.hpp"

#include "server/search/page_size.hpp"
#include "server/service/validation.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <set>
#include <string_view>

namespace mlflowcpp::server {
namespace {

constexpr std::string_view kApiDocsHint = "See the API docs for more information about request parameters.";

[[noreturn]] void missing(std::string_view field) {
  throw invalid_parameter(fmt::format("Missing value for required parameter '{}'. {}", field, kApiDocsHint));
}

void require_model_id(const std::string& model_id) {
  if (model_id.empty()) missing("model_id");
}

// MLflow keeps these characters out of model names: they would break
// `models:/<name>/...` URIs and artifact paths.
void validate_name(const std::string& name) {
  constexpr std::string_view kBadCharacters = "/:.%\"'";
  if (name.find_first_of(kBadCharacters) != std::string::npos) {
    throw invalid_parameter(fmt::format(
        "Invalid model name ('{}') provided. Model name must be a non-empty string and cannot contain the "
        "following characters: ('/', ':', '.', '%', '\"', \"'\")",
        name));
  }
  validation::check_length("Model name", name, LoggedModelService::kMaxNameLength);
}

void validate_key(std::string_view what, const std::string& key) {
  if (key.empty()) throw invalid_parameter(fmt::format("{} key must be a non-empty string.", what));
  validation::check_length(fmt::format("{} key", what), key, LoggedModelService::kMaxKeyLength);
}

void validate_params(const std::vector<LoggedModelParameter>& params) {
  std::set<std::string> keys;
  for (const LoggedModelParameter& param : params) {
    validate_key("Param", param.key);
    validation::check_length("Param value", param.value, LoggedModelService::kMaxParamValueLength);
    if (!keys.insert(param.key).second) {
      throw invalid_parameter(fmt::format("Duplicate parameter key '{}' in one request.", param.key));
    }
  }
}

void validate_tags(const std::vector<LoggedModelTag>& tags) {
  for (const LoggedModelTag& tag : tags) {
    validate_key("Tag", tag.key);
    validation::check_length("Tag value", tag.value, LoggedModelService::kMaxTagValueLength);
  }
}

void validate_order_by(const std::vector<search::LoggedModelOrderBy>& order_by) {
  for (const search::LoggedModelOrderBy& term : order_by) {
    if (term.field_name.empty()) missing("order_by.field_name");
  }
}

void validate_datasets(const std::vector<search::LoggedModelDataset>& datasets) {
  for (const search::LoggedModelDataset& dataset : datasets) {
    if (dataset.dataset_name.empty()) {
      throw invalid_parameter("`dataset_name` in the `datasets` clause must be specified.");
    }
    validation::check_length("Dataset name", dataset.dataset_name, LoggedModelService::kMaxDatasetNameLength);
    if (dataset.dataset_digest) {
      validation::check_length("Dataset digest", *dataset.dataset_digest, LoggedModelService::kMaxDatasetDigestLength);
    }
  }
}

}  // namespace

LoggedModelService::LoggedModelService(LoggedModelStore& store) : store_(store) {}

LoggedModel LoggedModelService::create_logged_model(const CreateLoggedModelRequest& request) {
  if (request.experiment_id.empty()) missing("experiment_id");
  if (!request.name.empty()) validate_name(request.name);
  if (request.model_type) validation::check_length("Model type", *request.model_type, kMaxModelTypeLength);
  if (request.source_run_id) validation::check_length("Source run ID", *request.source_run_id, kMaxSourceRunIdLength);
  validate_params(request.params);
  validate_tags(request.tags);
  return store_.create_logged_model(request);
}

LoggedModel LoggedModelService::get_logged_model(const std::string& model_id) {
  require_model_id(model_id);
  return store_.get_logged_model(model_id);
}

void LoggedModelService::delete_logged_model(const std::string& model_id) {
  require_model_id(model_id);
  store_.delete_logged_model(model_id);
}

LoggedModel LoggedModelService::finalize_logged_model(const std::string& model_id, const std::string& status) {
  require_model_id(model_id);
  if (status.empty()) missing("status");
  const std::optional<LoggedModelStatus> parsed = parse_logged_model_status(status);
  if (!parsed || (*parsed != LoggedModelStatus::kReady && *parsed != LoggedModelStatus::kUploadFailed)) {
    throw invalid_parameter(fmt::format(
        "Invalid value {} for parameter 'status' supplied. A logged model can only be finalized as "
        "LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED.",
        status));
  }
  return store_.finalize_logged_model(model_id, *parsed);
}

void LoggedModelService::set_logged_model_tags(const std::string& model_id, const std::vector<LoggedModelTag>& tags) {
  require_model_id(model_id);
  validate_tags(tags);
  store_.set_logged_model_tags(model_id, tags);
}

void LoggedModelService::delete_logged_model_tag(const std::string& model_id, const std::string& key) {
  require_model_id(model_id);
  store_.delete_logged_model_tag(model_id, key);
}

void LoggedModelService::log_logged_model_params(const std::string& model_id,
                                                 const std::vector<LoggedModelParameter>& params) {
  require_model_id(model_id);
  validate_params(params);
  if (params.empty()) return;
  store_.log_logged_model_params(model_id, params);
}

Page<LoggedModel> LoggedModelService::search_logged_models(SearchLoggedModelsRequest request) {
  if (request.experiment_ids.empty()) missing("experiment_ids");
  search::validate_page_size(search::SearchedEntity::kLoggedModels, request.max_results);
  if (request.max_results == 0) request.max_results = search::kLoggedModelStoreDefaultPageSize;
  validate_order_by(request.order_by);
  validate_datasets(request.datasets);
  return store_.search_logged_models(request);
}

}  // namespace mlflowcpp::server
