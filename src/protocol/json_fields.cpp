#include "protocol/json_fields.hpp"

#include <mlflowcpp/errors.hpp>

namespace mlflowcpp::protocol::fields {

void wrong_type(const char* field, const Json& value) {
  throw MlflowException(ErrorCode::kInternalError,
                        std::string("Unexpected JSON type for field '") + field + "': " + value.type_name());
}

void require_object(const Json& json, const char* what) {
  if (!json.is_object()) wrong_type(what, json);
}

const Json* present(const Json& object, const char* name) {
  auto it = object.find(name);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::optional<std::string> optional_string_field(const Json& object, const char* name) {
  const Json* value = present(object, name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) wrong_type(name, *value);
  return value->get<std::string>();
}

std::string string_field(const Json& object, const char* name) {
  return optional_string_field(object, name).value_or("");
}

std::optional<int64_t> optional_int64_field(const Json& object, const char* name) {
  const Json* value = present(object, name);
  if (value == nullptr) return std::nullopt;
  auto number = int64_from_json(*value);
  if (!number) wrong_type(name, *value);
  return number;
}

int64_t int64_field(const Json& object, const char* name) { return optional_int64_field(object, name).value_or(0); }

double double_field(const Json& object, const char* name) {
  const Json* value = present(object, name);
  if (value == nullptr) return 0;
  auto number = double_from_json(*value);
  if (!number) wrong_type(name, *value);
  return *number;
}

bool bool_field(const Json& object, const char* name) {
  const Json* value = present(object, name);
  if (value == nullptr) return false;
  if (!value->is_boolean()) wrong_type(name, *value);
  return value->get<bool>();
}

const Json& object_field(const Json& object, const char* name) {
  static const Json kEmpty = Json::object();
  const Json* value = present(object, name);
  if (value == nullptr) return kEmpty;
  if (!value->is_object()) wrong_type(name, *value);
  return *value;
}

std::vector<std::string> string_list_field(const Json& object, const char* name) {
  std::vector<std::string> items;
  const Json* value = present(object, name);
  if (value == nullptr) return items;
  if (!value->is_array()) wrong_type(name, *value);
  for (const auto& element : *value) {
    if (!element.is_string()) wrong_type(name, element);
    items.push_back(element.get<std::string>());
  }
  return items;
}

}  // namespace mlflowcpp::protocol::fields
