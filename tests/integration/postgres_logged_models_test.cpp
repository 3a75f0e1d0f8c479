// MLflow 3's logged models over HTTP on PostgreSQL: the calls of a model's
// life on a new database (MLflow 3's schema), and the upgrade hint on the
// database the official MLflow 2.9.2 server wrote.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "integration/tracking_api.hpp"
#include "testing/postgres_process.hpp"
#include "testing/server_process.hpp"

namespace mlflowcpp::integration {
namespace {

class PostgresLoggedModels : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { postgres_ = std::make_unique<testing::PostgresProcess>(); }
  static void TearDownTestSuite() { postgres_.reset(); }

  static std::unique_ptr<testing::PostgresProcess> postgres_;
};

std::unique_ptr<testing::PostgresProcess> PostgresLoggedModels::postgres_;

HttpResponse send_json(HttpClient& http, const std::string& method, const std::string& path, const Json& body) {
  return http.request(method, path, body.is_null() ? "" : body.dump(), body.is_null() ? "" : "application/json");
}

TEST_F(PostgresLoggedModels, ModelLifecycle) {
  testing::ServerOptions options;
  options.backend_store_uri = postgres_->create_database("logged_models");
  testing::ServerProcess server(options);
  HttpClient http = server.client();
  const std::string api = "/api/2.0/mlflow/logged-models";

  const HttpResponse experiment = http.post("/api/2.0/mlflow/experiments/create", Json{{"name", "lm"}});
  ASSERT_EQ(experiment.status, 200) << experiment.describe();
  const std::string experiment_id = experiment.json["experiment_id"];

  const HttpResponse created = http.post(api, Json{{"experiment_id", experiment_id},
                                                   {"name", "candidate"},
                                                   {"params", Json::array({{{"key", "lr"}, {"value", "0.1"}}})},
                                                   {"tags", Json::array({{{"key", "owner"}, {"value", "ana"}}})}});
  ASSERT_EQ(created.status, 200) << created.describe();
  const Json& info = created.json["model"]["info"];
  const std::string id = info["model_id"];
  EXPECT_EQ(info["status"], "LOGGED_MODEL_PENDING");
  EXPECT_EQ(info["artifact_uri"], "mlflow-artifacts:/" + experiment_id + "/models/" + id + "/artifacts");
  const HttpResponse other = http.post(api, Json{{"experiment_id", experiment_id}});
  ASSERT_EQ(other.status, 200) << other.describe();

  const Json search = {{"experiment_ids", {experiment_id}}, {"filter", "name = 'candidate'"}};
  const HttpResponse found = http.post(api + "/search", search);
  ASSERT_EQ(found.status, 200) << found.describe();
  ASSERT_EQ(found.json["models"].size(), 1u) << found.describe();
  EXPECT_EQ(found.json["models"][0]["info"]["model_id"], id);
  EXPECT_EQ(found.json["models"][0]["data"]["params"], Json::parse(R"([{"key": "lr", "value": "0.1"}])"));

  const HttpResponse finalized =
      send_json(http, "PATCH", api + "/" + id, Json{{"model_id", id}, {"status", "LOGGED_MODEL_READY"}});
  ASSERT_EQ(finalized.status, 200) << finalized.describe();
  EXPECT_EQ(finalized.json["model"]["info"]["status"], "LOGGED_MODEL_READY");

  EXPECT_EQ(
      send_json(http, "PATCH", api + "/" + id + "/tags", Json{{"tags", {{{"key", "stage"}, {"value", "qa"}}}}}).status,
      200);
  EXPECT_EQ(send_json(http, "DELETE", api + "/" + id + "/tags/owner", nullptr).status, 200);
  EXPECT_EQ(
      http.post(api + "/" + id + "/params", Json{{"model_id", id}, {"params", {{{"key", "lr"}, {"value", "0.2"}}}}})
          .error_code(),
      "INVALID_PARAMETER_VALUE");
  const HttpResponse got = http.get(api + "/" + id);
  ASSERT_EQ(got.status, 200) << got.describe();
  EXPECT_EQ(got.json["model"]["info"]["tags"], Json::parse(R"([{"key": "stage", "value": "qa"}])"));

  EXPECT_EQ(send_json(http, "DELETE", api + "/" + id, nullptr).status, 200);
  EXPECT_EQ(http.get(api + "/" + id).status, 404);
  // Ordered by a metric no model has: the SQL of a metric order (NULLS LAST) on PostgreSQL.
  const HttpResponse remaining = http.post(
      api + "/search", Json{{"experiment_ids", {experiment_id}},
                            {"order_by", Json::array({{{"field_name", "metrics.accuracy"}, {"ascending", false}}})}});
  ASSERT_EQ(remaining.status, 200) << remaining.describe();
  ASSERT_EQ(remaining.json["models"].size(), 1u) << remaining.describe();
  EXPECT_EQ(remaining.json["models"][0]["info"]["model_id"], other.json["model"]["info"]["model_id"]);
}

TEST_F(PostgresLoggedModels, Mlflow2DatabaseAnswersWithTheUpgradeHint) {
  testing::ServerOptions options;
  options.backend_store_uri = postgres_->create_database("mlflow29");
  postgres_->psql_file("mlflow29", std::string(MLFLOWCPP_FIXTURES_DIR) + "/mlflow-2.9.2-sample.postgres.sql");
  testing::ServerProcess server(options);
  HttpClient http = server.client();
  const HttpResponse search = http.post("/api/2.0/mlflow/logged-models/search", Json{{"experiment_ids", {"0"}}});
  EXPECT_EQ(search.status, 400) << search.describe();
  EXPECT_EQ(search.error_code(), "INVALID_STATE");
  const HttpResponse create = http.post("/api/2.0/mlflow/logged-models", Json{{"experiment_id", "0"}});
  EXPECT_EQ(create.status, 400) << create.describe();
  EXPECT_EQ(create.error_code(), "INVALID_STATE");
  EXPECT_EQ(http.get("/api/2.0/mlflow/experiments/get?experiment_id=0").status, 200);
}

}  // namespace
}  // namespace mlflowcpp::integration
