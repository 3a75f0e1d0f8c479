// MlflowClient against the real `mlflowcpp server`: every tracking call, paging,
// log_batch splitting, and the errors the server answers with.

#include <gtest/gtest.h>

#include <mlflowcpp/mlflowcpp.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

#include "testing/server_process.hpp"

namespace mlflowcpp::integration {
namespace {

class ClientTrackingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<testing::ServerProcess>(); }
  static void TearDownTestSuite() { server_.reset(); }

  static MlflowClient make_client() {
    return MlflowClient(server_->client_options());
  }

  // A fresh experiment with a name unique to the test.
  std::string new_experiment() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return client_.create_experiment(std::string("client-") + info->name());
  }

  std::string new_run(const std::string& experiment_id, const std::string& name = "") {
    CreateRunRequest request;
    request.experiment_id = experiment_id;
    request.run_name = name;
    return client_.create_run(request).info.run_id;
  }

  static std::unique_ptr<testing::ServerProcess> server_;
  MlflowClient client_ = make_client();
};

std::unique_ptr<testing::ServerProcess> ClientTrackingTest::server_;

template <typename Items>
std::string value_of(const Items& items, const std::string& key) {
  for (const auto& item : items) {
    if (item.key == key) return item.value;
  }
  return "<unset>";
}

TEST_F(ClientTrackingTest, ExperimentLifecycle) {
  std::string id = client_.create_experiment("client-lifecycle", "", {{"team", "a"}});
  Experiment experiment = client_.get_experiment(id);
  EXPECT_EQ(experiment.name, "client-lifecycle");
  EXPECT_EQ(experiment.lifecycle_stage, LifecycleStage::kActive);
  EXPECT_EQ(value_of(experiment.tags, "team"), "a");

  auto by_name = client_.get_experiment_by_name("client-lifecycle");
  ASSERT_TRUE(by_name);
  EXPECT_EQ(by_name->experiment_id, id);
  EXPECT_FALSE(client_.get_experiment_by_name("client-no-such-experiment"));

  client_.set_experiment_tag(id, "stage", "dev");
  client_.delete_experiment_tag(id, "team");
  experiment = client_.get_experiment(id);
  EXPECT_EQ(value_of(experiment.tags, "stage"), "dev");
  EXPECT_EQ(value_of(experiment.tags, "team"), "<unset>");

  client_.rename_experiment(id, "client-lifecycle-renamed");
  EXPECT_EQ(client_.get_experiment(id).name, "client-lifecycle-renamed");

  client_.delete_experiment(id);
  EXPECT_EQ(client_.get_experiment(id).lifecycle_stage, LifecycleStage::kDeleted);
  client_.restore_experiment(id);
  EXPECT_EQ(client_.get_experiment(id).lifecycle_stage, LifecycleStage::kActive);
}

TEST_F(ClientTrackingTest, ServerErrorsArriveWithCodeAndStatus) {
  client_.create_experiment("client-duplicate");
  try {
    client_.create_experiment("client-duplicate");
    FAIL();
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.code(), ErrorCode::kResourceAlreadyExists);
    EXPECT_EQ(error.http_status(), 400);
  }
  try {
    client_.get_run("0123456789abcdef0123456789abcdef");
    FAIL();
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.code(), ErrorCode::kResourceDoesNotExist);
    EXPECT_EQ(error.http_status(), 404);
    EXPECT_FALSE(std::string(error.what()).empty());
  }
  // The client works as before after errors.
  EXPECT_EQ(client_.get_experiment("0").name, "Default");
}

TEST_F(ClientTrackingTest, SearchExperimentsWithFilterOrderAndPaging) {
  for (int i = 0; i < 7; ++i) client_.create_experiment("client-page-" + std::to_string(i));
  SearchExperimentsRequest request;
  request.filter = "name LIKE 'client-page-%'";
  request.order_by = {"name DESC"};
  request.max_results = 3;
  Page<Experiment> first = client_.search_experiments(request);
  ASSERT_EQ(first.items.size(), 3u);
  EXPECT_EQ(first.items[0].name, "client-page-6");
  EXPECT_FALSE(first.next_page_token.empty());

  auto all = client_.search_all_experiments(request);
  ASSERT_EQ(all.size(), 7u);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(all[i].name, "client-page-" + std::to_string(6 - i));
}

TEST_F(ClientTrackingTest, RunLifecycle) {
  std::string experiment_id = new_experiment();
  CreateRunRequest create;
  create.experiment_id = experiment_id;
  create.run_name = "first";
  create.start_time = 1000;
  create.tags = {{"mlflow.user", "alice"}, {"team", "x"}};
  mlflowcpp::Run run = client_.create_run(create);
  EXPECT_EQ(run.info.run_name, "first");
  EXPECT_EQ(run.info.status, RunStatus::kRunning);
  EXPECT_EQ(run.info.start_time, 1000);
  EXPECT_EQ(run.info.experiment_id, experiment_id);
  EXPECT_EQ(value_of(run.data.tags, "team"), "x");

  UpdateRunRequest update;
  update.run_name = "renamed";
  EXPECT_EQ(client_.update_run(run.info.run_id, update).run_name, "renamed");

  RunInfo ended = client_.set_terminated(run.info.run_id, RunStatus::kKilled, 5000);
  EXPECT_EQ(ended.status, RunStatus::kKilled);
  EXPECT_EQ(ended.end_time, 5000);

  client_.delete_run(run.info.run_id);
  EXPECT_EQ(client_.get_run(run.info.run_id).info.lifecycle_stage, LifecycleStage::kDeleted);
  client_.restore_run(run.info.run_id);
  mlflowcpp::Run restored = client_.get_run(run.info.run_id);
  EXPECT_EQ(restored.info.lifecycle_stage, LifecycleStage::kActive);
  EXPECT_EQ(restored.info.run_name, "renamed");
}

TEST_F(ClientTrackingTest, LogAndReadBack) {
  std::string run_id = new_run(new_experiment());
  client_.log_param(run_id, "lr", "0.01");
  client_.set_tag(run_id, "keep", "1");
  client_.set_tag(run_id, "drop", "1");
  client_.delete_tag(run_id, "drop");
  for (int step = 0; step < 5; ++step) {
    client_.log_metric(run_id, "loss", 1.0 / (step + 1), MetricOptions{step, 100 + step});
  }
  client_.log_metric(run_id, "nan", std::nan(""), MetricOptions{0, 100});

  mlflowcpp::Run run = client_.get_run(run_id);
  EXPECT_EQ(value_of(run.data.params, "lr"), "0.01");
  EXPECT_EQ(value_of(run.data.tags, "keep"), "1");
  EXPECT_EQ(value_of(run.data.tags, "drop"), "<unset>");

  auto history = client_.get_metric_history(run_id, "loss");
  ASSERT_EQ(history.size(), 5u);
  std::sort(history.begin(), history.end(), [](const Metric& a, const Metric& b) { return a.step < b.step; });
  EXPECT_DOUBLE_EQ(history[4].value, 0.2);
  EXPECT_EQ(history[4].timestamp, 104);
  auto nan_history = client_.get_metric_history(run_id, "nan");
  ASSERT_EQ(nan_history.size(), 1u);
  EXPECT_TRUE(std::isnan(nan_history[0].value));

  // Params are write-once: a different value is the server's 400.
  try {
    client_.log_param(run_id, "lr", "0.02");
    FAIL();
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidParameterValue);
    EXPECT_EQ(error.http_status(), 400);
  }
}

TEST_F(ClientTrackingTest, LogBatchSplitsLargeInputWithinEveryLimit) {
  std::string run_id = new_run(new_experiment());
  std::vector<Metric> metrics;
  for (int i = 0; i < 2600; ++i) metrics.push_back({"m" + std::to_string(i % 3), double(i), 1000 + i, i});
  std::vector<Param> params;
  for (int i = 0; i < 250; ++i) params.push_back({"p" + std::to_string(i), std::string(6000, 'v')});
  std::vector<RunTag> tags;
  for (int i = 0; i < 150; ++i) tags.push_back({"t" + std::to_string(i), std::string(5000, 'w')});
  // Every request the server sees must pass its limits, or this throws.
  client_.log_batch(run_id, metrics, params, tags);

  mlflowcpp::Run run = client_.get_run(run_id);
  EXPECT_EQ(run.data.params.size(), 250u);
  std::size_t user_tags = std::count_if(run.data.tags.begin(), run.data.tags.end(),
                                        [](const RunTag& tag) { return tag.key.rfind("mlflow.", 0) != 0; });
  EXPECT_EQ(user_tags, 150u);
  std::size_t points = 0;
  for (const char* key : {"m0", "m1", "m2"}) points += client_.get_metric_history(run_id, key).size();
  EXPECT_EQ(points, 2600u);
}

TEST_F(ClientTrackingTest, LogInputsAreReturnedWithTheRun) {
  std::string run_id = new_run(new_experiment());
  DatasetInput input;
  input.dataset.name = "train";
  input.dataset.digest = "abc123";
  input.dataset.source_type = "local";
  input.dataset.source = R"({"uri": "/data/train.csv"})";
  input.tags = {{"mlflow.data.context", "training"}};
  client_.log_inputs(run_id, {input});
  mlflowcpp::Run run = client_.get_run(run_id);
  ASSERT_EQ(run.inputs.dataset_inputs.size(), 1u);
  EXPECT_EQ(run.inputs.dataset_inputs[0].dataset.name, "train");
  EXPECT_EQ(value_of(run.inputs.dataset_inputs[0].tags, "mlflow.data.context"), "training");
}

TEST_F(ClientTrackingTest, SearchRunsWithFilterOrderAndPaging) {
  std::string experiment_id = new_experiment();
  for (int i = 0; i < 9; ++i) {
    std::string run_id = new_run(experiment_id, "run-" + std::to_string(i));
    client_.log_metric(run_id, "score", i, MetricOptions{0, 1});
    client_.log_param(run_id, "parity", i % 2 == 0 ? "even" : "odd");
  }
  SearchRunsRequest request;
  request.experiment_ids = {experiment_id};
  request.filter = "params.parity = 'even' and metrics.score >= 2";
  request.order_by = {"metrics.score DESC"};
  request.max_results = 2;
  Page<mlflowcpp::Run> first = client_.search_runs(request);
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.items[0].info.run_name, "run-8");
  EXPECT_FALSE(first.next_page_token.empty());

  auto all = client_.search_all_runs(request);
  std::vector<std::string> names;
  for (const auto& run : all) names.push_back(run.info.run_name);
  EXPECT_EQ(names, (std::vector<std::string>{"run-8", "run-6", "run-4", "run-2"}));

  SearchRunsRequest everything;
  everything.experiment_ids = {experiment_id};
  everything.max_results = 4;
  EXPECT_EQ(client_.search_all_runs(everything).size(), 9u);
}

}  // namespace
}  // namespace mlflowcpp::integration
