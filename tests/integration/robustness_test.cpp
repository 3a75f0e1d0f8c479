// Malformed requests of every kind must get a 4xx JSON error: never a 5xx,
// a crash or a hang. The server must still be healthy afterwards.

#include <gtest/gtest.h>

#include <memory>

#include "integration/tracking_api.hpp"

namespace mlflowcpp::integration {
namespace {

using testing::raw_http_status;
using testing::send_raw_http;

// A malformed value: 400. 2.9.2 lets protobuf parse errors escape as a 500, so
// either 400 code is a fitting replacement.
::testing::AssertionResult IsBadInput(const HttpResponse& response) {
  const std::string code = response.error_code();
  if (response.status == 400 && (code == "INVALID_PARAMETER_VALUE" || code == "BAD_REQUEST")) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "expected 400 INVALID_PARAMETER_VALUE or BAD_REQUEST, got "
                                       << response.describe();
}

class RobustnessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<testing::ServerProcess>();
    HttpClient http = server_->client();
    TrackingApi api(http);
    experiment_id_ = api.create_experiment("robustness");
    run_id_ = api.create_run(experiment_id_, {{"start_time", 1}});
  }
  static void TearDownTestSuite() { server_.reset(); }

  // Every test ends with the server alive and answering.
  void TearDown() override {
    ASSERT_TRUE(server_->running()) << "server died; log:\n" << server_->log();
    auto health = server_->client().get("/health");
    EXPECT_EQ(health.status, 200) << health.describe();
  }

  HttpResponse post_raw(const std::string& path, const std::string& body,
                        const std::string& content_type = "application/json") {
    return http_.request("POST", path, body, content_type);
  }

  HttpClient http_ = server_->client(std::chrono::seconds(60));
  static std::unique_ptr<testing::ServerProcess> server_;
  static std::string experiment_id_, run_id_;
};

std::unique_ptr<testing::ServerProcess> RobustnessTest::server_;
std::string RobustnessTest::experiment_id_, RobustnessTest::run_id_;

TEST_F(RobustnessTest, PostWithoutJsonContentTypeIs400) {
  const std::string body = R"({"name": "content-type-test"})";
  EXPECT_TRUE(IsError(post_raw(kApi + "/experiments/create", body, "text/plain"), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(post_raw(kApi + "/experiments/create", body, ""), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(post_raw(kApi + "/experiments/create", body, "application/x-www-form-urlencoded"), 400,
                      "INVALID_PARAMETER_VALUE"));
  // Parameters after the media type are fine.
  EXPECT_TRUE(IsOk(post_raw(kApi + "/experiments/create", body, "application/json; charset=utf-8")));
}

TEST_F(RobustnessTest, InvalidJsonIsTreatedAsEmptyObject) {
  for (const std::string body : {R"({"name": )", "not json at all", "{'name': 'single quotes'}", "{\"name\": \"x\"",
                                 "", "null"}) {
    auto response = post_raw(kApi + "/experiments/create", body);
    EXPECT_TRUE(IsError(response, 400, "INVALID_PARAMETER_VALUE")) << "body: " << body;
    // The error names the missing field.
    EXPECT_NE(response.json.value("message", "").find("name"), std::string::npos) << response.describe();
  }
}

TEST_F(RobustnessTest, DoubleEncodedJsonIsDecodedTwice) {
  Json inner = {{"name", "double-encoded"}};
  auto response = post_raw(kApi + "/experiments/create", Json(inner.dump()).dump());
  ASSERT_TRUE(IsOk(response));
  EXPECT_TRUE(response.json.contains("experiment_id"));
}

TEST_F(RobustnessTest, WrongTypesAre400) {
  const std::vector<std::pair<std::string, Json>> cases = {
      {"/experiments/create", {{"name", 123}}},
      {"/experiments/create", {{"name", {{"nested", true}}}}},
      {"/experiments/create", {{"name", "wrong-tags"}, {"tags", "not-a-list"}}},
      {"/experiments/create", Json::array({1, 2, 3})},
      {"/runs/create", {{"experiment_id", experiment_id_}, {"start_time", "yesterday"}}},
      {"/runs/create", {{"experiment_id", experiment_id_}, {"tags", {{{"key", 5}, {"value", "v"}}}}}},
      {"/runs/log-metric", {{"run_id", run_id_}, {"key", "m"}, {"value", 1}, {"timestamp", "abc"}}},
      {"/runs/log-metric", {{"run_id", run_id_}, {"key", "m"}, {"value", 1}, {"timestamp", 1}, {"step", 1.5}}},
      {"/runs/log-metric", {{"run_id", run_id_}, {"key", "m"}, {"value", Json::array()}, {"timestamp", 1}}},
      {"/runs/log-metric", {{"run_id", 42}, {"key", "m"}, {"value", 1}, {"timestamp", 1}}},
      {"/runs/log-parameter", {{"run_id", run_id_}, {"key", "p"}, {"value", {{"a", 1}}}}},
      {"/runs/set-tag", {{"run_id", run_id_}, {"key", Json::array()}, {"value", "v"}}},
      {"/runs/log-batch", {{"run_id", run_id_}, {"metrics", {{"not", "a list"}}}}},
      {"/runs/log-batch", {{"run_id", run_id_}, {"params", {1, 2}}}},
      {"/runs/search", {{"experiment_ids", experiment_id_}}},
      {"/runs/search", {{"experiment_ids", {experiment_id_}}, {"max_results", "many"}}},
      {"/runs/search", {{"experiment_ids", {experiment_id_}}, {"filter", 7}}},
      {"/runs/update", {{"run_id", run_id_}, {"end_time", "later"}}},
      {"/experiments/search", {{"max_results", "abc"}}},
      {"/experiments/search", {{"max_results", 10}, {"order_by", "name"}}},
  };
  for (const auto& [path, body] : cases) {
    EXPECT_TRUE(IsBadInput(http_.post(kApi + path, body))) << path << " " << body.dump();
  }
}

TEST_F(RobustnessTest, UnknownEnumNamesAreIgnoredNotFatal) {
  // 2.9.2 parses requests with unknown enum names ignored (runs/update with an
  // unknown status is a 200): an unknown view type falls back to the default.
  auto runs = http_.post(kApi + "/runs/search", {{"experiment_ids", {experiment_id_}}, {"run_view_type", "SOMETIMES"}});
  EXPECT_TRUE(runs.status == 200 || IsClientError(runs)) << runs.describe();
  auto experiments = http_.post(kApi + "/experiments/search", {{"max_results", 10}, {"view_type", "NEVER"}});
  EXPECT_TRUE(experiments.status == 200 || IsClientError(experiments)) << experiments.describe();
}

TEST_F(RobustnessTest, AbsurdNumbersAre400) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/runs/log-metric", R"({"run_id":")" + run_id_ + R"(","key":"m","value":1,"timestamp":1e400})"},
      {"/runs/log-metric", R"({"run_id":")" + run_id_ + R"(","key":"m","value":1,"timestamp":99999999999999999999999})"},
      {"/runs/log-metric", R"({"run_id":")" + run_id_ + R"(","key":"m","value":1,"timestamp":1,"step":-9223372036854775809})"},
      {"/runs/log-metric", R"({"run_id":")" + run_id_ + R"(","key":"m","value":1,"timestamp":1,"step":18446744073709551616})"},
      {"/runs/create", R"({"experiment_id":")" + experiment_id_ + R"(","start_time":1e300})"},
      {"/runs/search", R"({"experiment_ids":[")" + experiment_id_ + R"("],"max_results":-1})"},
      {"/runs/search", R"({"experiment_ids":[")" + experiment_id_ + R"("],"max_results":10000000000})"},
      {"/experiments/search", R"({"max_results":-5})"},
      {"/experiments/search", R"({"max_results":1e10})"},
      {"/experiments/search", R"({"max_results":99999999999999999999999999})"},
  };
  for (const auto& [path, body] : cases) {
    EXPECT_TRUE(IsBadInput(post_raw(kApi + path, body))) << path << " " << body;
  }
  // A metric value beyond double range parses as infinity: accepted (stored as
  // ±DBL_MAX) or refused, but never a server error.
  auto huge_value =
      post_raw(kApi + "/runs/log-metric", R"({"run_id":")" + run_id_ + R"(","key":"huge","value":1e400,"timestamp":1})");
  EXPECT_TRUE(huge_value.status == 200 || IsClientError(huge_value)) << huge_value.describe();
  EXPECT_TRUE(huge_value.json.is_object()) << huge_value.describe();
  // Bad numbers in query strings too.
  EXPECT_TRUE(IsClientError(http_.get(kApi + "/experiments/search?max_results=-1")));
  EXPECT_TRUE(IsClientError(http_.get(kApi + "/experiments/search?max_results=1e999")));
  EXPECT_TRUE(IsClientError(http_.get(kApi + "/experiments/search?max_results=99999999999999999999999")));
  EXPECT_TRUE(IsClientError(
      http_.get(kApi + "/metrics/get-history-bulk-interval?run_ids=" + run_id_ + "&metric_key=m&start_step=x&end_step=1")));
}

TEST_F(RobustnessTest, DeepNestingIsRejectedWithoutCrashing) {
  const std::string open_only(100000, '[');
  EXPECT_TRUE(IsClientError(post_raw(kApi + "/experiments/create", open_only)));
  const std::string balanced = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_TRUE(IsClientError(post_raw(kApi + "/experiments/create", balanced)));
  const std::string nested_value = R"({"name": )" + balanced + "}";
  EXPECT_TRUE(IsClientError(post_raw(kApi + "/experiments/create", nested_value)));
  std::string nested_objects;
  for (int i = 0; i < 100000; ++i) nested_objects += R"({"a":)";
  nested_objects += "1" + std::string(100000, '}');
  EXPECT_TRUE(IsClientError(post_raw(kApi + "/runs/log-batch", nested_objects)));
}

TEST_F(RobustnessTest, FiftyMegabyteBodyIsRefused) {
  std::string big_value(50 * 1024 * 1024, 'x');
  std::string body = R"({"run_id":")" + run_id_ + R"(","params":[{"key":"big","value":")" + big_value + R"("}]})";
  auto response = post_raw(kApi + "/runs/log-batch", body);
  EXPECT_TRUE(IsClientError(response));
  // Not stored.
  auto run = http_.get(kApi + "/runs/get?run_id=" + run_id_);
  ASSERT_TRUE(IsOk(run));
  EXPECT_EQ(key_values(run.json["run"]["data"], "params").count("big"), 0u);
}

TEST_F(RobustnessTest, InvalidUtf8InJsonIs4xx) {
  // Raw 0xFF 0xFE inside a JSON string: not valid JSON text.
  auto in_create = post_raw(kApi + "/experiments/create", "{\"name\": \"bad\xff\xfe\"}");
  EXPECT_TRUE(IsClientError(in_create));
  auto in_tag = post_raw(kApi + "/runs/set-tag",
                         "{\"run_id\": \"" + run_id_ + "\", \"key\": \"k\", \"value\": \"\xc3\x28\"}");
  EXPECT_TRUE(IsClientError(in_tag));
  // Lone surrogate escapes.
  auto surrogate = post_raw(kApi + "/experiments/create", R"({"name": "\ud800"})");
  EXPECT_TRUE(surrogate.status == 200 || IsClientError(surrogate)) << surrogate.describe();
  EXPECT_TRUE(surrogate.json.is_object()) << "the answer must stay valid JSON: " << surrogate.describe();
  // Whatever was stored, reading it back is valid JSON.
  EXPECT_TRUE(IsOk(http_.post(kApi + "/experiments/search", {{"max_results", 1000}})));
  auto tagged = post_raw(kApi + "/runs/set-tag",
                         R"({"run_id": ")" + run_id_ + R"(", "key": "surrogate", "value": "a\udc00b"})");
  EXPECT_TRUE(tagged.status == 200 || IsClientError(tagged)) << tagged.describe();
  EXPECT_TRUE(IsOk(http_.get(kApi + "/runs/get?run_id=" + run_id_)));
}

TEST_F(RobustnessTest, InvalidUtf8InQueryStringIs4xx) {
  auto encoded = http_.get(kApi + "/experiments/get-by-name?experiment_name=%FF%FE%FD");
  EXPECT_TRUE(IsClientError(encoded));
  auto in_run_id = http_.get(kApi + "/runs/get?run_id=%C3%28");
  EXPECT_TRUE(IsClientError(in_run_id));
  auto in_filter = http_.get(kApi + "/experiments/search?max_results=5&filter=name%20%3D%20%27%FF%27");
  EXPECT_TRUE(in_filter.status == 200 || IsClientError(in_filter)) << in_filter.describe();
  EXPECT_TRUE(in_filter.json.is_object()) << in_filter.describe();
  // Raw (unescaped) high bytes in the request line.
  auto raw = http_.get(kApi + "/experiments/get-by-name?experiment_name=\xff\xfe");
  EXPECT_TRUE(raw.status == 0 || IsClientError(raw)) << raw.describe();
  // Broken percent escapes.
  auto broken = http_.get(kApi + "/experiments/get-by-name?experiment_name=%zz%4");
  EXPECT_TRUE(IsClientError(broken));
}

TEST_F(RobustnessTest, UnknownRouteIs404Json) {
  for (const std::string path : {"/api/2.0/mlflow/no-such-endpoint", "/api/2.0/mlflow/runs/get/extra",
                                 "/api/9.0/mlflow/runs/get", "/ajax-api/2.0/mlflow/nothing",
                                 "/api/2.0/mlflow/../../etc/passwd"}) {
    auto response = http_.get(path);
    EXPECT_EQ(response.status, 404) << path << ": " << response.describe();
    EXPECT_FALSE(response.error_code().empty()) << path << ": " << response.describe();
  }
  auto post = http_.post("/api/2.0/mlflow/no-such-endpoint", Json::object());
  EXPECT_EQ(post.status, 404) << post.describe();
  EXPECT_FALSE(post.error_code().empty()) << post.describe();
}

TEST_F(RobustnessTest, WrongMethodIs405Json) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"GET", kApi + "/experiments/create"},  {"GET", kApi + "/runs/log-metric"},
      {"POST", kApi + "/runs/get?run_id=x"},  {"DELETE", kApi + "/runs/get?run_id=x"},
      {"PUT", kApi + "/experiments/create"},  {"PATCH", kApi + "/runs/update"},
      {"GET", kApi + "/runs/search"},         {"POST", kApi + "/metrics/get-history"},
  };
  for (const auto& [method, path] : cases) {
    auto response = http_.request(method, path, method == "GET" ? "" : "{}", "application/json");
    EXPECT_EQ(response.status, 405) << method << " " << path << ": " << response.describe();
    EXPECT_FALSE(response.error_code().empty()) << method << " " << path << ": " << response.describe();
  }
}

TEST_F(RobustnessTest, GetBodyIsIgnoredAndKeepsTheConnectionUsable) {
  // A GET may carry a body (ignored); the connection must stay in sync for the
  // next request on it.
  for (int round = 0; round < 5; ++round) {
    auto with_body = http_.request("GET", kApi + "/experiments/get?experiment_id=0", R"({"ignored": true})",
                                   "application/json");
    EXPECT_TRUE(IsOk(with_body)) << "round " << round;
    auto next = http_.get(kApi + "/experiments/get?experiment_id=0");
    EXPECT_TRUE(IsOk(next)) << "round " << round;
    auto refused = http_.request("GET", kApi + "/runs/log-metric", "{}", "application/json");
    EXPECT_EQ(refused.status, 405) << "round " << round << ": " << refused.describe();
    auto after_refusal = http_.get("/health");
    EXPECT_EQ(after_refusal.status, 200) << "round " << round << ": " << after_refusal.describe();
  }
}

TEST_F(RobustnessTest, NulBytesAreHandled) {
  // Escaped NUL inside a key: not a valid key.
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/set-tag", {{"run_id", run_id_}, {"key", std::string("a\0b", 3)}, {"value", "v"}}),
                      400, "INVALID_PARAMETER_VALUE"));
  // Escaped NUL inside a value or name: stored faithfully or refused, never a 5xx.
  auto in_value = http_.post(kApi + "/runs/set-tag", {{"run_id", run_id_}, {"key", "nul"}, {"value", std::string("x\0y", 3)}});
  EXPECT_TRUE(in_value.status == 200 || IsClientError(in_value)) << in_value.describe();
  auto in_name = http_.post(kApi + "/experiments/create", {{"name", std::string("nul\0name", 8)}});
  EXPECT_TRUE(in_name.status == 200 || IsClientError(in_name)) << in_name.describe();
  // A raw NUL byte in the body: invalid JSON, so {}.
  EXPECT_TRUE(IsError(post_raw(kApi + "/experiments/create", std::string("{\"name\": \"a\0b\"}", 16)), 400,
                      "INVALID_PARAMETER_VALUE"));
  // NUL in the query string and in the request line.
  auto in_query = http_.get(kApi + "/runs/get?run_id=%00abc");
  EXPECT_TRUE(IsClientError(in_query));
  std::string raw_line = "GET /api/2.0/mlflow/runs/get?run_id=a" + std::string(1, '\0') +
                         "b HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  std::string answer = send_raw_http(server_->port(), raw_line);
  int status = raw_http_status(answer);
  EXPECT_TRUE(status == 0 || (status >= 400 && status < 500)) << answer.substr(0, 300);
}

TEST_F(RobustnessTest, BrokenHttpDoesNotHangTheServer) {
  // Each malformed request on its own connection gets a prompt 4xx answer.
  const auto answered_4xx_promptly = [&](const std::string& raw) {
    const auto started = std::chrono::steady_clock::now();
    std::string answer = send_raw_http(server_->port(), raw, std::chrono::seconds(3));
    const auto took = std::chrono::steady_clock::now() - started;
    const int status = raw_http_status(answer);
    if (status >= 400 && status < 500 && took < std::chrono::seconds(3)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "no prompt 4xx answer (got " << status << " after "
                                         << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                                         << " ms): " << answer.substr(0, 200);
  };
  EXPECT_TRUE(answered_4xx_promptly("NOT HTTP AT ALL\r\n\r\n"));
  EXPECT_TRUE(answered_4xx_promptly("GET /health HTTP/9.9.9 extra\r\n\r\n"));
  EXPECT_TRUE(answered_4xx_promptly(
      "POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"));
  EXPECT_TRUE(answered_4xx_promptly(
      "POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"));
  // A chunked JSON body would be read whole, uncapped: refused before it is read.
  EXPECT_TRUE(answered_4xx_promptly(
      "POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n8\r\n{\"name\":\r\n"));
  // A truncated body: the client gives up; the server must carry on.
  send_raw_http(server_->port(),
                "POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Content-Length: 1000\r\n\r\n{\"name\":",
                std::chrono::milliseconds(200));
  // Meanwhile, other clients are served.
  auto health = server_->client().get("/health");
  EXPECT_EQ(health.status, 200);
}

TEST_F(RobustnessTest, InjectionLookingInputIsJustData) {
  EXPECT_TRUE(IsError(http_.get(kApi + "/runs/get?run_id=" + testing::url_encode("' OR 1=1 --")), 404,
                      "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(http_.get(kApi + "/experiments/get?experiment_id=" + testing::url_encode("1 OR 1=1")), 404,
                      "RESOURCE_DOES_NOT_EXIST"));
  auto search = http_.post(kApi + "/runs/search", {{"experiment_ids", {experiment_id_}},
                                                   {"filter", "tags.x = 'a'' OR ''1''=''1'"}});
  EXPECT_TRUE(search.status == 200 || IsClientError(search)) << search.describe();
  if (search.status == 200) {
    EXPECT_FALSE(search.json.contains("runs")) << search.body;
  }
}

}  // namespace
}  // namespace mlflowcpp::integration
