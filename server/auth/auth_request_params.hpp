#pragma once

// The parameters of a basic-auth API call, found where MLflow's auth app looks
// for them: GET in the query string; POST and PATCH in the JSON body; DELETE
// in the JSON body when the Content-Type says JSON, else in the query string;
// a browser's form post in its fields. Accessors throw MlflowException
// INVALID_PARAMETER_VALUE (400) with MLflow's messages.

#include "protocol/json_codec.hpp"

#include <map>
#include <string>
#include <string_view>

namespace mlflowcpp::server::http {
class Request;
}

namespace mlflowcpp::server::auth {

class AuthRequestParams {
 public:
  // The longest username, experiment id or model name the auth database holds (VARCHAR(255)).
  static constexpr std::size_t kMaxIdentifierLength = 255;

  // Throws for a POST or PATCH whose body is not declared JSON.
  static AuthRequestParams of_request(const http::Request& request);
  static AuthRequestParams of_form(const std::map<std::string, std::string>& fields);

  // A string parameter, possibly empty; "Missing value for required parameter" when absent or null.
  std::string text(std::string_view name) const;
  // A non-empty name or id of at most kMaxIdentifierLength characters; a JSON integer
  // is taken as its decimal text (clients send experiment ids either way).
  std::string identifier(std::string_view name) const;
  // A JSON boolean, or the text "true" / "false" (any case).
  bool boolean(std::string_view name) const;

 private:
  explicit AuthRequestParams(protocol::Json fields) : fields_(std::move(fields)) {}
  const protocol::Json& required(std::string_view name) const;

  protocol::Json fields_;  // an object; query and form values are strings
};

}  // namespace mlflowcpp::server::auth
