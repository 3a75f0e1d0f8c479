#pragma once

// Text exactly as Python writes it, where MLflow puts Python's output on the
// wire: json.dumps with its default separators and ASCII escapes (page tokens
// of logged-model searches, the store's mlflow.modelVersions tag), and repr()
// of strings, lists and dicts (error messages). For the search library and the
// store only.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace mlflowcpp::server::search::detail {

// json.dumps(value): ", " and ": " separators, keys in the object's order,
// non-ASCII as \uXXXX escapes (surrogate pairs beyond the BMP).
std::string python_json_dumps(const nlohmann::ordered_json& value);

// repr(value) of the Python object the JSON stands for: 'text' (or "text"
// when it holds a ' and no "), None, True, [..., ...], {'k': v, ...}.
std::string python_repr(const nlohmann::ordered_json& value);
std::string python_repr(std::string_view text);

}  // namespace mlflowcpp::server::search::detail
