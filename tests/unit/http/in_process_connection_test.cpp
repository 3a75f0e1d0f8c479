// The in-process connection without the store module: requests through the server's pipeline in memory, the
// default artifact root as MLflow resolves it, and the in-memory request and reply the pipeline sees.

#include <gtest/gtest.h>

#include "server/app/in_process_connection.hpp"
#include "server/http/in_memory_exchange.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "testing/temp_dir.hpp"

namespace mlflowcpp::server {
namespace {

namespace fs = std::filesystem;

HttpRequest post(const std::string& path, const nlohmann::json& body) {
  HttpRequest request;
  request.method = "POST";
  request.path = path;
  request.body = body.dump();
  return request;
}

TEST(DefaultArtifactRoot, ResolvesAsMlflowDoes) {
  const std::string cwd = fs::current_path().lexically_normal().generic_string();
  EXPECT_EQ(resolve_default_artifact_root("", std::nullopt), cwd + "/mlruns");
  EXPECT_EQ(resolve_default_artifact_root("", std::string("")), cwd + "/mlruns");
  EXPECT_EQ(resolve_default_artifact_root("", std::string("art")), cwd + "/art");
  EXPECT_EQ(resolve_default_artifact_root("/data/x/../y", std::string("ignored")), "/data/y");
  EXPECT_EQ(resolve_default_artifact_root("s3://bucket/prefix", std::nullopt), "s3://bucket/prefix");
  EXPECT_EQ(resolve_default_artifact_root("file:///abs/root", std::nullopt), "file:///abs/root");
  EXPECT_EQ(resolve_default_artifact_root("file:rel", std::nullopt), "file://" + cwd + "/rel");
}

TEST(InProcessConnection, AnswersAsTheServerDoes) {
  testing::TempDir dir("mlflowcpp-in-process");
  InProcessOptions options;
  options.default_artifact_root = (dir.path() / "artifacts").string();
  auto connection = open_in_process_connection("sqlite:///" + (dir.path() / "runs.db").string(), options);

  const HttpResponse created = connection->send(post("/api/2.0/mlflow/experiments/create", {{"name", "x"}}));
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string id = nlohmann::json::parse(created.body)["experiment_id"];

  HttpRequest get;
  get.method = "GET";
  get.path = "/api/2.0/mlflow/experiments/get";
  get.query = {{"experiment_id", id}};
  const HttpResponse got = connection->send(get);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(nlohmann::json::parse(got.body)["experiment"]["artifact_location"],
            (dir.path() / "artifacts" / id).string());
  EXPECT_EQ(got.header("content-type").value_or(""), "application/json");

  const HttpResponse duplicate = connection->send(post("/api/2.0/mlflow/experiments/create", {{"name", "x"}}));
  EXPECT_EQ(duplicate.status, 400);
  EXPECT_EQ(nlohmann::json::parse(duplicate.body)["error_code"], "RESOURCE_ALREADY_EXISTS");

  HttpRequest unknown;
  unknown.method = "GET";
  unknown.path = "/api/2.0/mlflow/no-such-thing";
  EXPECT_EQ(connection->send(unknown).status, 404);

  const HttpResponse nameless = connection->send(post("/api/2.0/mlflow/experiments/create", nlohmann::json::object()));
  EXPECT_EQ(nameless.status, 400) << nameless.body;
  EXPECT_EQ(nlohmann::json::parse(nameless.body)["error_code"], "INVALID_PARAMETER_VALUE");
}

TEST(InProcessConnection, ServesManyThreadsAtOnce) {
  testing::TempDir dir("mlflowcpp-in-process");
  InProcessOptions options;
  options.default_artifact_root = (dir.path() / "artifacts").string();
  auto connection = open_in_process_connection("sqlite:///" + (dir.path() / "runs.db").string(), options);
  const HttpResponse run = connection->send(post("/api/2.0/mlflow/runs/create", {{"experiment_id", "0"}}));
  ASSERT_EQ(run.status, 200) << run.body;
  const std::string run_id = nlohmann::json::parse(run.body)["run"]["info"]["run_id"];

  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int step = 0; step < 25; ++step) {
        const nlohmann::json metric = {{"run_id", run_id}, {"key", "m" + std::to_string(t)}, {"value", step},
                                       {"timestamp", 1}, {"step", step}};
        EXPECT_EQ(connection->send(post("/api/2.0/mlflow/runs/log-metric", metric)).status, 200);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  HttpRequest history;
  history.method = "GET";
  history.path = "/api/2.0/mlflow/metrics/get-history";
  history.query = {{"run_id", run_id}, {"metric_key", "m3"}};
  const HttpResponse answer = connection->send(history);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(nlohmann::json::parse(answer.body)["metrics"].size(), 25u);
}

TEST(InMemoryExchange, DecodesThePathAndCollectsAStreamedBody) {
  http::InMemoryRequest request("GET", "/get-artifact/a%20b%2Fc%zz", {}, "", {{"X-Custom", "1"}});
  EXPECT_EQ(request.path(), "/get-artifact/a b/c%zz");
  EXPECT_EQ(request.header("x-custom").value_or(""), "1");
  EXPECT_FALSE(request.header("Content-Length").has_value());

  http::InMemoryReply reply;
  bool sent = false;
  reply.stream(10, "text/plain", [](std::uint64_t offset, std::uint64_t length, const http::ReplyChunkSink& sink) {
    const std::string digits = "0123456789";
    const std::uint64_t count = std::min<std::uint64_t>(length, 4);
    sink(digits.data() + offset, count);
    return count;
  });
  reply.when_sent([&](std::uint64_t bytes, bool complete) { sent = bytes == 10 && complete; });
  reply.finish();
  EXPECT_EQ(reply.status(), 200);
  EXPECT_EQ(reply.body(), "0123456789");
  EXPECT_TRUE(sent);
  EXPECT_EQ(reply.headers().front(), (std::pair<std::string, std::string>{"content-type", "text/plain"}));
}

}  // namespace
}  // namespace mlflowcpp::server
