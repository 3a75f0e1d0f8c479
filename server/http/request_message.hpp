#pragma once

// The fields of one API request, read as the official server reads them:
// GET requests with a query string take their fields from it (repeated keys
// are lists; required fields are not enforced); every other request takes
// them from its JSON body. Typed accessors throw MlflowException
// (INVALID_PARAMETER_VALUE) for a missing required field or a wrong type.

#include "protocol/json_codec.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlflowcpp::server::http {

class Request;

class RequestMessage {
 public:
  using QueryParams = std::multimap<std::string, std::string>;

  // Checks the Content-Type of POST and PUT (application/json, parameters allowed).
  static RequestMessage from_request(const Request& request);
  static RequestMessage from_json(protocol::Json body);
  static RequestMessage from_query(QueryParams params);
  // The Content-Type check of from_request, for handlers that read the body themselves.
  static void require_json_content_type(const Request& request);

  // MLflow enforces required fields on JSON requests only.
  bool enforces_required() const { return !from_query_; }

  bool has(std::string_view field) const;

  std::optional<std::string> optional_string(std::string_view field) const;
  // "" when absent and not enforced; throws "Missing value for required parameter" otherwise.
  std::string required_string(std::string_view field) const;
  std::string string_or_empty(std::string_view field) const { return optional_string(field).value_or(""); }
  // `run_id`, or its legacy name `run_uuid`; required.
  std::string run_id() const;

  std::optional<int64_t> optional_int64(std::string_view field) const;
  std::optional<int64_t> required_int64(std::string_view field) const;
  std::optional<double> optional_double(std::string_view field) const;
  std::optional<double> required_double(std::string_view field) const;
  std::optional<bool> optional_bool(std::string_view field) const;

  // An enum given by name or number, as text ("FINISHED", "3"); the caller maps it.
  std::optional<std::string> enum_text(std::string_view field) const;

  std::vector<std::string> string_list(std::string_view field) const;

  // The elements of a list of messages (objects), each as its own message.
  // Nested messages cannot travel in a query string: empty there.
  std::vector<RequestMessage> message_list(std::string_view field) const;
  // One nested message; nullopt when absent (always in a query string).
  std::optional<RequestMessage> nested_message(std::string_view field) const;

  // A list of {key, value} messages (tags, params) as `KeyValue` aggregates. The value reads as "" when absent; the
  // key too unless the message's proto marks it required (kRequired: "Missing value for required parameter").
  enum class KeyPresence { kRequired, kOptional };
  template <typename KeyValue>
  std::vector<KeyValue> key_value_list(std::string_view field, KeyPresence key) const {
    std::vector<KeyValue> items;
    for (const auto& item : message_list(field)) {
      items.push_back({key == KeyPresence::kRequired ? item.required_string("key") : item.string_or_empty("key"),
                       item.string_or_empty("value")});
    }
    return items;
  }

 private:
  RequestMessage() = default;

  // The JSON value of a field, nullptr when absent or null.
  const protocol::Json* json_value(std::string_view field) const;
  // The query values of a field (empty when absent).
  std::vector<std::string> query_values(std::string_view field) const;

  [[noreturn]] void throw_missing(std::string_view field) const;
  [[noreturn]] void throw_wrong_type(std::string_view field, const protocol::Json& value) const;
  [[noreturn]] void throw_bad_query_value(std::string_view field, const std::string& value) const;

  bool from_query_ = false;
  protocol::Json body_ = protocol::Json::object();
  QueryParams query_;
};

}  // namespace mlflowcpp::server::http
