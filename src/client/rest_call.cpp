#include "client/rest_call.hpp"

#include "client/call_idempotency.hpp"

namespace mlflowcpp::client {
namespace {

// The official client's reading of an error status whose body is not MLflow's error JSON.
ErrorCode code_for_status(int status) {
  switch (status) {
    case 400: return ErrorCode::kBadRequest;
    case 401: return ErrorCode::kUnauthenticated;
    case 403: return ErrorCode::kPermissionDenied;
    case 404: return ErrorCode::kEndpointNotFound;
    case 409: return ErrorCode::kAlreadyExists;
    case 429: return ErrorCode::kResourceExhausted;
    case 499: return ErrorCode::kCancelled;
    case 501: return ErrorCode::kNotImplemented;
    case 503: return ErrorCode::kTemporarilyUnavailable;
    case 504: return ErrorCode::kDeadlineExceeded;
    default: return ErrorCode::kInternalError;
  }
}

// Error bodies can be whole HTML pages; a message needs only their start.
std::string excerpt(const std::string& body) {
  constexpr std::size_t kMax = 500;
  return body.size() <= kMax ? body : body.substr(0, kMax) + "...";
}

}  // namespace

std::string api_path(std::string_view endpoint) { return "/api/2.0/mlflow/" + std::string(endpoint); }

Json parse_response(const HttpRequest& request, const HttpResponse& response) {
  Json body = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (response.status == 200) {
    // An empty answer carries no fields: read it as "{}" rather than fail a call that succeeded.
    if (response.body.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
    if (body.is_object()) return body;
    throw MlflowException(std::string(error_code_name(ErrorCode::kInternalError)), response.status,
                          "API request to " + request.path +
                              " succeeded but the response is not a JSON object: " + excerpt(response.body));
  }
  if (body.is_object()) {
    auto code = body.find("error_code");
    if (code != body.end() && code->is_string()) {
      auto message = body.find("message");
      std::string text = message != body.end() && message->is_string() ? message->get<std::string>() : "";
      throw MlflowException(code->get<std::string>(), response.status, text);
    }
  }
  throw MlflowException(std::string(error_code_name(code_for_status(response.status))), response.status,
                        "API request to " + request.path + " failed with status " +
                            std::to_string(response.status) + ": " + excerpt(response.body));
}

Json send_json(Connection& connection, std::string_view method, std::string_view endpoint, const Json& body) {
  HttpRequest request{std::string(method), api_path(endpoint), {}, protocol::dump(body)};
  request.idempotency = idempotency_of(endpoint);
  return parse_response(request, connection.send(request));
}

Json post(Connection& connection, std::string_view endpoint, const Json& body) {
  return send_json(connection, "POST", endpoint, body);
}

Json get(Connection& connection, std::string_view endpoint, const QueryParameters& query) {
  // Reads only: always safe to repeat.
  HttpRequest request{"GET", api_path(endpoint), query, {}};
  return parse_response(request, connection.send(request));
}

std::string next_page_token(const Json& response) {
  auto it = response.find("next_page_token");
  return it != response.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const Json& object_at(const Json& response, const char* name) {
  static const Json kEmpty = Json::object();
  auto it = response.find(name);
  return it != response.end() && it->is_object() ? *it : kEmpty;
}

}  // namespace mlflowcpp::client
