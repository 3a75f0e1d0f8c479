#include "protocol/registry_json.hpp"
#include "protocol/json_lists.hpp"

#include <mlflowcpp/errors.hpp>

namespace mlflowcpp::protocol {
namespace {

[[noreturn]] void unexpected(const char* field, const std::string& what) {
  throw MlflowException(ErrorCode::kInternalError, std::string("Unexpected value for field '") + field + "': " + what);
}

void require_object(const Json& json, const char* what) {
  if (!json.is_object()) unexpected(what, std::string("a JSON ") + json.type_name() + ", not an object");
}

// Readers for responses: a missing or null field is "absent".
const Json* field(const Json& object, const char* name) {
  auto it = object.find(name);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::optional<std::string> optional_string(const Json& object, const char* name) {
  const Json* value = field(object, name);
  if (!value) return std::nullopt;
  if (!value->is_string()) unexpected(name, std::string("a JSON ") + value->type_name() + ", not a string");
  return value->get<std::string>();
}

std::optional<int64_t> optional_int64(const Json& object, const char* name) {
  const Json* value = field(object, name);
  if (!value) return std::nullopt;
  auto number = int64_from_json(*value);
  if (!number) unexpected(name, std::string("a JSON ") + value->type_name() + ", not an integer");
  return number;
}

// A model version number: a decimal string on the wire, though protobuf JSON
// readers also accept a number.
std::string version_string(const Json& object, const char* name) {
  const Json* value = field(object, name);
  if (!value) return {};
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number_integer()) return std::to_string(value->get<int64_t>());
  unexpected(name, std::string("a JSON ") + value->type_name() + ", not a version");
}

template <typename T, typename Parse>
std::vector<T> list(const Json& object, const char* name, Parse parse) {
  std::vector<T> items;
  const Json* value = field(object, name);
  if (!value) return items;
  if (!value->is_array()) unexpected(name, std::string("a JSON ") + value->type_name() + ", not an array");
  items.reserve(value->size());
  for (const auto& element : *value) items.push_back(parse(element));
  return items;
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
  return {optional_string(json, "key").value_or(""), optional_string(json, "value").value_or("")};
}

ModelVersionTag model_version_tag_from_json(const Json& json) {
  require_object(json, "tags");
  return {optional_string(json, "key").value_or(""), optional_string(json, "value").value_or("")};
}

RegisteredModelAlias registered_model_alias_from_json(const Json& json) {
  require_object(json, "aliases");
  return {optional_string(json, "alias").value_or(""), version_string(json, "version")};
}

ModelVersion model_version_from_json(const Json& json) {
  require_object(json, "model_version");
  ModelVersion version;
  version.name = optional_string(json, "name").value_or("");
  version.version = version_string(json, "version");
  version.creation_timestamp = optional_int64(json, "creation_timestamp").value_or(0);
  version.last_updated_timestamp = optional_int64(json, "last_updated_timestamp");
  version.user_id = optional_string(json, "user_id");
  version.current_stage = optional_string(json, "current_stage");
  version.description = optional_string(json, "description");
  version.source = optional_string(json, "source");
  version.run_id = optional_string(json, "run_id");
  if (const Json* status = field(json, "status")) {
    std::string text = status->is_number_integer() ? std::to_string(status->get<int64_t>())
                       : status->is_string()       ? status->get<std::string>()
                                                   : std::string();
    version.status = parse_model_version_status(text);
    if (!version.status) unexpected("status", status->dump());
  }
  version.status_message = optional_string(json, "status_message");
  version.tags = list<ModelVersionTag>(json, "tags", model_version_tag_from_json);
  version.run_link = optional_string(json, "run_link");
  version.aliases = list<std::string>(json, "aliases", [](const Json& alias) {
    if (!alias.is_string()) unexpected("aliases", std::string("a JSON ") + alias.type_name() + ", not a string");
    return alias.get<std::string>();
  });
  return version;
}

RegisteredModel registered_model_from_json(const Json& json) {
  require_object(json, "registered_model");
  RegisteredModel model;
  model.name = optional_string(json, "name").value_or("");
  model.creation_timestamp = optional_int64(json, "creation_timestamp");
  model.last_updated_timestamp = optional_int64(json, "last_updated_timestamp");
  model.user_id = optional_string(json, "user_id");
  model.description = optional_string(json, "description");
  model.latest_versions = list<ModelVersion>(json, "latest_versions", model_version_from_json);
  model.tags = list<RegisteredModelTag>(json, "tags", registered_model_tag_from_json);
  model.aliases = list<RegisteredModelAlias>(json, "aliases", registered_model_alias_from_json);
  return model;
}

}  // namespace mlflowcpp::protocol
