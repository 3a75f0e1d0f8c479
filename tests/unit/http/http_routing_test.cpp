// Routing, error bodies, request parsing rules and the static UI, over real HTTP.

#include "http_test_server.hpp"
#include "server/http/directory_ui_files.hpp"

#include <mlflowcpp/version.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <fstream>

namespace mlflowcpp::server::http::testing {
namespace {

using protocol::Json;

// Sends raw bytes on a fresh connection and returns the first response (or what
// came before `timeout_ms` passed).
std::string send_raw(int port, const std::string& request, int timeout_ms = 3000) {
  const int socket_fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (socket_fd < 0) return "";
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(socket_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  std::string answer;
  if (::connect(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::send(socket_fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
    char buffer[4096];
    for (ssize_t n; (n = ::recv(socket_fd, buffer, sizeof(buffer), 0)) > 0;) {
      answer.append(buffer, n);
      // Stop at the end of the first complete response.
      const auto header_end = answer.find("\r\n\r\n");
      if (header_end == std::string::npos) continue;
      const auto length_at = answer.find("Content-Length: ");
      const std::size_t length =
          length_at != std::string::npos && length_at < header_end ? std::stoul(answer.substr(length_at + 16)) : 0;
      if (answer.size() >= header_end + 4 + length) break;
    }
  }
  ::close(socket_fd);
  return answer;
}

TEST(Routing, HealthAndVersion) {
  TestServer server;
  auto health = server.client().Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "OK");
  EXPECT_EQ(health->get_header_value("Content-Type").rfind("text/plain", 0), 0u);
  auto version = server.client().Get("/version");
  ASSERT_TRUE(version);
  EXPECT_EQ(version->body, kMlflowProtocolVersion);
}

TEST(Routing, UnknownPathIsJson404) {
  TestServer server;
  for (const std::string path : {"/api/2.0/mlflow/nope", "/nope", "/api/2.0/mlflow/runs/get/extra"}) {
    auto response = server.get(path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.json.value("error_code", ""), "ENDPOINT_NOT_FOUND") << path;
    EXPECT_TRUE(response.json.contains("message"));
  }
  auto post = server.post("/api/2.0/mlflow/nothing", "{}");
  EXPECT_EQ(post.status, 404);
  EXPECT_EQ(post.json.value("error_code", ""), "ENDPOINT_NOT_FOUND");
}

TEST(Routing, WrongMethodIsJson405) {
  TestServer server;
  auto get_on_post = server.get("/api/2.0/mlflow/runs/create");
  EXPECT_EQ(get_on_post.status, 405);
  EXPECT_TRUE(get_on_post.json.is_object());
  EXPECT_TRUE(get_on_post.json.contains("error_code"));
  auto post_on_get = server.post("/api/2.0/mlflow/runs/get", "{}");
  EXPECT_EQ(post_on_get.status, 405);
  auto delete_on_post = TestServer::to_json_response(server.client().Delete("/api/2.0/mlflow/experiments/create"));
  EXPECT_EQ(delete_on_post.status, 405);
  // runs/search is POST only, experiments/search both.
  EXPECT_EQ(server.get("/api/2.0/mlflow/runs/search").status, 405);
  EXPECT_EQ(server.get("/api/2.0/mlflow/experiments/search?max_results=10").status, 200);
}

TEST(Routing, AjaxPrefixMirrorsEveryEndpoint) {
  TestServer server;
  auto api = server.get("/api/2.0/mlflow/experiments/get?experiment_id=0");
  auto ajax = server.get("/ajax-api/2.0/mlflow/experiments/get?experiment_id=0");
  EXPECT_EQ(api.status, 200);
  EXPECT_EQ(ajax.status, 200);
  EXPECT_EQ(api.json, ajax.json);
  // UI-only endpoints live under the ajax prefix alone.
  EXPECT_EQ(server.get("/api/2.0/mlflow/metrics/get-history-bulk?run_id=x&metric_key=m").status, 404);
  EXPECT_EQ(server.get("/ajax-api/2.0/mlflow/metrics/get-history-bulk?run_id=x&metric_key=m").status, 200);
  auto gateway_get = server.get("/ajax-api/2.0/mlflow/gateway-proxy");
  EXPECT_EQ(gateway_get.status, 200);
  EXPECT_EQ(gateway_get.json, (Json{{"endpoints", Json::array()}}));
  EXPECT_EQ(server.post("/ajax-api/2.0/mlflow/gateway-proxy", "{}").json, (Json{{"endpoints", Json::array()}}));
}

TEST(Routing, StaticPrefixAppliesToAjaxHealthVersionButNotApi) {
  HttpServerOptions options;
  options.serving.static_prefix = "/mlflow";
  TestServer server(options);
  EXPECT_EQ(server.get("/mlflow/health").status, 200);
  EXPECT_EQ(server.get("/mlflow/version").status, 200);
  EXPECT_EQ(server.get("/health").status, 404);
  EXPECT_EQ(server.get("/mlflow/ajax-api/2.0/mlflow/experiments/get?experiment_id=0").status, 200);
  EXPECT_EQ(server.get("/ajax-api/2.0/mlflow/experiments/get?experiment_id=0").status, 404);
  EXPECT_EQ(server.get("/api/2.0/mlflow/experiments/get?experiment_id=0").status, 200);
}

TEST(ContentType, PostRequiresJson) {
  TestServer server;
  const std::string path = "/api/2.0/mlflow/experiments/create";
  auto plain = server.post(path, R"({"name": "a"})", "text/plain");
  EXPECT_EQ(plain.status, 400);
  EXPECT_EQ(plain.json.value("error_code", ""), "INVALID_PARAMETER_VALUE");
  auto form = server.post(path, R"({"name": "a"})", "application/x-www-form-urlencoded");
  EXPECT_EQ(form.status, 400);
  auto charset = server.post(path, R"({"name": "b"})", "application/json; charset=utf-8");
  EXPECT_EQ(charset.status, 200) << charset.body;
  httplib::Headers no_headers;
  auto missing = TestServer::to_json_response(server.client().Post(path, no_headers, R"({"name": "c"})", ""));
  EXPECT_EQ(missing.status, 400);
}

TEST(RequestParsing, InvalidJsonIsAnEmptyObject) {
  TestServer server;
  auto response = server.post("/api/2.0/mlflow/experiments/create", "{not json");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.json.value("error_code", ""), "INVALID_PARAMETER_VALUE");
  EXPECT_NE(response.json.value("message", "").find("'name'"), std::string::npos) << response.body;
  auto empty = server.post("/api/2.0/mlflow/experiments/create", "");
  EXPECT_EQ(empty.status, 400);
  EXPECT_NE(empty.json.value("message", "").find("'name'"), std::string::npos);
  auto array = server.post("/api/2.0/mlflow/experiments/create", "[1,2]");
  EXPECT_EQ(array.status, 400);
}

TEST(RequestParsing, DoubleEncodedBodyIsDecodedTwice) {
  TestServer server;
  const std::string inner = protocol::dump(Json{{"name", "double-encoded"}});
  auto response = server.post("/api/2.0/mlflow/experiments/create", protocol::dump(Json(inner)));
  EXPECT_EQ(response.status, 200) << response.body;
  auto fetched = server.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=double-encoded");
  EXPECT_EQ(fetched.status, 200);
}

TEST(RequestParsing, WrongJsonTypesAre400) {
  TestServer server;
  const auto expect_400 = [&](const std::string& path, const Json& body) {
    auto response = server.post_json(path, body);
    EXPECT_EQ(response.status, 400) << path << " " << protocol::dump(body) << " -> " << response.body;
    EXPECT_EQ(response.json.value("error_code", ""), "INVALID_PARAMETER_VALUE");
  };
  expect_400("/api/2.0/mlflow/experiments/create", Json{{"name", 5}});
  expect_400("/api/2.0/mlflow/experiments/create", Json{{"name", "x"}, {"tags", "notalist"}});
  expect_400("/api/2.0/mlflow/experiments/create", Json{{"name", "x"}, {"tags", Json::array({1})}});
  expect_400("/api/2.0/mlflow/runs/search", Json{{"experiment_ids", "0"}});
  expect_400("/api/2.0/mlflow/runs/search", Json{{"max_results", "many"}});
  expect_400("/api/2.0/mlflow/runs/search", Json{{"max_results", true}});
  expect_400("/api/2.0/mlflow/runs/search", Json{{"max_results", 1e300}});
  expect_400("/api/2.0/mlflow/runs/search", Json{{"max_results", "99999999999999999999999"}});
  const std::string run_id = server.create_run("0");
  expect_400("/api/2.0/mlflow/runs/log-metric",
             Json{{"run_id", run_id}, {"key", "m"}, {"value", "high"}, {"timestamp", 1}});
  expect_400("/api/2.0/mlflow/runs/log-metric",
             Json{{"run_id", run_id}, {"key", "m"}, {"value", true}, {"timestamp", 1}});
  expect_400("/api/2.0/mlflow/runs/log-metric",
             Json{{"run_id", run_id}, {"key", "m"}, {"value", 1}, {"timestamp", 1.5}});
}

TEST(RequestParsing, Int64AcceptsNumbersAndDecimalStrings) {
  TestServer server;
  const std::string run_id = server.create_run("0");
  auto number = server.post_json("/api/2.0/mlflow/runs/log-metric",
                            Json{{"run_id", run_id}, {"key", "m"}, {"value", 1.5}, {"timestamp", 10}, {"step", 2}});
  EXPECT_EQ(number.status, 200) << number.body;
  auto text = server.post_json("/api/2.0/mlflow/runs/log-metric",
                          Json{{"run_id", run_id}, {"key", "m"}, {"value", "NaN"}, {"timestamp", "11"}, {"step", "3"}});
  EXPECT_EQ(text.status, 200) << text.body;
  auto inf = server.post_json("/api/2.0/mlflow/runs/log-metric",
                         Json{{"run_id", run_id}, {"key", "m"}, {"value", "-Infinity"}, {"timestamp", 12}});
  EXPECT_EQ(inf.status, 200) << inf.body;
  auto history = server.get("/api/2.0/mlflow/metrics/get-history?run_id=" + run_id + "&metric_key=m");
  ASSERT_EQ(history.status, 200);
  ASSERT_EQ(history.json["metrics"].size(), 3u);
}

TEST(RequestParsing, GetFieldsComeFromTheQueryString) {
  TestServer server;
  const std::string experiment_id = server.create_experiment("query-exp");
  auto by_id = server.get("/api/2.0/mlflow/experiments/get?experiment_id=" + experiment_id);
  EXPECT_EQ(by_id.status, 200);
  EXPECT_EQ(by_id.json["experiment"].value("name", ""), "query-exp");
  // Repeated keys are lists; enums by name or number.
  auto search = server.get("/api/2.0/mlflow/experiments/search?max_results=10&view_type=ALL&order_by=name%20ASC");
  ASSERT_EQ(search.status, 200) << search.body;
  EXPECT_EQ(search.json["experiments"].size(), 2u);
  auto by_number = server.get("/api/2.0/mlflow/experiments/search?max_results=10&view_type=2");
  EXPECT_EQ(by_number.status, 200);
  EXPECT_FALSE(by_number.json.contains("experiments"));
  auto bad_int = server.get("/api/2.0/mlflow/experiments/search?max_results=ten");
  EXPECT_EQ(bad_int.status, 400);
}

TEST(RequestParsing, GetSkipsRequiredFieldChecks) {
  TestServer server;
  auto no_key = server.get("/api/2.0/mlflow/metrics/get-history?run_id=abc");
  EXPECT_EQ(no_key.status, 200) << no_key.body;
  EXPECT_EQ(no_key.json, Json::object());
  auto missing_run = server.get("/api/2.0/mlflow/metrics/get-history?run_id=0123456789abcdef0123456789abcdef&metric_key=m");
  EXPECT_EQ(missing_run.status, 200) << missing_run.body;
  EXPECT_EQ(missing_run.json, Json::object());
  // Without any query string the body is read and required fields are enforced.
  auto bare = server.get("/api/2.0/mlflow/experiments/get");
  EXPECT_EQ(bare.status, 400);
}

TEST(RequestParsing, RunUuidIsAcceptedForRunId) {
  TestServer server;
  const std::string run_id = server.create_run("0");
  EXPECT_EQ(server.get("/api/2.0/mlflow/runs/get?run_uuid=" + run_id).status, 200);
  auto tag = server.post_json("/api/2.0/mlflow/runs/set-tag", Json{{"run_uuid", run_id}, {"key", "k"}, {"value", "v"}});
  EXPECT_EQ(tag.status, 200) << tag.body;
}

TEST(Robustness, HostileBodiesGetA4xx) {
  TestServer server;
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto nested = server.post("/api/2.0/mlflow/experiments/create", deep);
  EXPECT_EQ(nested.status, 400);
  const std::string deep_object = "{\"name\":" + std::string(5000, '[') + "1" + std::string(5000, ']') + "}";
  EXPECT_EQ(server.post("/api/2.0/mlflow/experiments/create", deep_object).status, 400);
  auto invalid_utf8 = server.post("/api/2.0/mlflow/experiments/create", "{\"name\": \"bad\xFF\xFE\"}");
  EXPECT_EQ(invalid_utf8.status, 400);
  auto huge_number = server.post("/api/2.0/mlflow/experiments/search", R"({"max_results": 1e999999})");
  EXPECT_LT(huge_number.status, 500);
  EXPECT_GE(huge_number.status, 400);
  // Invalid UTF-8 in a query string reaches the store and comes back replaced, never as a crash.
  auto weird_name = server.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=%FF%FE");
  EXPECT_EQ(weird_name.status, 404);
  EXPECT_TRUE(weird_name.json.is_object()) << weird_name.body;
}

TEST(Robustness, LogBatchBodyOverOneMegabyteIs400) {
  TestServer server;
  const std::string run_id = server.create_run("0");
  Json body{{"run_id", run_id}, {"tags", Json::array({Json{{"key", "t"}, {"value", std::string(1000001, 'x')}}})}};
  auto response = server.post_json("/api/2.0/mlflow/runs/log-batch", body);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.json.value("error_code", ""), "INVALID_PARAMETER_VALUE");
}

TEST(Robustness, BodyOverThePayloadLimitIsRejected) {
  HttpServerOptions options;
  options.max_body_bytes = 1024;
  TestServer server(options);
  auto response = server.post("/api/2.0/mlflow/experiments/create", std::string(4096, ' '));
  EXPECT_EQ(response.status, 413);
  EXPECT_TRUE(response.json.contains("error_code")) << response.body;
}

TEST(Robustness, LongUrlIsNotACrash) {
  TestServer server;
  auto response = server.client().Get("/api/2.0/mlflow/" + std::string(8000, 'a'));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  auto longer = server.client().Get("/" + std::string(20000, 'a'));
  ASSERT_TRUE(longer);
  EXPECT_EQ(longer->status, 414);
}

TEST(Robustness, GetWithABodyKeepsTheConnectionUsable) {
  TestServer server;
  for (int round = 0; round < 3; ++round) {
    auto with_body = server.client().Get("/api/2.0/mlflow/experiments/get?experiment_id=0",
                                         httplib::Headers{{"Content-Length", "17"}});
    (void)with_body;
    auto response = TestServer::to_json_response(server.client().Get("/api/2.0/mlflow/experiments/get?experiment_id=0"));
    EXPECT_EQ(response.status, 200) << response.body;
  }
  // The same over one raw connection: the unread body must not be taken for a request.
  const std::string answer = send_raw(server.port(),
                                      "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nGET /x");
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
}

TEST(Robustness, BadContentLengthIsAPrompt4xx) {
  TestServer server;
  for (const std::string length : {"-5", "abc", "99999999999999999999999"}) {
    const auto started = std::chrono::steady_clock::now();
    const std::string answer =
        send_raw(server.port(), "POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                                    length + "\r\n\r\n");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2)) << length;
    EXPECT_EQ(answer.rfind("HTTP/1.1 4", 0), 0u) << length << ": " << answer;
  }
  EXPECT_EQ(server.get("/health").status, 200);
}

TEST(Robustness, IntegerOverflowIs400) {
  TestServer server;
  const std::string run_id = server.create_run("0");
  for (const std::string step : {"-9223372036854775809", "9223372036854775808", "18446744073709551616", "1e400"}) {
    auto response = server.post("/api/2.0/mlflow/runs/log-metric",
                                R"({"run_id":")" + run_id + R"(","key":"m","value":1,"timestamp":1,"step":)" + step + "}");
    EXPECT_EQ(response.status, 400) << step << ": " << response.body;
  }
  auto minimum = server.post("/api/2.0/mlflow/runs/log-metric",
                             R"({"run_id":")" + run_id + R"(","key":"m","value":1,"timestamp":1,"step":-9223372036854775808})");
  EXPECT_EQ(minimum.status, 200) << minimum.body;
}

TEST(ArtifactsOnly, TrackingRoutesAnswer503) {
  HttpServerOptions options;
  options.serving.artifacts_only = true;
  TestServer server(options);
  EXPECT_EQ(server.get("/api/2.0/mlflow/experiments/get?experiment_id=0").status, 503);
  EXPECT_EQ(server.get("/health").status, 200);
}

TEST(StaticUi, ServesIndexAndFilesConfinedToTheDirectory) {
  TempDirectory build;
  std::filesystem::create_directories(build.path() / "static-files" / "static" / "js");
  std::ofstream(build.path() / "index.html") << "<html>mlflow</html>";
  std::ofstream(build.path() / "static-files" / "static" / "js" / "main.abc.js") << "console.log(1)";
  std::ofstream(build.path() / "favicon.svg") << "<svg/>";
  HttpServerOptions options;
  options.serving.static_prefix = "/ui";
  TestServer server(options, "", "mlflow-artifacts:/", build.path().string());
  std::ofstream(server.directory() / "secret.txt") << "secret";

  auto index = server.client().Get("/ui/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->body, "<html>mlflow</html>");
  EXPECT_EQ(index->get_header_value("Content-Type").rfind("text/html", 0), 0u);

  auto js = server.client().Get("/ui/static-files/static-files/static/js/main.abc.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->get_header_value("Content-Type"), "application/javascript");
  auto svg = server.client().Get("/ui/static-files/favicon.svg");
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->get_header_value("Content-Type"), "image/svg+xml");

  EXPECT_EQ(server.get("/ui/static-files/missing.js").status, 404);
  EXPECT_EQ(server.get("/ui/static-files/../index.html").status, 404);
  EXPECT_EQ(server.get("/ui/static-files/%2e%2e/%2e%2e/etc/passwd").status, 404);
  EXPECT_EQ(server.get("/ui/static-files//etc/passwd").status, 404);
}

TEST(StaticUi, ContentTypes) {
  EXPECT_EQ(content_type_for("a.js"), "application/javascript");
  EXPECT_EQ(content_type_for("a.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("a.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("a.map"), "application/json");
  EXPECT_EQ(content_type_for("a.ico"), "image/vnd.microsoft.icon");
  EXPECT_EQ(content_type_for("a.png"), "image/png");
  EXPECT_EQ(content_type_for("noext"), "application/octet-stream");
}

}  // namespace
}  // namespace mlflowcpp::server::http::testing
