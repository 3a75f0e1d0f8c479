// The tracking calls recorded against the official 2.9.2 server on the sample
// database, replayed against our server on a copy of it: same status, same JSON.

#include "http_test_server.hpp"

#include <fstream>

namespace mlflowcpp::server::http::testing {
namespace {

using protocol::Json;

bool is_tracking_call(const std::string& path) {
  for (const std::string prefix : {"/api/2.0/mlflow/experiments/", "/api/2.0/mlflow/runs/", "/api/2.0/mlflow/metrics/",
                                   "/api/2.0/mlflow/artifacts/"}) {
    if (path.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

TEST(FixtureAnswers, TrackingCallsMatchTheOfficialServer) {
  const std::string fixtures = MLFLOWCPP_FIXTURES_DIR;
  std::ifstream answers_file(fixtures + "/mlflow-2.9.2-sample.answers.json");
  ASSERT_TRUE(answers_file) << "missing fixture answers";
  const Json answers = Json::parse(answers_file);
  Json calls = answers.is_array() ? answers : Json::array();
  if (answers.is_object()) {
    for (const auto& [name, value] : answers.items()) {
      if (value.is_array()) calls = value;
    }
  }
  ASSERT_FALSE(calls.empty());

  TestServer server({}, fixtures + "/mlflow-2.9.2-sample.sqlite");
  int compared = 0;
  for (const auto& call : calls) {
    const std::string path = call.at("path");
    if (!is_tracking_call(path)) continue;
    const std::string method = call.at("method");
    JsonResponse response = method == "GET" ? server.get(path) : server.post_json(path, call.at("body"));
    EXPECT_EQ(response.status, call.at("status").get<int>()) << method << " " << path << ": " << response.body;
    EXPECT_EQ(response.json, call.at("response")) << method << " " << path << "\nours:     " << response.body
                                                  << "\nofficial: " << protocol::dump(call.at("response"));
    ++compared;
  }
  EXPECT_GE(compared, 10);
}

}  // namespace
}  // namespace mlflowcpp::server::http::testing
