// MLflow 3's logged models over HTTP, on the real server binary:
// - the 66 calls recorded against the official MLflow 3.6 server
//   (tests/fixtures/mlflow-3-sample.answers.json: reads, then a sequence of
//   writes: logged models, run outputs, a metric on a model, registering the
//   model) replayed in order on a copy of the database it wrote;
// - a database at MLflow 2.9's schema, where every logged-model call answers
//   with the upgrade hint;
// - MLflow 3's GenAI endpoints this server does not serve: JSON 404s.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "integration/tracking_api.hpp"
#include "testing/json_compare.hpp"
#include "testing/recorded_answers.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

// Times the server takes from its clock when the replayed writes run (logged models, model versions).
const std::set<std::string> kWriteTimeKeys = {"creation_timestamp_ms", "last_updated_timestamp_ms", "creation_timestamp",
                                             "last_updated_timestamp"};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  if (from.empty()) return text;
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// Every string of `value` with the ids of `ids` (from -> to) replaced.
Json with_ids_replaced(const Json& value, const std::map<std::string, std::string>& ids) {
  std::string text = value.dump();
  for (const auto& [from, to] : ids) text = replace_all(text, from, to);
  return Json::parse(text);
}

void blank_keys(Json& value, const std::set<std::string>& keys) {
  if (value.is_object()) {
    for (auto& [key, member] : value.items()) {
      if (keys.count(key) != 0) {
        member = nullptr;
      } else {
        blank_keys(member, keys);
      }
    }
  } else if (value.is_array()) {
    for (auto& element : value) blank_keys(element, keys);
  }
}

HttpResponse send(HttpClient& http, const std::string& method, const std::string& path, const Json& body) {
  if (method == "GET") return http.get(path);
  if (body.is_null()) return http.request(method, path, "", "");
  // A string body travels as the raw bytes (an artifact upload).
  if (body.is_string()) return http.request(method, path, body.get<std::string>(), "application/octet-stream");
  return http.request(method, path, body.dump(), "application/json");
}

// nullopt when `response` answers as the official server did: same status; for an error the same
// error_code; for 200 the same JSON (or, for a raw answer, the same bytes).
std::optional<std::string> difference(const Json& call, const HttpResponse& response, bool written) {
  const int expected_status = call.at("status");
  const Json& expected = call.at("response");
  if (response.status != expected_status) {
    return "status " + std::to_string(response.status) + " instead of " + std::to_string(expected_status) + ": " +
           response.describe();
  }
  if (expected.is_string()) {
    if (response.body == expected.get<std::string>()) return std::nullopt;
    return "body " + response.body + " instead of " + expected.get<std::string>();
  }
  if (!response.json.is_object()) return "not a JSON object: " + response.describe();
  if (expected_status != 200) {
    const std::string code = expected.value("error_code", "");
    if (response.error_code() == code) return std::nullopt;
    return "error_code " + response.error_code() + " instead of " + code + ": " + response.describe();
  }
  Json wanted = expected;
  Json actual = response.json;
  if (written) {
    blank_keys(wanted, kWriteTimeKeys);
    blank_keys(actual, kWriteTimeKeys);
  }
  testing::JsonCompareRules rules;
  rules.ordered_array_keys = {"models"};
  rules.opaque_string_keys = {"next_page_token"};
  const auto first = testing::first_json_difference(wanted, actual, rules);
  if (!first) return std::nullopt;
  return "first difference at " + *first + "\nexpected: " + wanted.dump() + "\ngot:      " + actual.dump();
}

// Every recorded call in order, but 27: without max_results, metrics/get-history answers every point as 2.x
// servers do, where 3.6 answers none (run_model_links_test checks that answer).
std::vector<size_t> replayed_calls() {
  std::vector<size_t> indexes;
  for (size_t index = 0; index < testing::mlflow3_recorded_calls().size(); ++index) {
    if (index != 27) indexes.push_back(index);
  }
  return indexes;
}

TEST(LoggedModelsFixture, AnswersAsTheOfficialServer) {
  ASSERT_EQ(testing::mlflow3_recorded_calls().size(), 66u);
  testing::TempDir data_dir("mlflowcpp-logged-models");
  testing::ServerProcess server(testing::on_fixture_copy("mlflow-3-sample.sqlite", data_dir.path()));
  HttpClient http = server.client();

  // Ids the official server generated -> ours, once our create answered.
  std::map<std::string, std::string> ours;
  for (const size_t index : replayed_calls()) {
    const Json call = with_ids_replaced(testing::mlflow3_recorded_calls().at(index), ours);
    const std::string method = call.at("method");
    const std::string path = call.at("path");
    SCOPED_TRACE("call " + std::to_string(index) + ": " + method + " " + path);
    const HttpResponse response = send(http, method, path, call["body"]);

    const Json& recorded_call = testing::mlflow3_recorded_calls().at(index);
    if (method == "POST" && path == "/api/2.0/mlflow/logged-models" && response.status == 200) {
      // A model created here has its own id, and a generated name of its own when the call gave none.
      const std::string recorded_id = recorded_call.at("response").at("model").at("info").at("model_id");
      const std::string our_id = response.json.at("model").at("info").at("model_id");
      EXPECT_EQ(our_id.size(), recorded_id.size()) << our_id;
      EXPECT_EQ(our_id.rfind("m-", 0), 0u) << our_id;
      ours[recorded_id] = our_id;
    }
    // Our answer in the recorded server's ids.
    std::map<std::string, std::string> recorded_ids;
    for (const auto& [recorded_id, our_id] : ours) recorded_ids[our_id] = recorded_id;
    HttpResponse answer = response;
    if (!answer.json.is_null()) answer.json = with_ids_replaced(answer.json, recorded_ids);
    Json expected_call = recorded_call;
    if (index == 37 && response.status == 200) {
      expected_call["response"]["model"]["info"]["name"] = response.json["model"]["info"]["name"];
    }
    const auto differs = difference(expected_call, answer, index >= 36);
    EXPECT_FALSE(differs.has_value()) << differs.value_or("");
  }
}

// What a client can get wrong, on a fresh database (MLflow 3's schema).
TEST(LoggedModelsOddInputs, AnswerClearErrors) {
  testing::TempDir data_dir("mlflowcpp-logged-models-odd");
  testing::ServerOptions options;
  options.work_dir = data_dir.path();
  testing::ServerProcess server(options);
  HttpClient http = server.client();
  const std::string api = "/api/2.0/mlflow/logged-models";
  const auto expect_error = [&](const std::string& method, const std::string& path, const Json& body, int status,
                                const std::string& code) {
    SCOPED_TRACE(method + " " + path + " " + body.dump());
    const HttpResponse response = send(http, method, path, body);
    EXPECT_EQ(response.status, status) << response.describe();
    EXPECT_EQ(response.error_code(), code) << response.describe();
  };

  const HttpResponse created = http.post(api, Json{{"experiment_id", "0"}, {"name", "odd"}});
  ASSERT_EQ(created.status, 200) << created.describe();
  const std::string id = created.json["model"]["info"]["model_id"];
  const std::string model = api + "/" + id;

  expect_error("GET", api, nullptr, 405, "BAD_REQUEST");
  expect_error("PUT", model, Json::object(), 405, "BAD_REQUEST");
  expect_error("POST", model, Json::object(), 405, "BAD_REQUEST");
  expect_error("GET", model + "/tags", nullptr, 405, "BAD_REQUEST");
  expect_error("GET", model + "/", nullptr, 404, "ENDPOINT_NOT_FOUND");
  expect_error("GET", api + "//tags", nullptr, 404, "ENDPOINT_NOT_FOUND");
  expect_error("GET", model + "/artifacts/files?artifact_file_path=x", nullptr, 404, "ENDPOINT_NOT_FOUND");
  expect_error("GET", api + "/search", nullptr, 404, "RESOURCE_DOES_NOT_EXIST");

  // Finalize and log-params carry the id in the body as well: required, and it must be the path's.
  expect_error("PATCH", model, Json{{"status", "LOGGED_MODEL_READY"}}, 400, "INVALID_PARAMETER_VALUE");
  expect_error("PATCH", model, Json{{"model_id", "m-other"}, {"status", "LOGGED_MODEL_READY"}}, 400,
               "INVALID_PARAMETER_VALUE");
  expect_error("PATCH", model, Json{{"model_id", id}, {"status", "BOGUS"}}, 400, "INVALID_PARAMETER_VALUE");
  expect_error("PATCH", model, Json{{"model_id", id}, {"status", Json::object()}}, 400, "INVALID_PARAMETER_VALUE");
  expect_error("POST", model + "/params", Json{{"params", Json::array({{{"key", "a"}, {"value", "1"}}})}}, 400,
               "INVALID_PARAMETER_VALUE");
  expect_error("POST", model + "/params", Json{{"model_id", id}, {"params", "a=1"}}, 400, "INVALID_PARAMETER_VALUE");

  expect_error("POST", api, Json{{"experiment_id", 5}}, 400, "INVALID_PARAMETER_VALUE");
  expect_error("POST", api + "/search", Json{{"experiment_ids", "0"}}, 400, "INVALID_PARAMETER_VALUE");
  expect_error("POST", api + "/search", Json{{"experiment_ids", {"0"}}, {"max_results", "many"}}, 400,
               "INVALID_PARAMETER_VALUE");
  expect_error("POST", api + "/search", Json{{"experiment_ids", {"0"}}, {"max_results", 1000000000000LL}}, 400,
               "INVALID_PARAMETER_VALUE");
  expect_error("POST", api + "/search", Json{{"experiment_ids", {"0"}}, {"order_by", {{{"ascending", true}}}}}, 400,
               "INVALID_PARAMETER_VALUE");

  const std::string ui = "/ajax-api/2.0/mlflow/logged-models/" + id;
  expect_error("GET", ui + "/artifacts/files", nullptr, 400, "BAD_REQUEST");
  expect_error("GET", ui + "/artifacts/files?artifact_file_path=..%2F..%2Fmlflow.db", nullptr, 400,
               "INVALID_PARAMETER_VALUE");
  expect_error("GET", ui + "/artifacts/files?artifact_file_path=missing.txt", nullptr, 404, "RESOURCE_DOES_NOT_EXIST");
  expect_error("GET", model + "/artifacts/directories?artifact_directory_path=..%2F..", nullptr, 400,
               "INVALID_PARAMETER_VALUE");
  expect_error("GET", api + "/m-missing/artifacts/directories", nullptr, 404, "RESOURCE_DOES_NOT_EXIST");

  // A tag key with a slash and a space, percent-encoded in the path.
  const HttpResponse tagged =
      send(http, "PATCH", model + "/tags", Json{{"tags", {{{"key", "a/b c"}, {"value", "1"}}}}});
  ASSERT_EQ(tagged.status, 200) << tagged.describe();
  const HttpResponse untagged = send(http, "DELETE", model + "/tags/a%2Fb%20c", nullptr);
  EXPECT_EQ(untagged.status, 200) << untagged.describe();
  EXPECT_FALSE(http.get(model).json["model"]["info"].contains("tags"));
  expect_error("DELETE", model + "/tags/a%2Fb%20c", nullptr, 404, "RESOURCE_DOES_NOT_EXIST");

  // The artifact listing takes a subdirectory as artifact_directory_path (MLflow's field) or path.
  const HttpResponse uploaded =
      http.request("PUT", "/api/2.0/mlflow-artifacts/artifacts/0/models/" + id + "/artifacts/dir/f.txt", "hello",
                   "application/octet-stream");
  ASSERT_EQ(uploaded.status, 200) << uploaded.describe();
  for (const std::string field : {"artifact_directory_path", "path"}) {
    const HttpResponse listed = http.get(model + "/artifacts/directories?" + field + "=dir");
    ASSERT_EQ(listed.status, 200) << listed.describe();
    EXPECT_EQ(listed.json["files"], Json::parse(R"([{"path": "dir/f.txt", "is_dir": false, "file_size": 5}])"));
  }
  const HttpResponse root = http.get(model + "/artifacts/directories");
  EXPECT_EQ(root.json["files"], Json::parse(R"([{"path": "dir", "is_dir": true}])")) << root.describe();
  const HttpResponse file = http.get(ui + "/artifacts/files?artifact_file_path=dir%2Ff.txt");
  EXPECT_EQ(file.status, 200);
  EXPECT_EQ(file.body, "hello");
}

class Mlflow2Database : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<testing::FixtureServer>("mlflow-2.9.2-sample.sqlite"); }
  static void TearDownTestSuite() { server_.reset(); }

  static std::unique_ptr<testing::FixtureServer> server_;
};

std::unique_ptr<testing::FixtureServer> Mlflow2Database::server_;

TEST_F(Mlflow2Database, EveryLoggedModelCallAnswersWithTheUpgradeHint) {
  ASSERT_TRUE(server_);
  HttpClient http = server_->client();
  const std::string id = "m-56cbf5817a4f40f08034bff98bf7df02";
  const std::vector<std::tuple<std::string, std::string, Json>> calls = {
      {"POST", "/api/2.0/mlflow/logged-models", Json{{"experiment_id", "1"}, {"name", "x"}}},
      {"GET", "/api/2.0/mlflow/logged-models/" + id, nullptr},
      {"DELETE", "/api/2.0/mlflow/logged-models/" + id, nullptr},
      {"PATCH", "/api/2.0/mlflow/logged-models/" + id, Json{{"model_id", id}, {"status", "LOGGED_MODEL_READY"}}},
      {"POST", "/api/2.0/mlflow/logged-models/search", Json{{"experiment_ids", {"1"}}}},
      {"PATCH", "/api/2.0/mlflow/logged-models/" + id + "/tags", Json{{"tags", {{{"key", "a"}, {"value", "b"}}}}}},
      {"DELETE", "/api/2.0/mlflow/logged-models/" + id + "/tags/a", nullptr},
      {"POST", "/api/2.0/mlflow/logged-models/" + id + "/params",
       Json{{"model_id", id}, {"params", {{{"key", "a"}, {"value", "b"}}}}}},
      {"GET", "/api/2.0/mlflow/logged-models/" + id + "/artifacts/directories", nullptr},
      {"GET", "/ajax-api/2.0/mlflow/logged-models/" + id + "/artifacts/files?artifact_file_path=MLmodel", nullptr},
      {"POST", "/ajax-api/2.0/mlflow/logged-models/search", Json{{"experiment_ids", {"1"}}}},
  };
  for (const auto& [method, path, body] : calls) {
    SCOPED_TRACE(method + " " + path);
    const HttpResponse response = send(http, method, path, body);
    EXPECT_EQ(response.status, 400) << response.describe();
    EXPECT_EQ(response.error_code(), "INVALID_STATE") << response.describe();
    EXPECT_NE(response.json.value("message", "").find("mlflowcpp db upgrade"), std::string::npos)
        << response.describe();
  }
  // The 2.x calls on the same database answer as before.
  EXPECT_EQ(http.get("/api/2.0/mlflow/experiments/get?experiment_id=0").status, 200);
}

TEST_F(Mlflow2Database, UnknownLoggedModelPathsStillAnswerNotFound) {
  ASSERT_TRUE(server_);
  HttpClient http = server_->client();
  const HttpResponse response = http.get("/api/2.0/mlflow/logged-models/m-1/nothing-here");
  EXPECT_EQ(response.status, 404) << response.describe();
  EXPECT_EQ(response.error_code(), "ENDPOINT_NOT_FOUND");
}

// MLflow 3's GenAI endpoints (traces v2 and v3, assessments, scorers,
// evaluation datasets, webhooks, the OTLP trace intake), under both the REST
// and the UI's prefix: MLflow's JSON 404, never the UI's page or a text 404.
TEST(GenAiEndpoints, AnswerEndpointNotFoundAsJson) {
  testing::TempDir data_dir("mlflowcpp-genai-404");
  testing::ServerOptions options;
  options.work_dir = data_dir.path();
  options.extra_args = {"--static-prefix", "/mlflow"};
  testing::ServerProcess server(options);
  HttpClient http = server.client();
  const std::vector<std::pair<std::string, std::string>> calls = {
      {"POST", "/api/2.0/mlflow/traces"},
      {"GET", "/api/2.0/mlflow/traces?experiment_ids=0"},
      {"GET", "/api/2.0/mlflow/traces/tr-1/info"},
      {"PATCH", "/api/2.0/mlflow/traces/tr-1/tags"},
      {"POST", "/api/2.0/mlflow/traces/delete-traces"},
      {"POST", "/api/2.0/mlflow/traces/link-to-run"},
      {"GET", "/api/2.0/mlflow/unified-traces"},
      {"POST", "/api/3.0/mlflow/traces"},
      {"POST", "/api/3.0/mlflow/traces/search"},
      {"GET", "/api/3.0/mlflow/traces/tr-1"},
      {"GET", "/api/3.0/mlflow/traces/batchGet?trace_ids=tr-1"},
      {"POST", "/api/3.0/mlflow/traces/tr-1/assessments"},
      {"PATCH", "/api/3.0/mlflow/traces/tr-1/assessments/a-1"},
      {"POST", "/v1/traces"},
      {"POST", "/api/3.0/mlflow/scorers/register"},
      {"GET", "/api/3.0/mlflow/scorers/list?experiment_id=0"},
      {"POST", "/api/3.0/mlflow/datasets/create"},
      {"POST", "/api/3.0/mlflow/datasets/search"},
      {"GET", "/api/3.0/mlflow/datasets/d-1"},
      {"POST", "/api/3.0/mlflow/datasets/d-1/records"},
      {"POST", "/api/2.0/mlflow/webhooks"},
      {"GET", "/api/2.0/mlflow/webhooks"},
      {"POST", "/api/2.0/mlflow/webhooks/wh-1/test"},
      {"POST", "/mlflow/ajax-api/3.0/mlflow/traces/search"},
      {"GET", "/mlflow/ajax-api/2.0/mlflow/traces?experiment_ids=0"},
      {"POST", "/mlflow/ajax-api/3.0/mlflow/datasets/search"},
      {"GET", "/mlflow/ajax-api/3.0/mlflow/scorers/list?experiment_id=0"},
      {"GET", "/mlflow/ajax-api/2.0/mlflow/get-trace-artifact?request_id=tr-1"},
  };
  for (const auto& [method, path] : calls) {
    SCOPED_TRACE(method + " " + path);
    const HttpResponse response = send(http, method, path, method == "GET" ? Json() : Json::object());
    EXPECT_EQ(response.status, 404) << response.describe();
    EXPECT_EQ(response.content_type().rfind("application/json", 0), 0u) << response.content_type();
    EXPECT_EQ(response.error_code(), "ENDPOINT_NOT_FOUND") << response.describe();
    EXPECT_TRUE(response.json.contains("message")) << response.describe();
  }
}

}  // namespace
}  // namespace mlflowcpp::integration
