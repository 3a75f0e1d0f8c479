// MlflowClient's MLflow 3 calls against the real `mlflowcpp server` on a new
// database (MLflow 3's schema): logged models and their tags, params and
// search; log_model's logged-model flow; metrics on a model; registering and
// downloading a models:/<model_id>.

#include <gtest/gtest.h>

#include <mlflowcpp/mlflowcpp.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "testing/expect_mlflow_error.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

namespace fs = std::filesystem;

constexpr const char* kWeights = "w 0.5\nb -1.25\n";

using testing::thrown_error_code;

class ClientLoggedModelsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<testing::ServerProcess>(); }
  static void TearDownTestSuite() { server_.reset(); }

  static MlflowClient client() { return MlflowClient(server_->client_options()); }

  static std::string new_experiment(const std::string& name) { return client().create_experiment(name); }

  static mlflowcpp::Run new_run(const std::string& experiment_id) {
    CreateRunRequest request;
    request.experiment_id = experiment_id;
    return client().create_run(request);
  }

  static std::unique_ptr<testing::ServerProcess> server_;
};

std::unique_ptr<testing::ServerProcess> ClientLoggedModelsTest::server_;

TEST_F(ClientLoggedModelsTest, CreateTagParamsFinalizeSearchDelete) {
  MlflowClient mlflow = client();
  const std::string experiment_id = new_experiment("lm-crud");
  const mlflowcpp::Run run = new_run(experiment_id);

  CreateLoggedModelRequest request;
  request.experiment_id = experiment_id;
  request.name = "candidate";
  request.model_type = "agent";
  request.source_run_id = run.info.run_id;
  request.params = {{"temperature", "0.2"}};
  request.tags = {{"owner", "ana"}, {"tmp", "1"}};
  const LoggedModel created = mlflow.create_logged_model(request);
  const std::string id = created.info.model_id;
  EXPECT_EQ(id.size(), 34u);
  EXPECT_EQ(id.rfind("m-", 0), 0u);
  EXPECT_EQ(created.info.status, LoggedModelStatus::kPending);
  EXPECT_EQ(created.info.source_run_id, run.info.run_id);
  EXPECT_NE(created.info.artifact_uri.find("/models/" + id + "/artifacts"), std::string::npos)
      << created.info.artifact_uri;

  mlflow.log_model_params(id, {{"top_p", "0.9"}});
  mlflow.set_logged_model_tags(id, {{"owner", "bo"}, {"stage", "qa"}});
  mlflow.delete_logged_model_tag(id, "tmp");
  EXPECT_EQ(thrown_error_code([&] { mlflow.delete_logged_model_tag(id, "no-such-tag"); }), ErrorCode::kResourceDoesNotExist);

  const LoggedModel ready = mlflow.finalize_logged_model(id, LoggedModelStatus::kReady);
  EXPECT_EQ(ready.info.status, LoggedModelStatus::kReady);
  ASSERT_EQ(ready.info.tags.size(), 2u);
  EXPECT_EQ(ready.info.tags[0].key, "owner");
  EXPECT_EQ(ready.info.tags[0].value, "bo");
  ASSERT_EQ(ready.data.params.size(), 2u);
  EXPECT_EQ(ready.data.params[1].key, "top_p");

  CreateLoggedModelRequest second;
  second.experiment_id = experiment_id;
  second.name = "baseline";
  mlflow.create_logged_model(second);

  SearchLoggedModelsRequest search;
  search.experiment_ids = {experiment_id};
  search.filter = "name = 'candidate'";
  Page<LoggedModel> page = mlflow.search_logged_models(search);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].info.model_id, id);

  SearchLoggedModelsRequest paged;
  paged.experiment_ids = {experiment_id};
  paged.max_results = 1;
  paged.order_by = {{"name", true, std::nullopt, std::nullopt}};
  const std::vector<LoggedModel> all = mlflow.search_all_logged_models(paged);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].info.name, "baseline");
  EXPECT_EQ(all[1].info.name, "candidate");

  SearchLoggedModelsRequest bad;
  bad.experiment_ids = {experiment_id};
  bad.filter = "name = 'a' OR name = 'b'";
  EXPECT_EQ(thrown_error_code([&] { mlflow.search_logged_models(bad); }), ErrorCode::kInvalidParameterValue);

  mlflow.delete_logged_model(id);
  EXPECT_EQ(thrown_error_code([&] { mlflow.get_logged_model(id); }), ErrorCode::kResourceDoesNotExist);
  mlflow.delete_logged_model(id);  // again: not an error
  EXPECT_EQ(
      thrown_error_code([&] { mlflow.finalize_logged_model("m-00000000000000000000000000000000", LoggedModelStatus::kReady); }),
      ErrorCode::kResourceDoesNotExist);
}

TEST_F(ClientLoggedModelsTest, RunOutputsAndMetricsOnAModel) {
  MlflowClient mlflow = client();
  const std::string experiment_id = new_experiment("lm-metrics");
  const mlflowcpp::Run run = new_run(experiment_id);
  CreateLoggedModelRequest request;
  request.experiment_id = experiment_id;
  request.source_run_id = run.info.run_id;
  const std::string id = mlflow.create_logged_model(request).info.model_id;

  mlflow.log_outputs(run.info.run_id, {{id, 1}});
  EXPECT_EQ(thrown_error_code([&] {
              mlflow.log_outputs("ffffffffffffffffffffffffffffffff", {{id, 1}});
            }),
            ErrorCode::kResourceDoesNotExist);
  const mlflowcpp::Run with_output = mlflow.get_run(run.info.run_id);
  ASSERT_EQ(with_output.outputs.model_outputs.size(), 1u);
  EXPECT_EQ(with_output.outputs.model_outputs[0].model_id, id);
  EXPECT_EQ(with_output.outputs.model_outputs[0].step, 1);

  MetricOptions on_model;
  on_model.step = 1;
  on_model.timestamp = 1700000009000;
  on_model.model_id = id;
  on_model.dataset_name = "iris-eval";
  on_model.dataset_digest = "d1g3st";
  mlflow.log_metric(run.info.run_id, "accuracy", 0.88, on_model);
  Metric batched("f1", 0.8, 1700000009001, 1);
  batched.model_id = id;
  mlflow.log_batch(run.info.run_id, {batched});

  const LoggedModel model = mlflow.get_logged_model(id);
  ASSERT_EQ(model.data.metrics.size(), 2u);
  EXPECT_EQ(model.data.metrics[0].key, "accuracy");
  EXPECT_EQ(model.data.metrics[0].dataset_name, "iris-eval");
  EXPECT_EQ(model.data.metrics[0].run_id, run.info.run_id);
  EXPECT_EQ(model.data.metrics[1].key, "f1");

  SearchLoggedModelsRequest by_metric;
  by_metric.experiment_ids = {experiment_id};
  by_metric.filter = "metrics.accuracy > 0.85";
  EXPECT_EQ(mlflow.search_logged_models(by_metric).items.size(), 1u);
}

TEST_F(ClientLoggedModelsTest, LogModelMakesALoggedModelThatRegistersAndDownloads) {
  MlflowClient mlflow = client();
  const std::string experiment_id = new_experiment("lm-log-model");
  const mlflowcpp::Run run = new_run(experiment_id);
  mlflow.log_param(run.info.run_id, "lr", "0.05");

  testing::TempDir model_dir("mlflowcpp-lm-src");
  testing::write_file(model_dir / "weights.txt", kWeights);
  ModelInfo info;
  info.flavors = {{"cpp", {{"weights", "weights.txt"}}}};
  LogModelOptions options;
  options.step = 3;
  options.params = {{"depth", "2"}};
  const std::string uri = mlflow.log_model(run.info.run_id, model_dir.path(), "linear", info, options);
  ASSERT_EQ(uri.rfind("models:/m-", 0), 0u) << uri;
  const std::string id = uri.substr(std::string("models:/").size());

  const LoggedModel model = mlflow.get_logged_model(id);
  EXPECT_EQ(model.info.name, "linear");
  EXPECT_EQ(model.info.status, LoggedModelStatus::kReady);
  EXPECT_EQ(model.info.experiment_id, experiment_id);
  EXPECT_EQ(model.info.source_run_id, run.info.run_id);
  ASSERT_EQ(model.data.params.size(), 2u);  // the run's and the caller's
  EXPECT_EQ(model.data.params[0].key, "depth");
  EXPECT_EQ(model.data.params[1].key, "lr");

  const mlflowcpp::Run linked = mlflow.get_run(run.info.run_id);
  ASSERT_EQ(linked.outputs.model_outputs.size(), 1u);
  EXPECT_EQ(linked.outputs.model_outputs[0].model_id, id);
  EXPECT_EQ(linked.outputs.model_outputs[0].step, 3);
  EXPECT_TRUE(mlflow.list_artifacts(run.info.run_id).empty()) << "the files belong to the model, not the run";

  EXPECT_EQ(mlflow.resolve_model_uri(uri), model.info.artifact_uri);
  testing::TempDir download("mlflowcpp-lm-dst");
  const fs::path local = mlflow.download_model(uri, download.path().string());
  EXPECT_EQ(testing::read_file(local / "weights.txt"), kWeights);
  const std::string mlmodel = testing::read_file(local / "MLmodel");
  EXPECT_NE(mlmodel.find("model_id: " + id), std::string::npos) << mlmodel;

  const ModelVersion version = mlflow.register_model(uri, "lm-registered");
  EXPECT_EQ(version.version, "1");
  EXPECT_EQ(version.source, uri);
  EXPECT_EQ(version.run_id, run.info.run_id);
  EXPECT_EQ(version.status, ModelVersionStatus::kReady);
  testing::TempDir by_version("mlflowcpp-lm-dst");
  const fs::path versioned = mlflow.download_model("models:/lm-registered/1", by_version.path().string());
  EXPECT_EQ(testing::read_file(versioned / "weights.txt"), kWeights);
}

TEST_F(ClientLoggedModelsTest, UserMistakesAreClientErrors) {
  MlflowClient mlflow = client();
  CreateLoggedModelRequest nowhere;
  nowhere.experiment_id = "987654321";
  EXPECT_EQ(thrown_error_code([&] { mlflow.create_logged_model(nowhere); }), ErrorCode::kResourceDoesNotExist);
  EXPECT_EQ(thrown_error_code([&] { mlflow.get_logged_model("m-00000000000000000000000000000000"); }),
            ErrorCode::kResourceDoesNotExist);
  EXPECT_EQ(thrown_error_code([&] { mlflow.resolve_model_uri("models:/m-00000000000000000000000000000000"); }),
            ErrorCode::kResourceDoesNotExist);
  SearchLoggedModelsRequest no_experiments;
  EXPECT_EQ(thrown_error_code([&] { mlflow.search_logged_models(no_experiments); }), ErrorCode::kInvalidParameterValue);
}

}  // namespace
}  // namespace mlflowcpp::integration
