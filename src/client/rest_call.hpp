#pragma once

// Calls of the MLflow REST API over a Connection: builds the request, turns the
// response into JSON or into the MlflowException it describes.

#include "protocol/json_codec.hpp"

#include <mlflowcpp/connection.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlflowcpp::client {

using protocol::Json;
using QueryParameters = std::vector<std::pair<std::string, std::string>>;

// "/api/2.0/mlflow/" + endpoint, e.g. "runs/create".
std::string api_path(std::string_view endpoint);

// Send `body` with `method` (POST, PATCH, DELETE: the official client sends a
// JSON body with each) to the endpoint; returns the response object. The
// request carries the endpoint's idempotency (call_idempotency.hpp).
Json send_json(Connection& connection, std::string_view method, std::string_view endpoint, const Json& body);
// send_json() with POST.
Json post(Connection& connection, std::string_view endpoint, const Json& body);
// GET the endpoint with the query; returns the response object.
Json get(Connection& connection, std::string_view endpoint, const QueryParameters& query);

// The JSON object of a 200 response; otherwise throws the error the response
// describes: the server's error_code and message when the body is MLflow's error
// JSON, else a code derived from the status (spec §3).
Json parse_response(const HttpRequest& request, const HttpResponse& response);

// Reading response objects. A missing field, or one of another JSON type, reads
// as empty: servers leave out default-valued fields, and newer ones add fields.
std::string next_page_token(const Json& response);
const Json& object_at(const Json& response, const char* name);

template <typename T, typename Parse>
std::vector<T> list_from(const Json& response, const char* name, Parse parse) {
  std::vector<T> items;
  auto it = response.find(name);
  if (it == response.end() || !it->is_array()) return items;
  items.reserve(it->size());
  for (const auto& element : *it) items.push_back(parse(element));
  return items;
}

}  // namespace mlflowcpp::client
