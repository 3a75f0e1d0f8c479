// MLflow 3's links between runs and logged models in the tracking store (run
// outputs, model inputs, metrics logged on a model) and the paged metric
// history, on SQLite and PostgreSQL; and how a database with MLflow 2.9's
// schema answers them.

#include "mlflow3_test_database.hpp"

#include "server/store/sql_logged_model_store.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>

namespace mlflowcpp::server::store::testing {
namespace {

class SqlRunModelLinksTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    test_database_ = GetParam().create();
    database_ = test_database_->open();
    tracking_ = std::make_unique<SqlTrackingStore>(database_, store_options());
    models_ = std::make_unique<SqlLoggedModelStore>(database_);
    experiment_id_ = tracking_->create_experiment("links", "", {});
  }

  std::string new_run() {
    CreateRunRequest request;
    request.experiment_id = experiment_id_;
    request.start_time = 1700000000000;
    return tracking_->create_run(request).info.run_id;
  }

  std::string new_model(const std::string& name) {
    CreateLoggedModelRequest request;
    request.experiment_id = experiment_id_;
    request.name = name;
    return models_->create_logged_model(request).info.model_id;
  }

  int64_t count(const std::string& sql) {
    int64_t rows = 0;
    database_->read([&](sql::Connection& connection) {
      auto query = connection.statement(sql);
      query->step();
      rows = query->column(0).as_int64();
    });
    return rows;
  }

  std::unique_ptr<TestDatabase> test_database_;
  std::shared_ptr<sql::Database> database_;
  std::unique_ptr<SqlTrackingStore> tracking_;
  std::unique_ptr<SqlLoggedModelStore> models_;
  std::string experiment_id_;
};

TEST_P(SqlRunModelLinksTest, OutputsAreListedByGetAndSearchInputsByGetOnly) {
  const std::string run_id = new_run();
  const std::string plain_run = new_run();
  const std::string first = new_model("first");
  const std::string second = new_model("second");
  tracking_->log_outputs(run_id, {{second, 3}, {first, 1}});
  tracking_->log_inputs(run_id, {}, {{first}});

  const mlflowcpp::Run run = tracking_->get_run(run_id);
  // Listed by model id, as the official server reads them.
  const auto [low, high] = first < second ? std::pair{first, second} : std::pair{second, first};
  ASSERT_EQ(run.outputs.model_outputs.size(), 2u);
  EXPECT_EQ(run.outputs.model_outputs[0].model_id, low);
  EXPECT_EQ(run.outputs.model_outputs[1].model_id, high);
  for (const auto& output : run.outputs.model_outputs) EXPECT_EQ(output.step, output.model_id == first ? 1 : 3);
  ASSERT_EQ(run.inputs.model_inputs.size(), 1u);
  EXPECT_EQ(run.inputs.model_inputs[0].model_id, first);
  EXPECT_TRUE(tracking_->get_run(plain_run).outputs.model_outputs.empty());

  SearchRunsRequest search;
  search.experiment_ids = {experiment_id_};
  const Page<mlflowcpp::Run> page = tracking_->search_runs(search);
  ASSERT_EQ(page.items.size(), 2u);
  for (const mlflowcpp::Run& found : page.items) {
    EXPECT_TRUE(found.inputs.model_inputs.empty()) << "runs/search leaves model inputs out";
    EXPECT_EQ(found.outputs.model_outputs.size(), found.info.run_id == run_id ? 2u : 0u);
  }

  // Rows as MLflow's SQL store writes them, so the official server reads them back.
  EXPECT_EQ(count("SELECT COUNT(*) FROM inputs WHERE source_type = 'RUN_OUTPUT' AND source_id = '" + run_id +
                  "' AND destination_type = 'MODEL_OUTPUT' AND destination_id = '" + second +
                  "' AND step = 3 "
                  "AND LENGTH(input_uuid) = 32"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM inputs WHERE source_type = 'RUN_INPUT' AND source_id = '" + run_id +
                  "' AND destination_type = 'MODEL_INPUT' AND destination_id = '" + first + "' AND step = 0"),
            1);
}

TEST_P(SqlRunModelLinksTest, LoggingAnOutputAgainTakesTheNewStep) {
  const std::string run_id = new_run();
  const std::string model = new_model("m");
  tracking_->log_outputs(run_id, {{model, 1}});
  tracking_->log_outputs(run_id, {{model, 5}});
  tracking_->log_inputs(run_id, {}, {{model}, {model}});
  tracking_->log_inputs(run_id, {}, {{model}});
  const mlflowcpp::Run run = tracking_->get_run(run_id);
  ASSERT_EQ(run.outputs.model_outputs.size(), 1u);
  EXPECT_EQ(run.outputs.model_outputs[0].step, 5);
  EXPECT_EQ(run.inputs.model_inputs.size(), 1u);
}

TEST_P(SqlRunModelLinksTest, OutputsNeedALiveRunAndLiveModels) {
  const std::string run_id = new_run();
  const std::string model = new_model("m");
  const std::string deleted_model = new_model("gone");
  models_->delete_logged_model(deleted_model);
  EXPECT_MLFLOW_ERROR(tracking_->log_outputs("ffffffffffffffffffffffffffffffff", {{model, 0}}),
                      "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(tracking_->log_outputs(run_id, {{"m-00000000000000000000000000000000", 0}}),
                      "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(tracking_->log_outputs(run_id, {{model, 0}, {deleted_model, 0}}), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(tracking_->log_inputs(run_id, {}, {{"m-00000000000000000000000000000000"}}),
                      "RESOURCE_DOES_NOT_EXIST");
  EXPECT_TRUE(tracking_->get_run(run_id).outputs.model_outputs.empty()) << "all or nothing";
  tracking_->delete_run(run_id);
  EXPECT_MLFLOW_ERROR(tracking_->log_outputs(run_id, {{model, 0}}), "INVALID_PARAMETER_VALUE");
}

TEST_P(SqlRunModelLinksTest, MetricsWithAModelAreRecordedOnTheModel) {
  const std::string run_id = new_run();
  const std::string model = new_model("m");
  Metric accuracy{"accuracy", 0.88, 1700000009000, 1};
  accuracy.model_id = model;
  accuracy.dataset_name = "iris-eval";
  accuracy.dataset_digest = "d1g3st";
  Metric nan{"nan", std::numeric_limits<double>::quiet_NaN(), 1700000009001, 0};
  nan.model_id = model;
  tracking_->log_batch(run_id, {accuracy, nan, {"loss", 0.5, 1700000009000, 1}}, {}, {});
  tracking_->log_batch(run_id, {accuracy}, {}, {});  // the same point again is kept once

  const LoggedModel logged = models_->get_logged_model(model);
  ASSERT_EQ(logged.data.metrics.size(), 2u);
  const LoggedModelMetric& recorded = logged.data.metrics[0];
  EXPECT_EQ(recorded.key, "accuracy");
  EXPECT_EQ(recorded.value, 0.88);
  EXPECT_EQ(recorded.timestamp, 1700000009000);
  EXPECT_EQ(recorded.step, 1);
  EXPECT_EQ(recorded.dataset_name, "iris-eval");
  EXPECT_EQ(recorded.dataset_digest, "d1g3st");
  EXPECT_EQ(recorded.model_id, model);
  EXPECT_EQ(recorded.run_id, run_id);
  EXPECT_EQ(logged.data.metrics[1].dataset_name, std::nullopt);
  EXPECT_EQ(logged.data.metrics[1].value, 0) << "MLflow keeps no NaN in this table";
  EXPECT_EQ(count("SELECT COUNT(*) FROM logged_model_metrics WHERE experiment_id = " + experiment_id_ +
                  " AND dataset_uuid IS NULL"),
            2);

  // The run's own metrics are unchanged by the link.
  ASSERT_EQ(tracking_->get_metric_history(run_id, "accuracy").size(), 1u);
  EXPECT_TRUE(std::isnan(tracking_->get_metric_history(run_id, "nan").at(0).value));
  EXPECT_EQ(tracking_->get_run(run_id).data.metrics.size(), 3u);
}

TEST_P(SqlRunModelLinksTest, AMetricOnAnUnknownModelLogsNothing) {
  const std::string run_id = new_run();
  Metric metric{"accuracy", 0.5, 1, 0};
  metric.model_id = "m-00000000000000000000000000000000";
  EXPECT_MLFLOW_ERROR(tracking_->log_batch(run_id, {{"loss", 1, 1, 0}, metric}, {}, {}), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_TRUE(tracking_->get_metric_history(run_id, "loss").empty());
}

TEST_P(SqlRunModelLinksTest, HistoryIsOrderedByTimestampThenStepAndPaged) {
  const std::string run_id = new_run();
  // Steps and timestamps disagree: the history follows the timestamps.
  tracking_->log_batch(run_id, {{"m", 3, 300, 0}, {"m", 1, 100, 2}, {"m", 2, 200, 1}, {"m", 0, 100, 1}}, {}, {});
  const auto whole = tracking_->get_metric_history(run_id, "m");
  ASSERT_EQ(whole.size(), 4u);
  for (size_t i = 0; i < whole.size(); ++i) EXPECT_EQ(whole[i].value, double(i)) << i;

  MetricHistoryPageRequest request;
  request.run_id = run_id;
  request.metric_key = "m";
  request.max_results = 3;
  Page<Metric> page = tracking_->get_metric_history_page(request);
  ASSERT_EQ(page.items.size(), 3u);
  EXPECT_EQ(page.items[2].value, 2);
  EXPECT_EQ(page.next_page_token, "eyJvZmZzZXQiOiAzfQ==");  // {"offset": 3}
  request.page_token = page.next_page_token;
  page = tracking_->get_metric_history_page(request);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].value, 3);
  EXPECT_EQ(page.next_page_token, "");

  request.max_results = 4;  // exactly the rest: no token
  request.page_token = "";
  EXPECT_EQ(tracking_->get_metric_history_page(request).next_page_token, "");
  request.max_results.reset();  // from the token on, every point
  request.page_token = "eyJvZmZzZXQiOiAzfQ==";
  page = tracking_->get_metric_history_page(request);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].value, 3);
  request.page_token = "not a token";
  EXPECT_MLFLOW_ERROR(tracking_->get_metric_history_page(request), "INVALID_PARAMETER_VALUE");
}

TEST_P(SqlRunModelLinksTest, BulkIntervalOrdersEachRunByStepThenTimestamp) {
  const std::string run_id = new_run();
  tracking_->log_batch(run_id, {{"m", 2, 300, 1}, {"m", 1, 200, 1}, {"m", 0, 500, 0}}, {}, {});
  MetricHistoryBulkIntervalRequest request;
  request.run_ids = {run_id};
  request.metric_key = "m";
  const auto points = tracking_->get_metric_history_bulk_interval(request);
  ASSERT_EQ(points.size(), 3u);
  for (size_t i = 0; i < points.size(); ++i) EXPECT_EQ(points[i].value, double(i)) << i;
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlRunModelLinksTest, ::testing::ValuesIn(mlflow3_store_backends()),
                         backend_test_name);

// ---------------------------------------------------------------------------
// A database with MLflow 2.9's schema

class Mlflow2RunModelLinksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string copy = dir_.file("mlflow-2.9.2-sample.sqlite");
    std::filesystem::copy_file(mlflow3_fixture("mlflow-2.9.2-sample.sqlite"), copy);
    tracking_ = std::make_unique<SqlTrackingStore>(open_sqlite_database(copy), store_options());
    CreateRunRequest request;
    request.experiment_id = "0";
    run_id_ = tracking_->create_run(request).info.run_id;
  }

  TempDir dir_;
  std::unique_ptr<SqlTrackingStore> tracking_;
  std::string run_id_;
};

TEST_F(Mlflow2RunModelLinksTest, OutputsAnswerTheUpgradeHint) {
  try {
    tracking_->log_outputs(run_id_, {{"m-00000000000000000000000000000000", 0}});
    FAIL() << "log_outputs succeeded";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.error_code(), "INVALID_STATE");
    EXPECT_EQ(error.http_status(), 400);
    EXPECT_NE(std::string(error.what()).find("mlflowcpp db upgrade"), std::string::npos) << error.what();
  }
}

TEST_F(Mlflow2RunModelLinksTest, ModelFieldsAreIgnoredAndTheMetricIsStored) {
  Metric metric{"accuracy", 0.5, 1, 0};
  metric.model_id = "m-00000000000000000000000000000000";
  metric.dataset_name = "eval";
  tracking_->log_batch(run_id_, {metric}, {}, {});
  tracking_->log_inputs(run_id_, {}, {{"m-00000000000000000000000000000000"}});
  EXPECT_EQ(tracking_->get_metric_history(run_id_, "accuracy").size(), 1u);
  const mlflowcpp::Run run = tracking_->get_run(run_id_);
  EXPECT_TRUE(run.inputs.model_inputs.empty());
  EXPECT_TRUE(run.outputs.model_outputs.empty());
}

}  // namespace
}  // namespace mlflowcpp::server::store::testing
