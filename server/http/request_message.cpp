#include "server/http/request_message.hpp"

#include "server/http/json_body.hpp"
#include "server/http/request.hpp"
#include "text/ascii.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace mlflowcpp::server::http {
namespace {

using protocol::Json;

constexpr std::string_view kApiDocsHint = "See the API docs for more information about request parameters.";

std::string lowercase(std::string_view text) {
  std::string result(text);
  result = to_lower_ascii(result);
  return result;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

}  // namespace

void RequestMessage::require_json_content_type(const Request& request) {
  if (request.method() != "POST" && request.method() != "PUT") return;
  const std::optional<std::string> header = request.header("Content-Type");
  if (!header) throw invalid_parameter("Bad Request. Content-Type header is missing.");
  const std::string_view media_type = trim(std::string_view(*header).substr(0, header->find(';')));
  if (lowercase(media_type) != "application/json") {
    throw invalid_parameter("Bad Request. Content-Type must be one of ['application/json'].");
  }
}

namespace {

// A short, safe rendering of an offending value for messages.
std::string describe(const Json& value) {
  std::string text = protocol::dump(value);
  if (text.size() > 200) text = text.substr(0, 200) + "...";
  return text;
}

std::string python_type_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string: return "str";
    case Json::value_t::boolean: return "bool";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "int";
    case Json::value_t::number_float: return "float";
    case Json::value_t::array: return "list";
    case Json::value_t::object: return "dict";
    default: return "NoneType";
  }
}

}  // namespace

RequestMessage RequestMessage::from_request(const Request& request) {
  const bool is_get = request.method() == "GET" || request.method() == "HEAD";
  if (is_get && !request.query().empty()) return from_query(request.query());
  require_json_content_type(request);
  return from_json(parse_json_body(request.body()));
}

RequestMessage RequestMessage::from_json(Json body) {
  RequestMessage message;
  message.body_ = body.is_object() ? std::move(body) : Json::object();
  return message;
}

RequestMessage RequestMessage::from_query(QueryParams params) {
  RequestMessage message;
  message.from_query_ = true;
  message.query_ = std::move(params);
  return message;
}

const Json* RequestMessage::json_value(std::string_view field) const {
  const auto it = body_.find(field);
  if (it == body_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::vector<std::string> RequestMessage::query_values(std::string_view field) const {
  std::vector<std::string> values;
  const auto range = query_.equal_range(std::string(field));
  for (auto it = range.first; it != range.second; ++it) values.push_back(it->second);
  return values;
}

bool RequestMessage::has(std::string_view field) const {
  return from_query_ ? query_.count(std::string(field)) > 0 : json_value(field) != nullptr;
}

void RequestMessage::throw_missing(std::string_view field) const {
  throw invalid_parameter(fmt::format("Missing value for required parameter '{}'. {}", field, kApiDocsHint));
}

void RequestMessage::throw_wrong_type(std::string_view field, const Json& value) const {
  throw invalid_parameter(fmt::format("Invalid value {} for parameter '{}' supplied. Hint: Value was of type '{}'. {}",
                                      describe(value), field, python_type_name(value), kApiDocsHint));
}

void RequestMessage::throw_bad_query_value(std::string_view field, const std::string& value) const {
  throw invalid_parameter(fmt::format("Invalid value {} for parameter '{}' supplied. {}", describe(Json(value)),
                                      field, kApiDocsHint));
}

std::optional<std::string> RequestMessage::optional_string(std::string_view field) const {
  if (from_query_) {
    const auto it = query_.find(std::string(field));
    if (it == query_.end()) return std::nullopt;
    return it->second;
  }
  const Json* value = json_value(field);
  if (!value) return std::nullopt;
  if (!value->is_string()) throw_wrong_type(field, *value);
  return value->get<std::string>();
}

std::string RequestMessage::required_string(std::string_view field) const {
  auto value = optional_string(field);
  if ((!value || value->empty()) && enforces_required()) throw_missing(field);
  return value.value_or("");
}

std::string RequestMessage::run_id() const {
  auto value = optional_string("run_id");
  if (!value || value->empty()) {
    auto legacy = optional_string("run_uuid");
    if (legacy && !legacy->empty()) return *legacy;
  }
  if ((!value || value->empty()) && enforces_required()) throw_missing("run_id");
  return value.value_or("");
}

std::optional<int64_t> RequestMessage::optional_int64(std::string_view field) const {
  if (from_query_) {
    auto text = optional_string(field);
    if (!text) return std::nullopt;
    auto parsed = protocol::int64_from_json(Json(*text));
    if (!parsed) throw_bad_query_value(field, *text);
    return parsed;
  }
  const Json* value = json_value(field);
  if (!value) return std::nullopt;
  // An integer literal beyond int64 reaches us as a double; -2^63 exactly is
  // what -9223372036854775809 rounds to, while a real INT64_MIN parses as an integer.
  const bool overflowed = value->is_number_float() && value->get<double>() <= -9223372036854775808.0;
  auto parsed = value->is_boolean() || overflowed ? std::nullopt : protocol::int64_from_json(*value);
  if (!parsed) throw_wrong_type(field, *value);
  return parsed;
}

std::optional<int64_t> RequestMessage::required_int64(std::string_view field) const {
  auto value = optional_int64(field);
  if (!value && enforces_required()) throw_missing(field);
  return value;
}

std::optional<double> RequestMessage::optional_double(std::string_view field) const {
  if (from_query_) {
    auto text = optional_string(field);
    if (!text) return std::nullopt;
    auto parsed = protocol::double_from_json(Json(*text));
    if (!parsed) throw_bad_query_value(field, *text);
    return parsed;
  }
  const Json* value = json_value(field);
  if (!value) return std::nullopt;
  auto parsed = protocol::double_from_json(*value);
  if (!parsed) throw_wrong_type(field, *value);
  return parsed;
}

std::optional<double> RequestMessage::required_double(std::string_view field) const {
  auto value = optional_double(field);
  if (!value && enforces_required()) throw_missing(field);
  return value;
}

std::optional<bool> RequestMessage::optional_bool(std::string_view field) const {
  if (from_query_) {
    auto text = optional_string(field);
    if (!text) return std::nullopt;
    const std::string lower = lowercase(*text);
    if (lower == "true") return true;
    if (lower == "false") return false;
    throw invalid_parameter(fmt::format(
        "Invalid value for parameter '{}': expected 'true' or 'false', got {}", field, describe(Json(*text))));
  }
  const Json* value = json_value(field);
  if (!value) return std::nullopt;
  if (!value->is_boolean()) throw_wrong_type(field, *value);
  return value->get<bool>();
}

std::optional<std::string> RequestMessage::enum_text(std::string_view field) const {
  if (from_query_) return optional_string(field);
  const Json* value = json_value(field);
  if (!value) return std::nullopt;
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number_integer()) return std::to_string(value->get<int64_t>());
  throw_wrong_type(field, *value);
}

std::vector<std::string> RequestMessage::string_list(std::string_view field) const {
  if (from_query_) return query_values(field);
  std::vector<std::string> items;
  const Json* value = json_value(field);
  if (!value) return items;
  if (!value->is_array()) throw_wrong_type(field, *value);
  items.reserve(value->size());
  for (const auto& element : *value) {
    if (!element.is_string()) throw_wrong_type(field, element);
    items.push_back(element.get<std::string>());
  }
  return items;
}

std::vector<RequestMessage> RequestMessage::message_list(std::string_view field) const {
  std::vector<RequestMessage> items;
  if (from_query_) return items;
  const Json* value = json_value(field);
  if (!value) return items;
  if (!value->is_array()) throw_wrong_type(field, *value);
  items.reserve(value->size());
  for (const auto& element : *value) {
    if (!element.is_object()) throw_wrong_type(field, element);
    items.push_back(from_json(element));
  }
  return items;
}

std::optional<RequestMessage> RequestMessage::nested_message(std::string_view field) const {
  if (from_query_) return std::nullopt;
  const Json* value = json_value(field);
  if (!value) return std::nullopt;
  if (!value->is_object()) throw_wrong_type(field, *value);
  return from_json(*value);
}

}  // namespace mlflowcpp::server::http
