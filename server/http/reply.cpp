#include "server/http/reply.hpp"

#include <utility>

namespace mlflowcpp::server::http {

void Reply::json(int status, const protocol::Json& body) { send(status, protocol::dump(body), "application/json"); }

void Reply::json(int status, protocol::JsonText body) { send(status, std::move(body.text), "application/json"); }

void Reply::text(int status, const std::string& text) { send(status, text, "text/plain; charset=utf-8"); }

void Reply::error(int status, std::string_view error_code, std::string_view message) {
  protocol::Json body = protocol::Json::object();
  body["error_code"] = std::string(error_code);
  body["message"] = std::string(message);
  json(status, body);
}

void Reply::error(const MlflowException& error) { this->error(error.http_status(), error.error_code(), error.what()); }

}  // namespace mlflowcpp::server::http
