#include "server/http/responses.hpp"

#include <httplib.h>

#include <utility>

namespace mlflowcpp::server::http {

void send_json(httplib::Response& response, int status, const protocol::Json& body) {
  response.status = status;
  response.set_content(protocol::dump(body), "application/json");
}

void send_json(httplib::Response& response, int status, protocol::JsonText body) {
  response.status = status;
  response.body = std::move(body.text);
  response.set_header("Content-Type", "application/json");
}

void send_error(httplib::Response& response, int status, std::string_view error_code, std::string_view message) {
  protocol::Json body = protocol::Json::object();
  body["error_code"] = std::string(error_code);
  body["message"] = std::string(message);
  send_json(response, status, body);
}

void send_error(httplib::Response& response, const MlflowException& error) {
  send_error(response, error.http_status(), error.error_code(), error.what());
}

void send_text(httplib::Response& response, int status, const std::string& text) {
  response.status = status;
  response.set_content(text, "text/plain; charset=utf-8");
}

void send_artifacts_only_unavailable(const std::string& path, httplib::Response& response) {
  send_text(response, 503,
            "Endpoint: " + path +
                " disabled due to the mlflow server running in `--artifacts-only` mode. To enable tracking "
                "operations, run `mlflowcpp server` without `--artifacts-only`");
}

}  // namespace mlflowcpp::server::http
