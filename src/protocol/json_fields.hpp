#pragma once

// Reading fields of a JSON response into the protocol model, shared by the
// tracking and registry codecs. A missing or null field takes its default
// (or nullopt); a field of the wrong JSON type throws MlflowException
// (INTERNAL_ERROR): the server sent something the protocol does not allow.

#include "protocol/json_codec.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::protocol::fields {

[[noreturn]] void wrong_type(const char* field, const Json& value);
void require_object(const Json& json, const char* what);

// The field's value; nullptr when it is missing or null.
const Json* present(const Json& object, const char* name);

std::string string_field(const Json& object, const char* name);
std::optional<std::string> optional_string_field(const Json& object, const char* name);
std::optional<int64_t> optional_int64_field(const Json& object, const char* name);
int64_t int64_field(const Json& object, const char* name);
double double_field(const Json& object, const char* name);
bool bool_field(const Json& object, const char* name);
const Json& object_field(const Json& object, const char* name);
std::vector<std::string> string_list_field(const Json& object, const char* name);

// A list of objects, each read by `parse`.
template <typename T, typename Parse>
std::vector<T> list_field(const Json& object, const char* name, Parse parse) {
  std::vector<T> items;
  const Json* value = present(object, name);
  if (value == nullptr) return items;
  if (!value->is_array()) wrong_type(name, *value);
  items.reserve(value->size());
  for (const auto& element : *value) {
    if (!element.is_object()) wrong_type(name, element);
    items.push_back(parse(element));
  }
  return items;
}

}  // namespace mlflowcpp::protocol::fields
