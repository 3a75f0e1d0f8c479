#pragma once

// A Connection for unit tests: records every request and answers through a handler.

#include <mlflowcpp/connection.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace mlflowcpp::testing {

class RecordingConnection : public Connection {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest& request)>;

  explicit RecordingConnection(Handler handler) : handler_(std::move(handler)) {}

  HttpResponse send(const HttpRequest& request) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(request);
    }
    return handler_(request);
  }

  std::vector<HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  Handler handler_;
  mutable std::mutex mutex_;
  std::vector<HttpRequest> requests_;
};

inline HttpResponse json_response(int status, std::string body) { return HttpResponse{status, std::move(body), {}}; }

// The calls of a fixture file recorded from an official server (tests/fixtures/<file_name>).
inline nlohmann::json read_recorded_calls(const std::string& file_name) {
  std::ifstream file(std::string(MLFLOWCPP_FIXTURES_DIR) + "/" + file_name);
  return nlohmann::json::parse(file)["calls"];
}

// The calls recorded from the official MLflow 2.9.2 server
// (tests/fixtures/mlflow-2.9.2-sample.answers.json), read once.
inline const nlohmann::json& recorded_calls() {
  static const nlohmann::json calls = read_recorded_calls("mlflow-2.9.2-sample.answers.json");
  return calls;
}

// The calls recorded from the official MLflow 3.6 server
// (tests/fixtures/mlflow-3-sample.answers.json), read once.
inline const nlohmann::json& recorded_mlflow3_calls() {
  static const nlohmann::json calls = read_recorded_calls("mlflow-3-sample.answers.json");
  return calls;
}

}  // namespace mlflowcpp::testing
