#include "server/auth/auth_request_params.hpp"

#include "server/auth/form_fields.hpp"
#include "server/http/json_body.hpp"
#include "server/http/request.hpp"
#include "text/ascii.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

namespace mlflowcpp::server::auth {
namespace {

using protocol::Json;

constexpr std::string_view kApiDocsHint = "See the API docs for more information about request parameters.";

std::string python_type_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return "str";
    case Json::value_t::boolean:
      return "bool";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "int";
    case Json::value_t::number_float:
      return "float";
    case Json::value_t::array:
      return "list";
    case Json::value_t::object:
      return "dict";
    default:
      return "NoneType";
  }
}

std::string describe(const Json& value) {
  std::string text = protocol::dump(value);
  if (text.size() > 200) text = text.substr(0, 200) + "...";
  return text;
}

[[noreturn]] void throw_wrong_type(std::string_view name, const Json& value) {
  throw invalid_parameter(fmt::format("Invalid value {} for parameter '{}' supplied. Hint: Value was of type '{}'. {}",
                                      describe(value), name, python_type_name(value), kApiDocsHint));
}

Json fields_of_query(const http::QueryParams& query) {
  Json fields = Json::object();
  // A repeated parameter counts with its first value, as Flask's request.args[name] does.
  for (const auto& [name, value] : query) {
    if (!fields.contains(name)) fields[name] = value;
  }
  return fields;
}

bool declares_json(const http::Request& request) {
  const auto content_type = request.header("Content-Type");
  return content_type && is_media_type(*content_type, "application/json");
}

}  // namespace

AuthRequestParams AuthRequestParams::of_request(const http::Request& request) {
  const std::string& method = request.method();
  if (method == "GET" || method == "HEAD") return AuthRequestParams(fields_of_query(request.query()));
  if (method == "DELETE" && !declares_json(request)) return AuthRequestParams(fields_of_query(request.query()));
  if (method != "DELETE" && !declares_json(request)) {
    throw invalid_parameter("Bad Request. Content-Type must be one of ['application/json'].");
  }
  return AuthRequestParams(http::parse_json_body(request.body()));
}

AuthRequestParams AuthRequestParams::of_form(const std::map<std::string, std::string>& fields) {
  Json object = Json::object();
  for (const auto& [name, value] : fields) object[name] = value;
  return AuthRequestParams(std::move(object));
}

const Json& AuthRequestParams::required(std::string_view name) const {
  const auto it = fields_.find(name);
  if (it == fields_.end() || it->is_null()) {
    throw invalid_parameter(fmt::format("Missing value for required parameter '{}'. {}", name, kApiDocsHint));
  }
  return *it;
}

std::string AuthRequestParams::text(std::string_view name) const {
  const Json& value = required(name);
  if (!value.is_string()) throw_wrong_type(name, value);
  return value.get<std::string>();
}

std::string AuthRequestParams::identifier(std::string_view name) const {
  const Json& value = required(name);
  std::string text;
  if (value.is_string()) {
    text = value.get<std::string>();
  } else if (value.is_number_integer()) {
    text = protocol::dump(value);
  } else {
    throw_wrong_type(name, value);
  }
  if (text.empty()) {
    throw invalid_parameter(fmt::format("Missing value for required parameter '{}'. {}", name, kApiDocsHint));
  }
  if (text.size() > kMaxIdentifierLength) {
    throw invalid_parameter(fmt::format("Parameter '{}' is longer than {} characters.", name, kMaxIdentifierLength));
  }
  return text;
}

bool AuthRequestParams::boolean(std::string_view name) const {
  const Json& value = required(name);
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) {
    const std::string lower = to_lower_ascii(value.get<std::string>());
    if (lower == "true") return true;
    if (lower == "false") return false;
  }
  throw invalid_parameter(
      fmt::format("Invalid value {} for parameter '{}': expected true or false.", describe(value), name));
}

}  // namespace mlflowcpp::server::auth
