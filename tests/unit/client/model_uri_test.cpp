// models:/ URIs: how they are read, and which calls resolve them.

#include <mlflowcpp/client.hpp>

#include "client/model_uri.hpp"
#include "protocol/json_codec.hpp"
#include "recording_connection.hpp"

#include <gtest/gtest.h>

namespace mlflowcpp {
namespace {

using client::ModelUri;
using client::parse_model_uri;
using protocol::Json;
using testing::json_response;
using testing::RecordingConnection;

TEST(ParseModelUri, Version) {
  ModelUri uri = parse_model_uri("models:/Ads Model 1/12345");
  EXPECT_EQ(uri.name, "Ads Model 1");
  EXPECT_EQ(uri.kind, ModelUri::Kind::kVersion);
  EXPECT_EQ(uri.reference, "12345");
  EXPECT_EQ(parse_model_uri("models:///many-slashes/3").name, "many-slashes");
  EXPECT_EQ(parse_model_uri("models:/catalog.schema.model/0").name, "catalog.schema.model");
  EXPECT_EQ(parse_model_uri("Models:/upper/1").name, "upper");  // schemes are case-insensitive
}

TEST(ParseModelUri, StageAndLatest) {
  ModelUri stage = parse_model_uri("models:/fraud/production");
  EXPECT_EQ(stage.kind, ModelUri::Kind::kStage);
  EXPECT_EQ(stage.reference, "production");
  ModelUri latest = parse_model_uri("models:/fraud/LaTeSt");
  EXPECT_EQ(latest.kind, ModelUri::Kind::kLatest);
  EXPECT_TRUE(latest.reference.empty());
  // A suffix mixing digits and letters is a stage name (the server refuses it later).
  EXPECT_EQ(parse_model_uri("models:/fraud/v2").kind, ModelUri::Kind::kStage);
}

TEST(ParseModelUri, Alias) {
  ModelUri uri = parse_model_uri("models:/fraud@champion");
  EXPECT_EQ(uri.kind, ModelUri::Kind::kAlias);
  EXPECT_EQ(uri.name, "fraud");
  EXPECT_EQ(uri.reference, "champion");
  // The last '@' separates the alias.
  EXPECT_EQ(parse_model_uri("models:/user@example@prod").name, "user@example");
}

TEST(ParseModelUri, LoggedModelId) {
  ModelUri uri = parse_model_uri("models:/m-56cbf5817a4f40f08034bff98bf7df02");
  EXPECT_EQ(uri.kind, ModelUri::Kind::kModelId);
  EXPECT_EQ(uri.reference, "m-56cbf5817a4f40f08034bff98bf7df02");
  EXPECT_TRUE(uri.name.empty());
  // A registered model named like an id is still reached by version or alias.
  ModelUri version = parse_model_uri("models:/m-56cbf5817a4f40f08034bff98bf7df02/3");
  EXPECT_EQ(version.kind, ModelUri::Kind::kVersion);
  EXPECT_EQ(version.name, "m-56cbf5817a4f40f08034bff98bf7df02");
  EXPECT_TRUE(client::is_logged_model_id("m-0123456789ABCDEFabcdef0123456789"));
  for (const char* not_an_id : {"m-", "m-123", "m-56cbf5817a4f40f08034bff98bf7df0",
                                "m-56cbf5817a4f40f08034bff98bf7df02a", "x-56cbf5817a4f40f08034bff98bf7df02",
                                "m_56cbf5817a4f40f08034bff98bf7df02", "m-56cbf5817a4f40f08034bff98bf7df0g"}) {
    EXPECT_FALSE(client::is_logged_model_id(not_an_id)) << not_an_id;
  }
}

TEST(ParseModelUri, RefusesMalformedUris) {
  for (const char* bad : {"", "models:", "models:/", "models:fraud/1", "runs:/abc/model", "models:/fraud",
                          "models:/fraud/", "models:/ /1", "models:/fraud/1/extra", "models:/fraud@",
                          "models:/@champion", "models:/fraud/1?x=y", "models://profile@databricks/fraud/1",
                          "models:/m-123", "models:/m-56cbf5817a4f40f08034bff98bf7df02?x=y"}) {
    try {
      parse_model_uri(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const MlflowException& error) {
      EXPECT_EQ(error.code(), ErrorCode::kInvalidParameterValue) << bad;
    }
  }
}

// A registry that knows model "fraud": versions 1 (Production), 4 (Staging), 7 (None), alias champion -> 4.
HttpResponse fake_registry(const HttpRequest& request) {
  auto query_value = [&](const std::string& key) {
    for (const auto& [name, value] : request.query) {
      if (name == key) return value;
    }
    return std::string();
  };
  if (request.path == "/api/2.0/mlflow/model-versions/get-download-uri") {
    return json_response(200, Json{{"artifact_uri", "mlflow-artifacts:/fraud/v" + query_value("version")}}.dump());
  }
  if (request.path == "/api/2.0/mlflow/registered-models/alias") {
    return json_response(200, R"({"model_version": {"name": "fraud", "version": "4", "aliases": ["champion"]}})");
  }
  if (request.path == "/api/2.0/mlflow/registered-models/get-latest-versions") {
    Json body = Json::parse(request.body);
    if (!body.contains("stages")) {
      return json_response(200, R"({"model_versions": [{"version": "1"}, {"version": "7"}, {"version": "4"}]})");
    }
    if (body["stages"] == Json::array({"production"})) return json_response(200, R"({"model_versions": [{"version": "1"}]})");
    return json_response(200, "{}");
  }
  return json_response(404, R"({"error_code": "ENDPOINT_NOT_FOUND", "message": "no"})");
}

class ResolveModelUri : public ::testing::Test {
 protected:
  std::shared_ptr<RecordingConnection> connection_ = std::make_shared<RecordingConnection>(fake_registry);
  MlflowClient client_{connection_};

  std::vector<std::string> paths() const {
    std::vector<std::string> sent;
    for (const auto& request : connection_->requests()) sent.push_back(request.method + " " + request.path);
    return sent;
  }
};

TEST_F(ResolveModelUri, VersionIsOneCall) {
  EXPECT_EQ(client_.resolve_model_uri("models:/fraud/12"), "mlflow-artifacts:/fraud/v12");
  EXPECT_EQ(paths(), std::vector<std::string>{"GET /api/2.0/mlflow/model-versions/get-download-uri"});
  using Query = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(connection_->requests()[0].query, (Query{{"name", "fraud"}, {"version", "12"}}));
}

TEST_F(ResolveModelUri, LatestTakesTheHighestVersionNumber) {
  EXPECT_EQ(client_.resolve_model_uri("models:/fraud/latest"), "mlflow-artifacts:/fraud/v7");
  EXPECT_EQ(Json::parse(connection_->requests()[0].body), Json::parse(R"({"name": "fraud"})"));
}

TEST_F(ResolveModelUri, StageAsksForThatStage) {
  EXPECT_EQ(client_.resolve_model_uri("models:/fraud/production"), "mlflow-artifacts:/fraud/v1");
  EXPECT_EQ(paths(), (std::vector<std::string>{"POST /api/2.0/mlflow/registered-models/get-latest-versions",
                                               "GET /api/2.0/mlflow/model-versions/get-download-uri"}));
}

TEST_F(ResolveModelUri, EmptyStageIsNotFound) {
  try {
    client_.resolve_model_uri("models:/fraud/Archived");
    FAIL() << "resolved a stage without versions";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.code(), ErrorCode::kResourceDoesNotExist);
    EXPECT_NE(std::string(error.what()).find("Archived"), std::string::npos);
  }
  EXPECT_EQ(paths().size(), 1u);  // no download-uri call
}

TEST_F(ResolveModelUri, AliasGoesThroughItsVersion) {
  EXPECT_EQ(client_.resolve_model_uri("models:/fraud@champion"), "mlflow-artifacts:/fraud/v4");
  EXPECT_EQ(paths(), (std::vector<std::string>{"GET /api/2.0/mlflow/registered-models/alias",
                                               "GET /api/2.0/mlflow/model-versions/get-download-uri"}));
}

TEST(ResolveLoggedModelUri, IsTheModelsArtifactLocation) {
  const std::string id = "m-56cbf5817a4f40f08034bff98bf7df02";
  auto connection = std::make_shared<RecordingConnection>([&](const HttpRequest&) {
    return json_response(200, R"({"model": {"info": {"model_id": ")" + id +
                                  R"(", "artifact_uri": "s3://bucket/1/models/)" + id + R"(/artifacts"}}})");
  });
  MlflowClient client(connection);
  EXPECT_EQ(client.resolve_model_uri("models:/" + id), "s3://bucket/1/models/" + id + "/artifacts");
  ASSERT_EQ(connection->requests().size(), 1u);
  EXPECT_EQ(connection->requests()[0].method, "GET");
  EXPECT_EQ(connection->requests()[0].path, "/api/2.0/mlflow/logged-models/" + id);
}

TEST_F(ResolveModelUri, MalformedUriSendsNothing) {
  EXPECT_THROW(client_.resolve_model_uri("runs:/abc/model"), MlflowException);
  EXPECT_TRUE(connection_->requests().empty());
}

}  // namespace
}  // namespace mlflowcpp
