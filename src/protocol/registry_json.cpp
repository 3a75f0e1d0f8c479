#include "protocol/registry_json.hpp"

#include "protocol/json_fields.hpp"
#include "protocol/json_lists.hpp"

#include <mlflowcpp/errors.hpp>

namespace mlflowcpp::protocol {
namespace {

using fields::list_field;
using fields::optional_int64_field;
using fields::optional_string_field;
using fields::present;
using fields::require_object;
using fields::string_field;
using fields::wrong_type;

// A model version number: a decimal string on the wire, though protobuf JSON
// readers also accept a number.
std::string version_string(const Json& object, const char* name) {
  const Json* value = present(object, name);
  if (!value) return {};
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number_integer()) return std::to_string(value->get<int64_t>());
  wrong_type(name, *value);
}

template <typename T>
void put_optional(Json& object, const char* name, const std::optional<T>& value) {
  if (value) object[name] = *value;
}

}  // namespace

Json to_json(const RegisteredModelTag& tag) { return Json{{"key", tag.key}, {"value", tag.value}}; }

Json to_json(const ModelVersionTag& tag) { return Json{{"key", tag.key}, {"value", tag.value}}; }

Json to_json(const RegisteredModelAlias& alias) { return Json{{"alias", alias.alias}, {"version", alias.version}}; }

Json to_json(const ModelVersion& version) {
  Json json{{"name", version.name}, {"version", version.version}, {"creation_timestamp", version.creation_timestamp}};
  put_optional(json, "last_updated_timestamp", version.last_updated_timestamp);
  put_optional(json, "user_id", version.user_id);
  put_optional(json, "current_stage", version.current_stage);
  put_optional(json, "description", version.description);
  put_optional(json, "source", version.source);
  put_optional(json, "run_id", version.run_id);
  if (version.status) json["status"] = std::string(to_string(*version.status));
  // The official server drops an empty status message (a NULL and "" read alike there).
  if (version.status_message && !version.status_message->empty()) json["status_message"] = *version.status_message;
  put_list(json, "tags", version.tags);
  put_optional(json, "run_link", version.run_link);
  if (!version.aliases.empty()) json["aliases"] = version.aliases;
  return json;
}

Json to_json(const RegisteredModel& model) {
  Json json{{"name", model.name}};
  put_optional(json, "creation_timestamp", model.creation_timestamp);
  // The official server leaves out a zero update time and an empty description.
  if (model.last_updated_timestamp && *model.last_updated_timestamp != 0) {
    json["last_updated_timestamp"] = *model.last_updated_timestamp;
  }
  put_optional(json, "user_id", model.user_id);
  if (model.description && !model.description->empty()) json["description"] = *model.description;
  put_list(json, "latest_versions", model.latest_versions);
  put_list(json, "tags", model.tags);
  put_list(json, "aliases", model.aliases);
  return json;
}

RegisteredModelTag registered_model_tag_from_json(const Json& json) {
  require_object(json, "tags");
  return {string_field(json, "key"), string_field(json, "value")};
}

ModelVersionTag model_version_tag_from_json(const Json& json) {
  require_object(json, "tags");
  return {string_field(json, "key"), string_field(json, "value")};
}

RegisteredModelAlias registered_model_alias_from_json(const Json& json) {
  require_object(json, "aliases");
  return {string_field(json, "alias"), version_string(json, "version")};
}

ModelVersion model_version_from_json(const Json& json) {
  require_object(json, "model_version");
  ModelVersion version;
  version.name = string_field(json, "name");
  version.version = version_string(json, "version");
  version.creation_timestamp = fields::int64_field(json, "creation_timestamp");
  version.last_updated_timestamp = optional_int64_field(json, "last_updated_timestamp");
  version.user_id = optional_string_field(json, "user_id");
  version.current_stage = optional_string_field(json, "current_stage");
  version.description = optional_string_field(json, "description");
  version.source = optional_string_field(json, "source");
  version.run_id = optional_string_field(json, "run_id");
  if (const Json* status = present(json, "status")) {
    std::string text = status->is_number_integer() ? std::to_string(status->get<int64_t>())
                       : status->is_string()       ? status->get<std::string>()
                                                   : std::string();
    version.status = parse_model_version_status(text);
    if (!version.status) {
      throw MlflowException(ErrorCode::kInternalError, "Unexpected value for field 'status': " + status->dump());
    }
  }
  version.status_message = optional_string_field(json, "status_message");
  version.tags = list_field<ModelVersionTag>(json, "tags", model_version_tag_from_json);
  version.run_link = optional_string_field(json, "run_link");
  version.aliases = fields::string_list_field(json, "aliases");
  return version;
}

RegisteredModel registered_model_from_json(const Json& json) {
  require_object(json, "registered_model");
  RegisteredModel model;
  model.name = string_field(json, "name");
  model.creation_timestamp = optional_int64_field(json, "creation_timestamp");
  model.last_updated_timestamp = optional_int64_field(json, "last_updated_timestamp");
  model.user_id = optional_string_field(json, "user_id");
  model.description = optional_string_field(json, "description");
  model.latest_versions = list_field<ModelVersion>(json, "latest_versions", model_version_from_json);
  model.tags = list_field<RegisteredModelTag>(json, "tags", registered_model_tag_from_json);
  model.aliases = list_field<RegisteredModelAlias>(json, "aliases", registered_model_alias_from_json);
  return model;
}

}  // namespace mlflowcpp::protocol
