#include "protocol/logged_model_json.hpp"

#include "protocol/json_fields.hpp"
#include "protocol/json_lists.hpp"

#include <mlflowcpp/errors.hpp>

namespace mlflowcpp::protocol {
namespace {

using fields::list_field;
using fields::optional_string_field;
using fields::present;
using fields::require_object;
using fields::string_field;

template <typename T>
void put_optional(Json& object, const char* name, const std::optional<T>& value) {
  if (value) object[name] = *value;
}

LoggedModelStatus status_field(const Json& object, const char* name) {
  const Json* status = present(object, name);
  if (status == nullptr) return LoggedModelStatus::kUnspecified;
  const std::string text = status->is_number_integer() ? std::to_string(status->get<int64_t>())
                           : status->is_string()       ? status->get<std::string>()
                                                       : std::string();
  const std::optional<LoggedModelStatus> parsed = parse_logged_model_status(text);
  if (!parsed) throw MlflowException(ErrorCode::kInternalError, "Unexpected value for field 'status': " + status->dump());
  return *parsed;
}

}  // namespace

Json to_json(const LoggedModelTag& tag) { return Json{{"key", tag.key}, {"value", tag.value}}; }

Json to_json(const LoggedModelParameter& param) { return Json{{"key", param.key}, {"value", param.value}}; }

Json to_json(const LoggedModelMetric& metric) {
  Json json{{"key", metric.key},
            {"value", double_to_json(metric.value)},
            {"timestamp", metric.timestamp},
            {"step", metric.step}};
  put_optional(json, "dataset_name", metric.dataset_name);
  put_optional(json, "dataset_digest", metric.dataset_digest);
  if (!metric.model_id.empty()) json["model_id"] = metric.model_id;
  if (!metric.run_id.empty()) json["run_id"] = metric.run_id;
  return json;
}

Json to_json(const LoggedModelInfo& info) {
  Json json{{"model_id", info.model_id},
            {"experiment_id", info.experiment_id},
            {"name", info.name},
            {"creation_timestamp_ms", info.creation_timestamp_ms},
            {"last_updated_timestamp_ms", info.last_updated_timestamp_ms},
            {"artifact_uri", info.artifact_uri},
            {"status", std::string(to_string(info.status))}};
  put_optional(json, "model_type", info.model_type);
  put_optional(json, "source_run_id", info.source_run_id);
  put_list(json, "tags", info.tags);
  return json;
}

Json to_json(const LoggedModelData& data) {
  Json json = Json::object();
  put_list(json, "params", data.params);
  put_list(json, "metrics", data.metrics);
  return json;
}

Json to_json(const LoggedModel& model) { return Json{{"info", to_json(model.info)}, {"data", to_json(model.data)}}; }

Json logged_model_response(const LoggedModel& model) { return Json{{"model", to_json(model)}}; }

Json logged_models_page_response(const Page<LoggedModel>& page) {
  Json json = Json::object();
  put_list(json, "models", page.items);
  if (!page.next_page_token.empty()) json["next_page_token"] = page.next_page_token;
  return json;
}

LoggedModelTag logged_model_tag_from_json(const Json& json) {
  require_object(json, "tags");
  return {string_field(json, "key"), string_field(json, "value")};
}

LoggedModelParameter logged_model_parameter_from_json(const Json& json) {
  require_object(json, "params");
  return {string_field(json, "key"), string_field(json, "value")};
}

LoggedModelMetric logged_model_metric_from_json(const Json& json) {
  require_object(json, "metrics");
  LoggedModelMetric metric;
  metric.key = string_field(json, "key");
  metric.value = fields::double_field(json, "value");
  metric.timestamp = fields::int64_field(json, "timestamp");
  metric.step = fields::int64_field(json, "step");
  metric.dataset_name = optional_string_field(json, "dataset_name");
  metric.dataset_digest = optional_string_field(json, "dataset_digest");
  metric.model_id = string_field(json, "model_id");
  metric.run_id = string_field(json, "run_id");
  return metric;
}

LoggedModelInfo logged_model_info_from_json(const Json& json) {
  require_object(json, "info");
  LoggedModelInfo info;
  info.model_id = string_field(json, "model_id");
  info.experiment_id = string_field(json, "experiment_id");
  info.name = string_field(json, "name");
  info.creation_timestamp_ms = fields::int64_field(json, "creation_timestamp_ms");
  info.last_updated_timestamp_ms = fields::int64_field(json, "last_updated_timestamp_ms");
  info.artifact_uri = string_field(json, "artifact_uri");
  info.status = status_field(json, "status");
  info.status_message = optional_string_field(json, "status_message");
  info.model_type = optional_string_field(json, "model_type");
  info.source_run_id = optional_string_field(json, "source_run_id");
  info.tags = list_field<LoggedModelTag>(json, "tags", logged_model_tag_from_json);
  return info;
}

LoggedModelData logged_model_data_from_json(const Json& json) {
  require_object(json, "data");
  LoggedModelData data;
  data.params = list_field<LoggedModelParameter>(json, "params", logged_model_parameter_from_json);
  data.metrics = list_field<LoggedModelMetric>(json, "metrics", logged_model_metric_from_json);
  return data;
}

LoggedModel logged_model_from_json(const Json& json) {
  require_object(json, "model");
  return {logged_model_info_from_json(fields::object_field(json, "info")),
          logged_model_data_from_json(fields::object_field(json, "data"))};
}

Page<LoggedModel> logged_models_page_from_json(const Json& json) {
  require_object(json, "response");
  Page<LoggedModel> page;
  page.items = list_field<LoggedModel>(json, "models", logged_model_from_json);
  page.next_page_token = string_field(json, "next_page_token");
  return page;
}

}  // namespace mlflowcpp::protocol
