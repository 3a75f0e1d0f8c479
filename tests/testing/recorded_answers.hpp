#pragma once

// The read calls recorded against the official MLflow 2.9.2 server
// (tests/fixtures/mlflow-2.9.2-sample.answers.json) and how an answer of ours
// is compared with the recorded one.

#include <cstddef>
#include <optional>
#include <set>
#include <string>

#include "testing/http_client.hpp"
#include "testing/json_compare.hpp"

namespace mlflowcpp::testing {

// The recorded calls: objects with method, path, body, status, response.
const Json& recorded_calls();
// The same for the calls recorded against an official MLflow 3.6 server
// (tests/fixtures/mlflow-3-sample.answers.json): reads, then a sequence of writes.
const Json& mlflow3_recorded_calls();

// "07_runs_get": a test name for call `index`.
std::string recorded_call_name(std::size_t index);

// Arrays whose order the protocol defines for the answer to `path`; every
// other array is compared as a set. Page tokens are opaque.
JsonCompareRules recorded_answer_rules(const std::string& path);

// Sends `call` (its method, path and body) through `http`.
HttpResponse send_recorded_call(HttpClient& http, const Json& call);

// nullopt when `response` answers `call` as the official server did: the
// same status; for an error, the same error_code (messages may differ); for
// 200, the same JSON under recorded_answer_rules. Numbers under
// `wall_clock_keys` (creation_time, ...) are not compared, for databases the
// official server wrote at another time. Otherwise, what differs.
std::optional<std::string> recorded_answer_difference(const Json& call, const HttpResponse& response,
                                                      const std::set<std::string>& wall_clock_keys = {});

}  // namespace mlflowcpp::testing
