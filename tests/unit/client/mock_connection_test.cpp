// MlflowClient over mlflowcpp::mocks::MockConnection, as users test their own
// code; and log_model's recording of the model, which needs a scripted server.

#include <mlflowcpp/client.hpp>
#include <mlflowcpp/mocks/mock_connection.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace mlflowcpp {
namespace {

using ::testing::_;
using ::testing::AllOf;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Invoke;
using ::testing::Return;
using Json = nlohmann::json;

HttpResponse ok(const Json& body) { return HttpResponse{200, body.dump(), {}}; }

TEST(MockConnection, StandsInForTheServerInAClientCall) {
  auto connection = std::make_shared<mocks::MockConnection>();
  EXPECT_CALL(*connection, send(AllOf(Field(&HttpRequest::method, "GET"),
                                      Field(&HttpRequest::path, "/api/2.0/mlflow/experiments/get"))))
      .WillOnce(Return(ok({{"experiment", {{"experiment_id", "7"}, {"name", "mocked"}}}})));
  MlflowClient client(connection);
  Experiment experiment = client.get_experiment("7");
  EXPECT_EQ(experiment.experiment_id, "7");
  EXPECT_EQ(experiment.name, "mocked");
}

TEST(MockConnection, ServerErrorsBecomeExceptions) {
  auto connection = std::make_shared<mocks::MockConnection>();
  EXPECT_CALL(*connection, send(Field(&HttpRequest::path, "/api/2.0/mlflow/experiments/create")))
      .WillOnce(Return(HttpResponse{400, R"({"error_code":"RESOURCE_ALREADY_EXISTS","message":"taken"})", {}}));
  MlflowClient client(connection);
  try {
    client.create_experiment("taken");
    FAIL() << "expected an error";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.code(), ErrorCode::kResourceAlreadyExists);
  }
}

// A run whose artifacts go to a local directory, so that log_model's upload needs no server.
class LogModelRecording : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("mlflowcpp-log-model-" + std::to_string(::getpid()));
    std::filesystem::create_directories(root_ / "model");
    std::ofstream(root_ / "model" / "weights.txt") << "1 2 3";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  Json run_json(const std::string& history) const {
    Json run = {{"info", {{"run_id", "r"}, {"artifact_uri", (root_ / "artifacts").string()}}}, {"data", Json::object()}};
    if (!history.empty()) run["data"]["tags"] = Json::array({{{"key", "mlflow.log-model.history"}, {"value", history}}});
    return {{"run", run}};
  }

  std::filesystem::path root_;
};

TEST_F(LogModelRecording, SendsTheModelForTheServerToAppend) {
  auto connection = std::make_shared<mocks::MockConnection>();
  EXPECT_CALL(*connection, send(Field(&HttpRequest::path, "/api/2.0/mlflow/runs/get")))
      .WillRepeatedly(Return(ok(run_json(""))));
  EXPECT_CALL(*connection, send(AllOf(Field(&HttpRequest::path, "/api/2.0/mlflow/runs/log-model"),
                                      Field(&HttpRequest::idempotency, Idempotency::kNonIdempotent),
                                      Field(&HttpRequest::body, HasSubstr("model_json")))))
      .WillOnce(Return(ok(Json::object())));
  EXPECT_CALL(*connection, send(Field(&HttpRequest::path, "/api/2.0/mlflow/runs/set-tag"))).Times(0);
  // A server before MLflow 3 has no logged models.
  EXPECT_CALL(*connection, send(Field(&HttpRequest::path, "/api/2.0/mlflow/logged-models")))
      .WillOnce(Return(HttpResponse{404, R"({"error_code":"ENDPOINT_NOT_FOUND","message":"no such endpoint"})", {}}));
  MlflowClient client(connection);
  EXPECT_EQ(client.log_model("r", root_ / "model", "model", ModelInfo{{{"cpp", {}}}, {}, {}}), "runs:/r/model");
}

TEST_F(LogModelRecording, AppendsToTheTagItselfWhenTheServerLacksTheEndpoint) {
  auto connection = std::make_shared<mocks::MockConnection>();
  const std::string earlier = R"([{"artifact_path":"earlier"}])";
  std::string written_history;
  EXPECT_CALL(*connection, send(_)).WillRepeatedly(Invoke([&](const HttpRequest& request) {
    if (request.path == "/api/2.0/mlflow/runs/get") return ok(run_json(earlier));
    if (request.path == "/api/2.0/mlflow/runs/log-model" || request.path == "/api/2.0/mlflow/logged-models") {
      return HttpResponse{404, R"({"error_code":"ENDPOINT_NOT_FOUND","message":"no such endpoint"})", {}};
    }
    if (request.path == "/api/2.0/mlflow/runs/set-tag") {
      Json body = Json::parse(request.body);
      EXPECT_EQ(body["key"], "mlflow.log-model.history");
      written_history = body["value"].get<std::string>();
      return ok(Json::object());
    }
    ADD_FAILURE() << "unexpected request to " << request.path;
    return HttpResponse{500, "{}", {}};
  }));
  MlflowClient client(connection);
  client.log_model("r", root_ / "model", "model", ModelInfo{{{"cpp", {}}}, {}, {}});
  Json history = Json::parse(written_history);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0]["artifact_path"], "earlier");
  EXPECT_EQ(history[1]["artifact_path"], "model");
  EXPECT_EQ(history[1]["run_id"], "r");
}

}  // namespace
}  // namespace mlflowcpp
