// MlflowClient's model calls against the real `mlflowcpp server`: a model
// logged with its MLmodel file, registered from its runs:/ URI, and downloaded
// back through every form of models:/ URI. The server runs on a database with
// MLflow 2.9's schema, which holds no logged models: log_model takes the MLflow
// 2.x flow here (MLflow 3's is in client_logged_models_test.cpp).

#include <gtest/gtest.h>

#include <mlflowcpp/mlflowcpp.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

namespace fs = std::filesystem;

constexpr const char* kWeights = "w 0.5\nb -1.25\n";

class ClientModelsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_dir_ = std::make_unique<testing::TempDir>("mlflowcpp-models-2x");
    const fs::path db = data_dir_->path() / "mlflow.db";
    fs::copy_file(fs::path(MLFLOWCPP_FIXTURES_DIR) / "mlflow-2.9.2-sample.sqlite", db);
    testing::ServerOptions options;
    options.work_dir = data_dir_->path();
    options.backend_store_uri = "sqlite:///" + db.string();
    server_ = std::make_unique<testing::ServerProcess>(options);
  }
  static void TearDownTestSuite() {
    server_.reset();
    data_dir_.reset();
  }

  static MlflowClient client() {
    return MlflowClient(server_->client_options());
  }

  static std::string new_run_id() {
    CreateRunRequest request;
    request.experiment_id = "0";
    return client().create_run(request).info.run_id;
  }

  // Logs a directory holding weights.txt as the model "model" of a new run.
  static std::string log_linear_model(const std::string& run_id) {
    testing::TempDir model_dir("mlflowcpp-model-src");
    testing::write_file(model_dir / "weights.txt", kWeights);
    ModelInfo info;
    info.flavors = {{"cpp", {{"weights", "weights.txt"}}}};
    info.signature = ModelSignature{R"([{"type": "double", "name": "x"}])", R"([{"type": "double"}])"};
    const std::string uri = client().log_model(run_id, model_dir.path(), "model", info);
    EXPECT_FALSE(fs::exists(model_dir / "MLmodel")) << "log_model must leave the caller's directory alone";
    return uri;
  }

  static std::unique_ptr<testing::TempDir> data_dir_;
  static std::unique_ptr<testing::ServerProcess> server_;
};

std::unique_ptr<testing::TempDir> ClientModelsTest::data_dir_;
std::unique_ptr<testing::ServerProcess> ClientModelsTest::server_;

// The downloaded model directory has the MLmodel of this run and the weights.
void expect_model_files(const fs::path& model_dir, const std::string& run_id) {
  EXPECT_EQ(testing::read_file(model_dir / "weights.txt"), kWeights) << model_dir;
  const std::string mlmodel = testing::read_file(model_dir / "MLmodel");
  EXPECT_NE(mlmodel.find("artifact_path: model\n"), std::string::npos) << mlmodel;
  EXPECT_NE(mlmodel.find("flavors:\n  cpp:\n    weights: weights.txt\n"), std::string::npos) << mlmodel;
  EXPECT_NE(mlmodel.find(run_id), std::string::npos) << mlmodel;
  EXPECT_NE(mlmodel.find("model_uuid: "), std::string::npos) << mlmodel;
  EXPECT_NE(mlmodel.find("signature:\n  inputs: '[{\"type\": \"double\", \"name\": \"x\"}]'\n"), std::string::npos)
      << mlmodel;
}

TEST_F(ClientModelsTest, LogModelUploadsFilesAndRecordsTheModelInTheRun) {
  const std::string run_id = new_run_id();
  EXPECT_EQ(log_linear_model(run_id), "runs:/" + run_id + "/model");

  const mlflowcpp::Run run = client().get_run(run_id);
  std::string history;
  for (const auto& tag : run.data.tags) {
    if (tag.key == "mlflow.log-model.history") history = tag.value;
  }
  // The tag holds a JSON list of the models logged to the run.
  const auto models = nlohmann::json::parse(history, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(models.is_array() && models.size() == 1) << history;
  EXPECT_EQ(models[0].value("artifact_path", ""), "model") << history;
  EXPECT_EQ(models[0].value("run_id", ""), run_id) << history;
  EXPECT_EQ(models[0]["flavors"]["cpp"].value("weights", ""), "weights.txt") << history;

  testing::TempDir download("mlflowcpp-model-dst");
  expect_model_files(client().download_artifacts(run_id, "model", download.path()), run_id);
}

TEST_F(ClientModelsTest, RegisterThenDownloadByAliasVersionAndLatest) {
  const std::string run_id = new_run_id();
  const std::string model_uri = log_linear_model(run_id);

  const ModelVersion version = client().register_model(model_uri, "linear");
  EXPECT_EQ(version.name, "linear");
  EXPECT_EQ(version.version, "1");
  EXPECT_EQ(version.status, ModelVersionStatus::kReady);
  EXPECT_EQ(version.run_id, run_id);
  const std::string artifact_uri = client().get_run(run_id).info.artifact_uri;
  EXPECT_EQ(version.source, artifact_uri + "/model");

  client().set_registered_model_alias("linear", "champion", version.version);

  for (const std::string uri : {"models:/linear@champion", "models:/linear/1", "models:/linear/latest"}) {
    SCOPED_TRACE(uri);
    testing::TempDir download("mlflowcpp-model-dst");
    const std::string local = client().download_model(uri, download.path().string());
    expect_model_files(local, run_id);
  }
}

TEST_F(ClientModelsTest, RegisteringAgainAddsAVersionToTheExistingModel) {
  const std::string first = log_linear_model(new_run_id());
  const std::string second_run = new_run_id();
  const std::string second = log_linear_model(second_run);
  EXPECT_EQ(client().register_model(first, "twice").version, "1");
  EXPECT_EQ(client().register_model(second, "twice").version, "2");

  testing::TempDir download("mlflowcpp-model-dst");
  expect_model_files(client().download_model("models:/twice/latest", download.path().string()), second_run);
}

TEST_F(ClientModelsTest, UserMistakesAreClientErrors) {
  const std::string run_id = new_run_id();
  testing::TempDir empty("mlflowcpp-model-src");
  EXPECT_THROW(client().log_model(run_id, empty / "missing", "model", {}), MlflowException);
  EXPECT_THROW(client().log_model(run_id, empty.path(), "../outside", {}), MlflowException);
  EXPECT_THROW(client().register_model("runs:/no-such-run/model", "nowhere"), MlflowException);
  EXPECT_THROW(client().download_model("models:/never-registered/1", empty.path().string()), MlflowException);
}

}  // namespace
}  // namespace mlflowcpp::integration
