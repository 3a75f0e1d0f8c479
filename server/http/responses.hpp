#pragma once

// Writing responses: JSON bodies (always through protocol::dump, so invalid
// UTF-8 in stored data can never break a response) and MLflow's error shape
// {"error_code": NAME, "message": ...}.

#include "protocol/json_codec.hpp"

#include <mlflowcpp/errors.hpp>

#include <string>
#include <string_view>

namespace httplib {
struct Response;
}

namespace mlflowcpp::server::http {

void send_json(httplib::Response& response, int status, const protocol::Json& body);
void send_json(httplib::Response& response, int status, protocol::JsonText body);
void send_error(httplib::Response& response, const MlflowException& error);
void send_error(httplib::Response& response, int status, std::string_view error_code, std::string_view message);
void send_text(httplib::Response& response, int status, const std::string& text);

// The 503 of a tracking or registry route when the server runs --artifacts-only.
void send_artifacts_only_unavailable(const std::string& path, httplib::Response& response);

// Runs `handle`, answering MLflow's JSON error for whatever it throws: the code's
// status for an MlflowException, 500 INTERNAL_ERROR for anything else.
template <typename Handle>
void answer(httplib::Response& response, Handle&& handle) {
  try {
    handle();
  } catch (const MlflowException& error) {
    send_error(response, error);
  } catch (const std::exception& error) {
    send_error(response, 500, "INTERNAL_ERROR", error.what());
  }
}

}  // namespace mlflowcpp::server::http
