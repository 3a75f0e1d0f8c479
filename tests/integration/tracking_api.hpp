#pragma once

// Shared by the integration tests: assertions on MLflow answers and a few
// one-line calls that set up experiments and runs over HTTP.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "testing/http_client.hpp"
#include "testing/server_process.hpp"

namespace mlflowcpp::integration {

using testing::HttpClient;
using testing::HttpResponse;
using testing::Json;

inline const std::string kApi = "/api/2.0/mlflow";
inline const std::string kAjax = "/ajax-api/2.0/mlflow";

// 200 with a JSON object body.
inline ::testing::AssertionResult IsOk(const HttpResponse& response) {
  if (response.status == 200 && response.json.is_object()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected 200 with a JSON object, got " << response.describe();
}

// `status` with {"error_code": code, "message": <string>}.
inline ::testing::AssertionResult IsError(const HttpResponse& response, int status, const std::string& code) {
  bool shaped = response.json.is_object() && response.json.contains("message") &&
                response.json["message"].is_string();
  if (response.status == status && response.error_code() == code && shaped) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected " << status << " " << code << " (JSON error with message), got "
                                       << response.describe();
}

// Any 4xx with a JSON error body: the contract for every malformed request.
inline ::testing::AssertionResult IsClientError(const HttpResponse& response) {
  if (response.status >= 400 && response.status < 500 && !response.error_code().empty()) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "expected a 4xx JSON error, got " << response.describe();
}

// Thin typed calls for test setup; each asserts success (use ASSERT_NO_FATAL_FAILURE
// around them when later steps depend on the result).
class TrackingApi {
 public:
  explicit TrackingApi(HttpClient& http) : http_(http) {}

  std::string create_experiment(const std::string& name, Json extra = Json::object()) {
    extra["name"] = name;
    auto response = http_.post(kApi + "/experiments/create", extra);
    EXPECT_TRUE(IsOk(response)) << "creating experiment " << name;
    return response.json.value("experiment_id", std::string());
  }

  // Returns the whole {"run": ...} answer.
  Json create_run_json(const std::string& experiment_id, Json extra = Json::object()) {
    extra["experiment_id"] = experiment_id;
    auto response = http_.post(kApi + "/runs/create", extra);
    EXPECT_TRUE(IsOk(response)) << "creating a run in " << experiment_id;
    return response.json;
  }

  std::string create_run(const std::string& experiment_id, Json extra = Json::object()) {
    Json created = create_run_json(experiment_id, std::move(extra));
    if (!created.contains("run")) return "";
    return created["run"]["info"].value("run_id", std::string());
  }

  Json get_run(const std::string& run_id) {
    auto response = http_.get(kApi + "/runs/get?run_id=" + run_id);
    EXPECT_TRUE(IsOk(response)) << "getting run " << run_id;
    return response.json.value("run", Json::object());
  }

  Json get_experiment(const std::string& experiment_id) {
    auto response = http_.get(kApi + "/experiments/get?experiment_id=" + experiment_id);
    EXPECT_TRUE(IsOk(response)) << "getting experiment " << experiment_id;
    return response.json.value("experiment", Json::object());
  }

  void log_metric(const std::string& run_id, const std::string& key, const Json& value, int64_t timestamp,
                  int64_t step) {
    auto response = http_.post(kApi + "/runs/log-metric", {{"run_id", run_id},
                                                           {"key", key},
                                                           {"value", value},
                                                           {"timestamp", timestamp},
                                                           {"step", step}});
    EXPECT_TRUE(IsOk(response)) << "log-metric " << key;
  }

  // All points of one metric, sorted by (step, timestamp).
  Json history(const std::string& run_id, const std::string& key) {
    auto response = http_.get(kApi + "/metrics/get-history?run_id=" + run_id +
                              "&metric_key=" + testing::url_encode(key));
    EXPECT_TRUE(IsOk(response)) << "get-history " << key;
    Json points = response.json.value("metrics", Json::array());
    std::sort(points.begin(), points.end(), [](const Json& a, const Json& b) {
      return std::make_pair(a.value("step", int64_t{0}), a.value("timestamp", int64_t{0})) <
             std::make_pair(b.value("step", int64_t{0}), b.value("timestamp", int64_t{0}));
    });
    return points;
  }

 private:
  HttpClient& http_;
};

// {key: value} of a [{key, value}] array (tags, params); absent array = empty.
inline std::map<std::string, std::string> key_values(const Json& run_data, const std::string& field) {
  std::map<std::string, std::string> result;
  if (!run_data.contains(field)) return result;
  for (const auto& item : run_data[field]) result[item.value("key", "")] = item.value("value", "");
  return result;
}

// The metric entry with `key` in a RunData, or null.
inline Json find_metric(const Json& run_data, const std::string& key) {
  if (!run_data.contains("metrics")) return nullptr;
  for (const auto& metric : run_data["metrics"]) {
    if (metric.value("key", "") == key) return metric;
  }
  return nullptr;
}

}  // namespace mlflowcpp::integration
