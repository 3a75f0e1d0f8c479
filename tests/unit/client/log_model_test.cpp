// MlflowClient::log_model against a scripted server: MLflow 3's logged-model
// flow (create, link to the run, upload, finalize), its failure path, and the
// MLflow 2.x flow when the server has no logged models (found out once).

#include <mlflowcpp/client.hpp>

#include "protocol/json_codec.hpp"
#include "recording_connection.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace mlflowcpp {
namespace {

namespace fs = std::filesystem;
using protocol::Json;
using testing::json_response;
using testing::RecordingConnection;

constexpr const char* kModelId = "m-6fa18b4215cb45d6b8975f0acd925217";
constexpr const char* kApi = "/api/2.0/mlflow/";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class LogModel : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("mlflowcpp-log-model-flow-" + std::to_string(::getpid()));
    fs::create_directories(root_ / "model");
    std::ofstream(root_ / "model" / "weights.txt") << "1 2 3";
  }
  void TearDown() override { fs::remove_all(root_); }

  // The run "r" in experiment 1 with a param; its own artifacts in a local directory.
  Json run_answer() const {
    Json run;
    run["info"] = {{"run_id", "r"}, {"experiment_id", "1"}, {"artifact_uri", (root_ / "run").string()}};
    run["data"]["params"] = Json::parse(R"([{"key": "lr", "value": "0.1"}])");
    return Json{{"run", run}};
  }

  // A logged model whose files go to `artifact_uri`, in the official server's JSON form.
  static Json model_answer(const std::string& artifact_uri, const std::string& status) {
    Json info = {{"model_id", kModelId},         {"experiment_id", "1"}, {"name", "model"},
                 {"artifact_uri", artifact_uri}, {"status", status},     {"source_run_id", "r"}};
    Json model;
    model["model"]["info"] = info;
    return model;
  }

  static std::vector<std::string> paths(const std::vector<HttpRequest>& requests) {
    std::vector<std::string> sent;
    for (const auto& request : requests) sent.push_back(request.method + " " + request.path);
    return sent;
  }

  static ModelInfo cpp_flavor() { return ModelInfo{{{"cpp", {{"weights", "weights.txt"}}}}, {}, {}}; }

  fs::path root_;
};

TEST_F(LogModel, OnAnMlflow3ServerCreatesLinksUploadsAndFinalizesALoggedModel) {
  const fs::path model_files = root_ / "models" / kModelId / "artifacts";
  std::vector<Json> bodies;
  auto connection = std::make_shared<RecordingConnection>([&](const HttpRequest& request) {
    bodies.push_back(request.body.empty() ? Json() : Json::parse(request.body));
    const std::string path = request.path.substr(std::string(kApi).size());
    if (path == "runs/get") return json_response(200, run_answer().dump());
    if (path == "logged-models")
      return json_response(200, model_answer(model_files.string(), "LOGGED_MODEL_PENDING").dump());
    if (path == "runs/outputs") return json_response(200, "{}");
    if (path == std::string("logged-models/") + kModelId) {
      return json_response(200, model_answer(model_files.string(), "LOGGED_MODEL_READY").dump());
    }
    ADD_FAILURE() << "unexpected " << request.method << " " << request.path;
    return json_response(500, "{}");
  });
  MlflowClient client(connection);
  LogModelOptions options;
  options.step = 2;
  options.model_type = "regressor";
  options.params = {{"depth", "3"}, {"lr", "0.2"}};
  options.tags = {{"team", "ml"}};
  EXPECT_EQ(client.log_model("r", root_ / "model", "model", cpp_flavor(), options), std::string("models:/") + kModelId);

  const auto requests = connection->requests();
  ASSERT_EQ(paths(requests),
            (std::vector<std::string>{"GET /api/2.0/mlflow/runs/get", "POST /api/2.0/mlflow/logged-models",
                                      "POST /api/2.0/mlflow/runs/outputs",
                                      "PATCH /api/2.0/mlflow/logged-models/" + std::string(kModelId)}));
  const Json& create = bodies[1];
  EXPECT_EQ(create["experiment_id"], "1");
  EXPECT_EQ(create["name"], "model");
  EXPECT_EQ(create["source_run_id"], "r");
  EXPECT_EQ(create["model_type"], "regressor");
  // The run's params, then the caller's, which win on a shared key.
  EXPECT_EQ(create["params"], Json::parse(R"([{"key":"depth","value":"3"},{"key":"lr","value":"0.2"}])"));
  EXPECT_EQ(create["tags"], Json::parse(R"([{"key":"team","value":"ml"}])"));
  EXPECT_EQ(bodies[2],
            Json::parse(R"({"run_id":"r","models":[{"model_id":")" + std::string(kModelId) + R"(","step":2}]})"));
  EXPECT_EQ(bodies[3]["status"], "LOGGED_MODEL_READY");

  // The files are at the model's own location, the MLmodel naming the model; the run's artifacts are untouched.
  EXPECT_EQ(read_file(model_files / "weights.txt"), "1 2 3");
  const std::string mlmodel = read_file(model_files / "MLmodel");
  EXPECT_NE(mlmodel.find(std::string("model_id: ") + kModelId), std::string::npos) << mlmodel;
  EXPECT_NE(mlmodel.find(std::string("model_uuid: ") + kModelId), std::string::npos) << mlmodel;
  EXPECT_NE(mlmodel.find("run_id: r\n"), std::string::npos) << mlmodel;
  EXPECT_FALSE(fs::exists(root_ / "run"));
  EXPECT_FALSE(fs::exists(root_ / "model" / "MLmodel"));
}

TEST_F(LogModel, AFailedUploadFinalizesTheModelAsFailedAndThrowsTheUploadsError) {
  const std::string proxy_uri = std::string("mlflow-artifacts:/1/models/") + kModelId + "/artifacts";
  std::string final_status;
  auto connection = std::make_shared<RecordingConnection>([&](const HttpRequest& request) {
    if (request.path == "/api/2.0/mlflow/runs/get") return json_response(200, run_answer().dump());
    if (request.path == "/api/2.0/mlflow/logged-models") {
      return json_response(200, model_answer(proxy_uri, "LOGGED_MODEL_PENDING").dump());
    }
    if (request.path == "/api/2.0/mlflow/runs/outputs") return json_response(200, "{}");
    if (request.method == "PUT") {
      return json_response(403, R"({"error_code":"PERMISSION_DENIED","message":"no writes here"})");
    }
    if (request.method == "PATCH") {
      final_status = Json::parse(request.body)["status"].get<std::string>();
      return json_response(200, model_answer(proxy_uri, final_status).dump());
    }
    ADD_FAILURE() << "unexpected " << request.method << " " << request.path;
    return json_response(500, "{}");
  });
  MlflowClient client(connection);
  try {
    client.log_model("r", root_ / "model", "model", cpp_flavor());
    FAIL() << "expected the upload's error";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.code(), ErrorCode::kPermissionDenied);
  }
  EXPECT_EQ(final_status, "LOGGED_MODEL_UPLOAD_FAILED");
}

TEST_F(LogModel, OnAServerWithoutLoggedModelsLogsToTheRunAndRemembers) {
  int logged_model_attempts = 0;
  auto connection = std::make_shared<RecordingConnection>([&](const HttpRequest& request) {
    if (request.path == "/api/2.0/mlflow/runs/get") return json_response(200, run_answer().dump());
    if (request.path == "/api/2.0/mlflow/logged-models") {
      ++logged_model_attempts;
      // What a 2.x server's web framework answers for a path it does not route.
      return json_response(404, "<!doctype html><title>404 Not Found</title>");
    }
    if (request.path == "/api/2.0/mlflow/runs/log-model") return json_response(200, "{}");
    ADD_FAILURE() << "unexpected " << request.method << " " << request.path;
    return json_response(500, "{}");
  });
  MlflowClient client(connection);
  EXPECT_EQ(client.log_model("r", root_ / "model", "model", cpp_flavor()), "runs:/r/model");
  const std::string mlmodel = read_file(root_ / "run" / "model" / "MLmodel");
  EXPECT_NE(mlmodel.find("artifact_path: model\n"), std::string::npos) << mlmodel;
  EXPECT_EQ(mlmodel.find("model_id"), std::string::npos) << mlmodel;

  MlflowClient copy = client;  // same server, same answer
  EXPECT_EQ(copy.log_model("r", root_ / "model", "second", cpp_flavor()), "runs:/r/second");
  EXPECT_EQ(client.log_model("r", root_ / "model", "third", cpp_flavor()), "runs:/r/third");
  EXPECT_EQ(logged_model_attempts, 1);
}

TEST_F(LogModel, AnMlflow3ServerOnA29DatabaseGetsTheRunFlowEachTime) {
  int logged_model_attempts = 0;
  auto connection = std::make_shared<RecordingConnection>([&](const HttpRequest& request) {
    if (request.path == "/api/2.0/mlflow/runs/get") return json_response(200, run_answer().dump());
    if (request.path == "/api/2.0/mlflow/logged-models") {
      ++logged_model_attempts;
      return json_response(400, R"({"error_code":"INVALID_STATE","message":"upgrade the database"})");
    }
    if (request.path == "/api/2.0/mlflow/runs/log-model") return json_response(200, "{}");
    ADD_FAILURE() << "unexpected " << request.method << " " << request.path;
    return json_response(500, "{}");
  });
  MlflowClient client(connection);
  EXPECT_EQ(client.log_model("r", root_ / "model", "model", cpp_flavor()), "runs:/r/model");
  EXPECT_EQ(client.log_model("r", root_ / "model", "again", cpp_flavor()), "runs:/r/again");
  EXPECT_EQ(logged_model_attempts, 2);  // the database may be upgraded meanwhile
}

TEST_F(LogModel, OtherCreateErrorsAreTheCallersAndNothingIsUploaded) {
  auto connection = std::make_shared<RecordingConnection>([&](const HttpRequest& request) {
    if (request.path == "/api/2.0/mlflow/runs/get") return json_response(200, run_answer().dump());
    if (request.path == "/api/2.0/mlflow/logged-models") {
      return json_response(404, R"({"error_code":"RESOURCE_DOES_NOT_EXIST","message":"No Experiment with id=1"})");
    }
    ADD_FAILURE() << "unexpected " << request.method << " " << request.path;
    return json_response(500, "{}");
  });
  MlflowClient client(connection);
  try {
    client.log_model("r", root_ / "model", "model", cpp_flavor());
    FAIL() << "expected an error";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.code(), ErrorCode::kResourceDoesNotExist);
  }
  EXPECT_FALSE(fs::exists(root_ / "run"));
}

}  // namespace
}  // namespace mlflowcpp
