// Every method of the SQL tracking store, with the error codes of the
// official server: a contract suite, run on every backend of store_backends().

#include "store_backends.hpp"
#include "store_test_support.hpp"

#include "server/store/step_sampling.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <regex>
#include <set>
#include <tuple>

namespace mlflowcpp::server::store::testing {
namespace {

class SqlTrackingStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    test_database_ = GetParam().create();
    database_ = test_database_->open();
    store_ = std::make_unique<SqlTrackingStore>(database_, store_options());
  }

  // Closes the store and its database and opens them again, as a restarted server.
  void reopen() {
    store_.reset();
    database_.reset();
    database_ = test_database_->open();
    store_ = std::make_unique<SqlTrackingStore>(database_, store_options());
  }

  std::string new_run(const std::string& experiment_id = "0", const std::string& run_name = "") {
    CreateRunRequest request;
    request.experiment_id = experiment_id;
    request.run_name = run_name;
    request.start_time = 1700000000000;
    return store_->create_run(request).info.run_id;
  }

  std::unique_ptr<TestDatabase> test_database_;
  std::shared_ptr<sql::Database> database_;  // for a direct look at the tables, as MLflow would see them
  std::unique_ptr<SqlTrackingStore> store_;
};

const Metric* find_metric(const std::vector<Metric>& metrics, const std::string& key) {
  for (const auto& metric : metrics) {
    if (metric.key == key) return &metric;
  }
  return nullptr;
}

const RunTag* find_tag(const std::vector<RunTag>& tags, const std::string& key) {
  for (const auto& tag : tags) {
    if (tag.key == key) return &tag;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// Experiments

TEST_P(SqlTrackingStoreTest, DefaultExperimentExists) {
  Experiment experiment = store_->get_experiment("0");
  EXPECT_EQ(experiment.name, "Default");
  EXPECT_EQ(experiment.artifact_location, "mlflow-artifacts:/0");
  EXPECT_EQ(experiment.lifecycle_stage, LifecycleStage::kActive);
  EXPECT_GT(experiment.creation_time, 0);
}

TEST_P(SqlTrackingStoreTest, ExperimentLocationsJoinTheRootAsUris) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"mlflow-artifacts:/", "mlflow-artifacts:/"}, {"/abs/mlruns", "/abs/mlruns/"},
      {"s3://b/p", "s3://b/p/"},                    {"file:///x", "file:///x/"},
      {"s3://b/p/", "s3://b/p/"}};
  for (const auto& [root, prefix] : cases) {
    auto test_database = GetParam().create();
    auto store = std::make_unique<SqlTrackingStore>(test_database->open(), store_options(root));
    EXPECT_EQ(store->get_experiment("0").artifact_location, prefix + "0") << root;
    std::string id = store->create_experiment("e", "", {});
    EXPECT_EQ(store->get_experiment(id).artifact_location, prefix + id) << root;
    CreateRunRequest request;
    request.experiment_id = id;
    mlflowcpp::Run run = store->create_run(request);
    EXPECT_EQ(run.info.artifact_uri, prefix + id + "/" + run.info.run_id + "/artifacts");
  }
}

TEST_P(SqlTrackingStoreTest, CreateExperimentAssignsIntegerIdsAndLocations) {
  std::string first = store_->create_experiment("first", "", {{"team", "cv"}, {"owner", "ana"}});
  std::string second = store_->create_experiment("second", "s3://bucket/custom", {});
  EXPECT_EQ(first, "1");
  EXPECT_EQ(second, "2");
  Experiment experiment = store_->get_experiment(first);
  EXPECT_EQ(experiment.name, "first");
  EXPECT_EQ(experiment.artifact_location, "mlflow-artifacts:/1");
  ASSERT_EQ(experiment.tags.size(), 2u);
  if (GetParam().name == "Mysql") {
    // MLflow on MySQL lists tags in InnoDB's primary key order (key, experiment_id).
    EXPECT_EQ(experiment.tags[0].key, "owner");
    EXPECT_EQ(experiment.tags[1].value, "cv");
  } else {
    EXPECT_EQ(experiment.tags[0].key, "team");
    EXPECT_EQ(experiment.tags[1].value, "ana");
  }
  EXPECT_EQ(experiment.creation_time, experiment.last_update_time);
  EXPECT_EQ(store_->get_experiment(second).artifact_location, "s3://bucket/custom");
}

TEST_P(SqlTrackingStoreTest, ExperimentNamesAreUniqueAcrossActiveAndDeleted) {
  std::string id = store_->create_experiment("taken", "", {});
  EXPECT_MLFLOW_ERROR(store_->create_experiment("taken", "", {}), "RESOURCE_ALREADY_EXISTS");
  store_->delete_experiment(id);
  EXPECT_MLFLOW_ERROR(store_->create_experiment("taken", "", {}), "RESOURCE_ALREADY_EXISTS");
  EXPECT_MLFLOW_ERROR(store_->create_experiment("", "", {}), "INVALID_PARAMETER_VALUE");
}

TEST_P(SqlTrackingStoreTest, GetExperimentErrors) {
  EXPECT_MLFLOW_ERROR(store_->get_experiment("42"), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store_->get_experiment("abc"), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store_->get_experiment(""), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store_->get_experiment("1; DROP TABLE runs"), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store_->get_experiment_by_name("nope"), "RESOURCE_DOES_NOT_EXIST");
}

TEST_P(SqlTrackingStoreTest, GetByNameReturnsDeletedExperimentsToo) {
  std::string id = store_->create_experiment("gone", "", {});
  store_->delete_experiment(id);
  Experiment experiment = store_->get_experiment_by_name("gone");
  EXPECT_EQ(experiment.experiment_id, id);
  EXPECT_EQ(experiment.lifecycle_stage, LifecycleStage::kDeleted);
  EXPECT_EQ(store_->get_experiment(id).lifecycle_stage, LifecycleStage::kDeleted);
}

TEST_P(SqlTrackingStoreTest, DeleteAndRestoreExperimentTakeTheirRuns) {
  std::string id = store_->create_experiment("lifecycle", "", {});
  std::string kept_deleted = new_run(id);
  std::string active = new_run(id);
  store_->delete_run(kept_deleted);
  int64_t before = store_->get_experiment(id).last_update_time;

  store_->delete_experiment(id);
  Experiment deleted = store_->get_experiment(id);
  EXPECT_EQ(deleted.lifecycle_stage, LifecycleStage::kDeleted);
  EXPECT_GE(deleted.last_update_time, before);
  EXPECT_EQ(store_->get_run(active).info.lifecycle_stage, LifecycleStage::kDeleted);
  EXPECT_NE(query_text(*database_, "SELECT deleted_time FROM runs WHERE run_uuid = ?", {active}), "<null>");
  EXPECT_MLFLOW_ERROR(store_->delete_experiment(id), "RESOURCE_DOES_NOT_EXIST");

  store_->restore_experiment(id);
  EXPECT_EQ(store_->get_experiment(id).lifecycle_stage, LifecycleStage::kActive);
  EXPECT_EQ(store_->get_run(active).info.lifecycle_stage, LifecycleStage::kActive);
  EXPECT_MLFLOW_ERROR(store_->restore_experiment(id), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(query_text(*database_, "SELECT deleted_time FROM runs WHERE run_uuid = ?", {active}), "<null>");

  EXPECT_MLFLOW_ERROR(store_->delete_experiment("0"), "INVALID_PARAMETER_VALUE");
  EXPECT_MLFLOW_ERROR(store_->delete_experiment("77"), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store_->delete_experiment("x"), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store_->restore_experiment("77"), "RESOURCE_DOES_NOT_EXIST");
}

TEST_P(SqlTrackingStoreTest, RenameExperiment) {
  std::string id = store_->create_experiment("old", "", {});
  store_->create_experiment("other", "", {});
  store_->rename_experiment(id, "new");
  EXPECT_EQ(store_->get_experiment(id).name, "new");
  EXPECT_EQ(store_->get_experiment_by_name("new").experiment_id, id);
  EXPECT_MLFLOW_ERROR(store_->rename_experiment(id, "other"), "BAD_REQUEST");
  EXPECT_MLFLOW_ERROR(store_->rename_experiment("99", "x"), "RESOURCE_DOES_NOT_EXIST");
  store_->delete_experiment(id);
  EXPECT_MLFLOW_ERROR(store_->rename_experiment(id, "renamed"), "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(store_->get_experiment(id).name, "new");
}

TEST_P(SqlTrackingStoreTest, ExperimentTags) {
  std::string id = store_->create_experiment("tagged", "", {});
  store_->set_experiment_tag(id, {"k", "v1"});
  store_->set_experiment_tag(id, {"k", "v2"});
  store_->set_experiment_tag(id, {"other", ""});
  Experiment experiment = store_->get_experiment(id);
  ASSERT_EQ(experiment.tags.size(), 2u);
  EXPECT_EQ(experiment.tags[0].key, "k");
  EXPECT_EQ(experiment.tags[0].value, "v2");

  store_->delete_experiment_tag(id, "k");
  EXPECT_EQ(store_->get_experiment(id).tags.size(), 1u);
  EXPECT_MLFLOW_ERROR(store_->delete_experiment_tag(id, "k"), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store_->set_experiment_tag("99", {"k", "v"}), "RESOURCE_DOES_NOT_EXIST");

  store_->delete_experiment(id);
  EXPECT_MLFLOW_ERROR(store_->set_experiment_tag(id, {"k", "v"}), "INVALID_PARAMETER_VALUE");
  EXPECT_MLFLOW_ERROR(store_->delete_experiment_tag(id, "other"), "INVALID_PARAMETER_VALUE");
}

// ---------------------------------------------------------------------------
// Runs

TEST_P(SqlTrackingStoreTest, CreateRunAsMlflowWritesIt) {
  CreateRunRequest request;
  request.experiment_id = "0";
  request.user_id = "ana";
  request.start_time = 1700000000123;
  request.tags = {{"stage", "exp"}};
  mlflowcpp::Run run = store_->create_run(request);
  EXPECT_TRUE(std::regex_match(run.info.run_id, std::regex("[0-9a-f]{32}"))) << run.info.run_id;
  EXPECT_EQ(run.info.run_id[12], '4');  // UUID version 4
  EXPECT_EQ(run.info.experiment_id, "0");
  EXPECT_EQ(run.info.user_id, "ana");
  EXPECT_EQ(run.info.status, RunStatus::kRunning);
  EXPECT_EQ(run.info.start_time, 1700000000123);
  EXPECT_FALSE(run.info.end_time.has_value());
  EXPECT_EQ(run.info.lifecycle_stage, LifecycleStage::kActive);
  EXPECT_EQ(run.info.artifact_uri, "mlflow-artifacts:/0/" + run.info.run_id + "/artifacts");
  EXPECT_TRUE(std::regex_match(run.info.run_name, std::regex("[a-z]+-[a-z]+-[0-9]{1,3}"))) << run.info.run_name;
  const RunTag* name_tag = find_tag(run.data.tags, "mlflow.runName");
  ASSERT_NE(name_tag, nullptr);
  EXPECT_EQ(name_tag->value, run.info.run_name);
  ASSERT_NE(find_tag(run.data.tags, "stage"), nullptr);

  const int rows = for_each_row(
      *database_,
      "SELECT source_type, source_name, entry_point_name, source_version, status, "
      "lifecycle_stage, end_time, deleted_time, experiment_id FROM runs WHERE run_uuid = ?",
      {run.info.run_id}, [](const sql::Statement& row) {
        EXPECT_EQ(row.column(0).as_string(), "UNKNOWN");
        EXPECT_FALSE(row.column(1).is_null());
        EXPECT_EQ(row.column(1).as_string(), "");
        EXPECT_EQ(row.column(2).as_string(), "");
        EXPECT_EQ(row.column(3).as_string(), "");
        EXPECT_EQ(row.column(4).as_string(), "RUNNING");
        EXPECT_EQ(row.column(5).as_string(), "active");
        EXPECT_TRUE(row.column(6).is_null());
        EXPECT_TRUE(row.column(7).is_null());
        EXPECT_EQ(row.column(8).as_int64(), 0);
      });
  EXPECT_EQ(rows, 1);
}

TEST_P(SqlTrackingStoreTest, RunNameComesFromRequestOrTag) {
  CreateRunRequest request;
  request.experiment_id = "0";
  request.run_name = "named";
  EXPECT_EQ(store_->create_run(request).info.run_name, "named");

  request.run_name = "";
  request.tags = {{"mlflow.runName", "from-tag"}};
  mlflowcpp::Run from_tag = store_->create_run(request);
  EXPECT_EQ(from_tag.info.run_name, "from-tag");
  EXPECT_EQ(from_tag.data.tags.size(), 1u);

  request.run_name = "from-tag";
  EXPECT_EQ(store_->create_run(request).info.run_name, "from-tag");

  request.run_name = "different";
  EXPECT_MLFLOW_ERROR(store_->create_run(request), "INVALID_PARAMETER_VALUE");
}

TEST_P(SqlTrackingStoreTest, CreateRunNeedsAnActiveExperiment) {
  CreateRunRequest request;
  request.experiment_id = "12";
  EXPECT_MLFLOW_ERROR(store_->create_run(request), "RESOURCE_DOES_NOT_EXIST");
  request.experiment_id = "abc";
  EXPECT_MLFLOW_ERROR(store_->create_run(request), "RESOURCE_DOES_NOT_EXIST");
  request.experiment_id = store_->create_experiment("doomed", "", {});
  store_->delete_experiment(request.experiment_id);
  EXPECT_MLFLOW_ERROR(store_->create_run(request), "INVALID_PARAMETER_VALUE");
}

TEST_P(SqlTrackingStoreTest, UpdateRunChangesOnlyWhatIsGiven) {
  std::string run_id = new_run("0", "before");
  UpdateRunRequest request;
  request.run_id = run_id;
  request.status = RunStatus::kFinished;
  request.end_time = 1700000009999;
  RunInfo info = store_->update_run(request);
  EXPECT_EQ(info.status, RunStatus::kFinished);
  EXPECT_EQ(info.end_time, 1700000009999);
  EXPECT_EQ(info.run_name, "before");

  UpdateRunRequest rename;
  rename.run_id = run_id;
  rename.run_name = "after";
  info = store_->update_run(rename);
  EXPECT_EQ(info.status, RunStatus::kFinished);
  EXPECT_EQ(info.end_time, 1700000009999);
  EXPECT_EQ(info.run_name, "after");
  mlflowcpp::Run run = store_->get_run(run_id);
  EXPECT_EQ(find_tag(run.data.tags, "mlflow.runName")->value, "after");

  rename.run_id = "0123456789abcdef0123456789abcdef";
  EXPECT_MLFLOW_ERROR(store_->update_run(rename), "RESOURCE_DOES_NOT_EXIST");
}

TEST_P(SqlTrackingStoreTest, SetTagRunNameRenamesTheRun) {
  std::string run_id = new_run("0", "first");
  store_->set_tag(run_id, {"mlflow.runName", "second"});
  EXPECT_EQ(store_->get_run(run_id).info.run_name, "second");
  store_->log_batch(run_id, {}, {}, {{"mlflow.runName", "third"}});
  EXPECT_EQ(store_->get_run(run_id).info.run_name, "third");
}

TEST_P(SqlTrackingStoreTest, GetRunErrors) {
  EXPECT_MLFLOW_ERROR(store_->get_run("0123456789abcdef0123456789abcdef"), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store_->get_run("not a run id \"]"), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store_->get_run(""), "RESOURCE_DOES_NOT_EXIST");
}

TEST_P(SqlTrackingStoreTest, DeleteAndRestoreRun) {
  std::string run_id = new_run();
  store_->delete_run(run_id);
  EXPECT_EQ(store_->get_run(run_id).info.lifecycle_stage, LifecycleStage::kDeleted);

  // Writes on a deleted run are refused.
  EXPECT_MLFLOW_ERROR(store_->log_batch(run_id, {{"m", 1, 1, 0}}, {}, {}), "INVALID_PARAMETER_VALUE");
  EXPECT_MLFLOW_ERROR(store_->log_batch(run_id, {}, {{"p", "v"}}, {}), "INVALID_PARAMETER_VALUE");
  EXPECT_MLFLOW_ERROR(store_->set_tag(run_id, {"t", "v"}), "INVALID_PARAMETER_VALUE");
  EXPECT_MLFLOW_ERROR(store_->delete_tag(run_id, "mlflow.runName"), "INVALID_PARAMETER_VALUE");
  UpdateRunRequest update;
  update.run_id = run_id;
  update.status = RunStatus::kKilled;
  EXPECT_MLFLOW_ERROR(store_->update_run(update), "INVALID_PARAMETER_VALUE");
  EXPECT_MLFLOW_ERROR(store_->log_inputs(run_id, {}, {}), "INVALID_PARAMETER_VALUE");

  store_->restore_run(run_id);
  EXPECT_EQ(store_->get_run(run_id).info.lifecycle_stage, LifecycleStage::kActive);
  store_->set_tag(run_id, {"t", "v"});

  EXPECT_MLFLOW_ERROR(store_->delete_run("ffffffffffffffffffffffffffffffff"), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store_->restore_run("ffffffffffffffffffffffffffffffff"), "RESOURCE_DOES_NOT_EXIST");
}

// ---------------------------------------------------------------------------
// Logging

TEST_P(SqlTrackingStoreTest, ParamsAreWriteOnce) {
  std::string run_id = new_run();
  store_->log_batch(run_id, {}, {{"lr", "0.1"}, {"empty", ""}}, {});
  store_->log_batch(run_id, {}, {{"lr", "0.1"}}, {});  // same value: fine
  EXPECT_MLFLOW_ERROR(store_->log_batch(run_id, {}, {{"lr", "0.2"}}, {}), "INVALID_PARAMETER_VALUE");
  EXPECT_MLFLOW_ERROR(store_->log_batch(run_id, {}, {{"a", "1"}, {"a", "1"}}, {}), "INVALID_PARAMETER_VALUE");
  mlflowcpp::Run run = store_->get_run(run_id);
  ASSERT_EQ(run.data.params.size(), 2u);
  // SQLite lists them in the request's order, PostgreSQL in key order
  // (sql_dialect::writes_batches_in_key_order).
  const Param& lr = run.data.params[0].key == "lr" ? run.data.params[0] : run.data.params[1];
  const Param& empty = run.data.params[0].key == "lr" ? run.data.params[1] : run.data.params[0];
  EXPECT_EQ(lr.key, "lr");
  EXPECT_EQ(lr.value, "0.1");
  EXPECT_EQ(empty.key, "empty");
  EXPECT_EQ(empty.value, "");
  if (GetParam().name == "Sqlite") {
    EXPECT_EQ(run.data.params[0].key, "lr");
  }
}

TEST_P(SqlTrackingStoreTest, LogBatchIsAllOrNothing) {
  std::string run_id = new_run();
  store_->log_batch(run_id, {}, {{"fixed", "1"}}, {});
  EXPECT_MLFLOW_ERROR(store_->log_batch(run_id, {{"m", 1.0, 10, 0}, {"m", 2.0, 11, 1}},
                                        {{"new", "x"}, {"fixed", "2"}}, {{"t", "v"}}),
                      "INVALID_PARAMETER_VALUE");
  mlflowcpp::Run run = store_->get_run(run_id);
  EXPECT_EQ(run.data.metrics.size(), 0u);
  EXPECT_EQ(run.data.params.size(), 1u);
  EXPECT_EQ(find_tag(run.data.tags, "t"), nullptr);
  EXPECT_TRUE(store_->get_metric_history(run_id, "m").empty());
  EXPECT_MLFLOW_ERROR(store_->log_batch("ffffffffffffffffffffffffffffffff", {}, {}, {}), "RESOURCE_DOES_NOT_EXIST");
}

TEST_P(SqlTrackingStoreTest, TagsAreLastWriterWinsAndDeletable) {
  std::string run_id = new_run();
  store_->set_tag(run_id, {"t", "1"});
  store_->log_batch(run_id, {}, {}, {{"t", "2"}, {"t", "3"}});
  EXPECT_EQ(find_tag(store_->get_run(run_id).data.tags, "t")->value, "3");
  store_->delete_tag(run_id, "t");
  EXPECT_EQ(find_tag(store_->get_run(run_id).data.tags, "t"), nullptr);
  EXPECT_MLFLOW_ERROR(store_->delete_tag(run_id, "t"), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store_->set_tag("ffffffffffffffffffffffffffffffff", {"t", "1"}), "RESOURCE_DOES_NOT_EXIST");
}

// The whole history is sent in the index's step order while that is also history order, and sorted at the first
// point where it is not; either way the points come as MLflow orders them (timestamp, step, value; NaN counted as 0),
// and the pages, with or without max_results, cut that same sequence.
TEST_P(SqlTrackingStoreTest, MetricHistoryInHistoryOrderWhateverTheStepOrder) {
  const std::string run_id = new_run();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  store_->log_batch(run_id,
                    {{"m", 5.0, 200, -1}, {"m", 2.0, 100, 3}, {"m", nan, 100, 3}, {"m", 1.0, 100, 3},
                     {"m", -4.0, 100, -2}, {"m", 7.0, 300, 0}, {"in_order", 0.5, 10, -5}, {"in_order", 0.25, 10, -4},
                     {"in_order", nan, 11, 9}},
                    {}, {});
  const auto steps_and_values = [](const std::vector<Metric>& points) {
    std::vector<std::pair<int64_t, std::string>> result;
    for (const Metric& point : points) result.emplace_back(point.step, std::to_string(point.value));
    return result;
  };
  using Points = std::vector<std::pair<int64_t, std::string>>;
  const Points expected = {{-2, std::to_string(-4.0)}, {3, std::to_string(nan)}, {3, std::to_string(1.0)},
                           {3, std::to_string(2.0)},   {-1, std::to_string(5.0)}, {0, std::to_string(7.0)}};
  EXPECT_EQ(steps_and_values(store_->get_metric_history(run_id, "m")), expected);
  EXPECT_EQ(steps_and_values(store_->get_metric_history(run_id, "in_order")),
            (Points{{-5, std::to_string(0.5)}, {-4, std::to_string(0.25)}, {9, std::to_string(nan)}}));

  MetricHistoryPageRequest request;
  request.run_id = run_id;
  request.metric_key = "m";
  request.max_results = 2;
  const Page<Metric> first = store_->get_metric_history_page(request);
  EXPECT_EQ(steps_and_values(first.items), Points(expected.begin(), expected.begin() + 2));
  ASSERT_FALSE(first.next_page_token.empty());
  // The token without max_results: every point after the first page (the sorted path).
  request.max_results.reset();
  request.page_token = first.next_page_token;
  Page<Metric> rest = store_->get_metric_history_page(request);
  EXPECT_EQ(steps_and_values(rest.items), Points(expected.begin() + 2, expected.end()));
  EXPECT_TRUE(rest.next_page_token.empty());
  // The same on a history already in order (the streamed path).
  request.metric_key = "in_order";
  rest = store_->get_metric_history_page(request);
  EXPECT_EQ(steps_and_values(rest.items), (Points{{9, std::to_string(nan)}}));
  // The last page with max_results has no token.
  request.metric_key = "m";
  request.max_results = 4;
  rest = store_->get_metric_history_page(request);
  EXPECT_EQ(steps_and_values(rest.items), Points(expected.begin() + 2, expected.end()));
  EXPECT_TRUE(rest.next_page_token.empty());
}

TEST_P(SqlTrackingStoreTest, MetricsStoredAsMlflowStoresThem) {
  std::string run_id = new_run();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  store_->log_batch(run_id, {{"g", nan, 100, 0}, {"g", inf, 101, 1}, {"g", -inf, 102, 2}, {"g", 3.5, 103, 3}}, {}, {});
  auto history = store_->get_metric_history(run_id, "g");
  ASSERT_EQ(history.size(), 4u);
  EXPECT_TRUE(std::isnan(history[0].value));
  EXPECT_EQ(history[1].value, std::numeric_limits<double>::max());
  EXPECT_EQ(history[2].value, std::numeric_limits<double>::lowest());
  EXPECT_EQ(history[3].value, 3.5);
  EXPECT_EQ(history[3].timestamp, 103);
  EXPECT_EQ(history[3].step, 3);

  const int rows = for_each_row(*database_, "SELECT value, is_nan FROM metrics WHERE run_uuid = ? AND step = 0",
                                {run_id}, [](const sql::Statement& row) {
                                  EXPECT_EQ(row.column(0).as_double(), 0.0);
                                  EXPECT_EQ(row.column(1).as_int64(), 1);
                                });
  EXPECT_EQ(rows, 1);
}

TEST_P(SqlTrackingStoreTest, LatestMetricIsGreatestStepThenTimestampThenValue) {
  std::string run_id = new_run();
  store_->log_batch(run_id, {{"m", 5.0, 100, 2}}, {}, {});
  store_->log_batch(run_id, {{"m", 9.0, 999, 1}}, {}, {});  // older step: not latest
  EXPECT_EQ(find_metric(store_->get_run(run_id).data.metrics, "m")->value, 5.0);
  store_->log_batch(run_id, {{"m", 4.0, 101, 2}}, {}, {});  // same step, later timestamp
  EXPECT_EQ(find_metric(store_->get_run(run_id).data.metrics, "m")->value, 4.0);
  store_->log_batch(run_id, {{"m", 6.0, 101, 2}, {"m", 1.0, 101, 2}}, {}, {});  // same step and time: max value
  EXPECT_EQ(find_metric(store_->get_run(run_id).data.metrics, "m")->value, 6.0);
  store_->log_batch(run_id, {{"m", std::numeric_limits<double>::quiet_NaN(), 50, 3}}, {}, {});  // NaN counts
  const mlflowcpp::Run run = store_->get_run(run_id);
  const Metric* latest = find_metric(run.data.metrics, "m");
  ASSERT_NE(latest, nullptr);
  EXPECT_TRUE(std::isnan(latest->value));
  EXPECT_EQ(latest->step, 3);
  EXPECT_EQ(latest->timestamp, 50);
}

TEST_P(SqlTrackingStoreTest, DuplicateMetricPointsAreIgnored) {
  std::string run_id = new_run();
  store_->log_batch(run_id, {{"m", 1.0, 10, 0}, {"m", 1.0, 10, 0}}, {}, {});
  store_->log_batch(run_id, {{"m", 1.0, 10, 0}}, {}, {});
  EXPECT_EQ(store_->get_metric_history(run_id, "m").size(), 1u);
  store_->log_batch(run_id, {{"m", 1.0, 11, 0}}, {}, {});
  EXPECT_EQ(store_->get_metric_history(run_id, "m").size(), 2u);
}

TEST_P(SqlTrackingStoreTest, MetricHistoryOfMissingRunOrKeyIsEmpty) {
  EXPECT_TRUE(store_->get_metric_history("ffffffffffffffffffffffffffffffff", "m").empty());
  EXPECT_TRUE(store_->get_metric_history(new_run(), "m").empty());
}

TEST_P(SqlTrackingStoreTest, MetricHistoryBulk) {
  std::string a = new_run();
  std::string b = new_run();
  store_->log_batch(a, {{"m", 1, 30, 0}, {"m", 2, 10, 1}, {"m", 3, 20, 2}}, {}, {});
  store_->log_batch(b, {{"m", 4, 5, 0}}, {}, {});
  auto metrics = store_->get_metric_history_bulk({b, a}, "m", 2);
  ASSERT_EQ(metrics.size(), 3u);
  const std::string& first_run = std::min(a, b);
  EXPECT_EQ(metrics[0].run_id, first_run);
  std::vector<MetricWithRunId> of_a;
  for (const auto& metric : metrics) {
    if (metric.run_id == a) of_a.push_back(metric);
  }
  ASSERT_EQ(of_a.size(), 2u);  // capped per run, earliest timestamps first
  EXPECT_EQ(of_a[0].timestamp, 10);
  EXPECT_EQ(of_a[1].timestamp, 20);
}

TEST_P(SqlTrackingStoreTest, MetricHistoryBulkIntervalSamplesSteps) {
  std::string run_id = new_run();
  std::vector<Metric> points;
  for (int step = 0; step < 100; ++step) points.push_back({"m", double(step), 1000 + step, step});
  store_->log_batch(run_id, points, {}, {});

  MetricHistoryBulkIntervalRequest request;
  request.run_ids = {run_id};
  request.metric_key = "m";
  request.max_results = 10;
  auto sampled = store_->get_metric_history_bulk_interval(request);
  ASSERT_EQ(sampled.size(), 10u);
  EXPECT_EQ(sampled.front().step, 0);
  EXPECT_EQ(sampled.back().step, 99);
  EXPECT_EQ(sampled.front().run_id, run_id);

  request.start_step = 10;
  request.end_step = 14;
  auto ranged = store_->get_metric_history_bulk_interval(request);
  ASSERT_EQ(ranged.size(), 5u);
  EXPECT_EQ(ranged.front().step, 10);

  request.end_step.reset();
  EXPECT_MLFLOW_ERROR(store_->get_metric_history_bulk_interval(request), "INVALID_PARAMETER_VALUE");
  request.end_step = 5;
  EXPECT_MLFLOW_ERROR(store_->get_metric_history_bulk_interval(request), "INVALID_PARAMETER_VALUE");
}

// What get-history-bulk-interval answered when it read every point of the range and sampled their steps: the
// answer the store must keep giving while it reads only the sampled steps' points.
std::vector<Metric> sampled_from_every_point(std::vector<Metric> points, int64_t start, int64_t end,
                                             int64_t max_results) {
  points.erase(std::remove_if(points.begin(), points.end(),
                              [&](const Metric& point) { return point.step < start || point.step > end; }),
               points.end());
  std::sort(points.begin(), points.end(), [](const Metric& a, const Metric& b) {
    return std::tie(a.step, a.timestamp, a.value) < std::tie(b.step, b.timestamp, b.value);
  });
  std::vector<int64_t> steps;
  for (const auto& point : points) {
    if (steps.empty() || steps.back() != point.step) steps.push_back(point.step);
  }
  const std::set<int64_t> sampled = sample_steps(steps, max_results);
  std::vector<Metric> kept;
  for (const auto& point : points) {
    if (sampled.count(point.step) != 0) kept.push_back(point);
  }
  return kept;
}

TEST_P(SqlTrackingStoreTest, MetricHistoryBulkIntervalEqualsSamplingEveryPoint) {
  // Steps with gaps (and below zero), one to three points a step (two of them at one timestamp), and a second run
  // with a shorter history of the same key.
  const std::string long_run = new_run();
  const std::string short_run = new_run();
  std::vector<Metric> long_points;
  for (int64_t step = -7; step < 400; step += (step % 5 == 0 ? 3 : 1)) {
    const int repeats = static_cast<int>((step % 3 + 3) % 3) + 1;
    for (int repeat = 0; repeat < repeats; ++repeat) {
      const int64_t timestamp = 1000 + step * 10 + (repeat == 2 ? 1 : 0);
      long_points.push_back({"m", static_cast<double>((step * 7 + repeat * 13) % 11) - 5.0, timestamp, step});
    }
  }
  for (std::size_t first = 0; first < long_points.size(); first += 500) {
    const std::size_t last = std::min(long_points.size(), first + 500);
    store_->log_batch(long_run, {long_points.begin() + first, long_points.begin() + last}, {}, {});
  }
  const std::vector<Metric> short_points = {{"m", 1, 50, 3}, {"m", 2, 40, 3}, {"m", 3, 60, 9}, {"other", 4, 60, 5}};
  store_->log_batch(short_run, short_points, {}, {});

  const std::vector<std::optional<std::pair<int64_t, int64_t>>> ranges = {
      std::nullopt, std::make_pair(0, 399), std::make_pair(-7, -7), std::make_pair(100, 180),
      std::make_pair(6, 6), std::make_pair(401, 900)};
  for (const int64_t max_results : {1, 2, 3, 7, 10, 50, 320, 2500}) {
    for (const auto& range : ranges) {
      MetricHistoryBulkIntervalRequest request;
      request.run_ids = {long_run, short_run};
      request.metric_key = "m";
      request.max_results = max_results;
      int64_t start = std::numeric_limits<int64_t>::min();
      int64_t end = std::numeric_limits<int64_t>::max();
      if (range) {
        std::tie(start, end) = *range;
        request.start_step = start;
        request.end_step = end;
      }
      std::vector<std::pair<std::string, Metric>> expected;
      for (const auto& point : sampled_from_every_point(long_points, start, end, max_results)) {
        expected.emplace_back(long_run, point);
      }
      for (const auto& point : sampled_from_every_point(store_->get_metric_history(short_run, "m"), start, end,
                                                        max_results)) {
        expected.emplace_back(short_run, point);
      }
      const auto answer = store_->get_metric_history_bulk_interval(request);
      const std::string what = "max_results " + std::to_string(max_results) +
                               (range ? " steps " + std::to_string(start) + ".." + std::to_string(end) : "");
      ASSERT_EQ(answer.size(), expected.size()) << what;
      for (std::size_t i = 0; i < answer.size(); ++i) {
        EXPECT_EQ(answer[i].run_id, expected[i].first) << what << " #" << i;
        EXPECT_EQ(answer[i].key, "m") << what << " #" << i;
        EXPECT_EQ(answer[i].step, expected[i].second.step) << what << " #" << i;
        EXPECT_EQ(answer[i].timestamp, expected[i].second.timestamp) << what << " #" << i;
        EXPECT_EQ(answer[i].value, expected[i].second.value) << what << " #" << i;
      }
    }
  }
}

TEST_P(SqlTrackingStoreTest, LogInputsIsIdempotentPerDataset) {
  std::string experiment_id = store_->create_experiment("data", "", {});
  std::string run_id = new_run(experiment_id);
  std::string other_run = new_run(experiment_id);
  DatasetInput input;
  input.dataset = {"mini", "abc123", "local", R"({"uri": "/data"})", std::nullopt, R"({"rows": 3})"};
  input.tags = {{"mlflow.data.context", "training"}};
  store_->log_inputs(run_id, {input, input}, {});
  DatasetInput retagged = input;
  retagged.tags = {{"mlflow.data.context", "eval"}};
  store_->log_inputs(run_id, {retagged}, {});  // first logging wins
  store_->log_inputs(other_run, {retagged}, {});

  mlflowcpp::Run run = store_->get_run(run_id);
  ASSERT_EQ(run.inputs.dataset_inputs.size(), 1u);
  const DatasetInput& stored = run.inputs.dataset_inputs[0];
  EXPECT_EQ(stored.dataset.name, "mini");
  EXPECT_EQ(stored.dataset.digest, "abc123");
  EXPECT_EQ(stored.dataset.source_type, "local");
  EXPECT_EQ(stored.dataset.source, R"({"uri": "/data"})");
  EXPECT_FALSE(stored.dataset.schema.has_value());
  EXPECT_EQ(stored.dataset.profile, std::optional<std::string>(R"({"rows": 3})"));
  ASSERT_EQ(stored.tags.size(), 1u);
  EXPECT_EQ(stored.tags[0].value, "training");

  EXPECT_EQ(query_int64(*database_, "SELECT COUNT(*) FROM datasets"), 1);  // one per experiment
  EXPECT_EQ(query_int64(*database_, "SELECT COUNT(*) FROM inputs"), 2);
  EXPECT_EQ(query_text(*database_, "SELECT dataset_schema FROM datasets"), "");

  auto summaries = store_->search_datasets({experiment_id, "not-a-number"});
  ASSERT_EQ(summaries.size(), 2u);  // one per distinct context
  EXPECT_EQ(summaries[0].experiment_id, experiment_id);
  EXPECT_EQ(summaries[0].name, "mini");
  EXPECT_TRUE(store_->search_datasets({"0"}).empty());
  EXPECT_MLFLOW_ERROR(store_->log_inputs("ffffffffffffffffffffffffffffffff", {input}, {}), "RESOURCE_DOES_NOT_EXIST");
}

// ---------------------------------------------------------------------------
// Searches (the grammar is tested with the search library; here the paging
// and what the store does with the SQL it gets)

TEST_P(SqlTrackingStoreTest, SearchExperimentsPagesUntilTheLastPage) {
  for (int i = 0; i < 4; ++i) store_->create_experiment("e" + std::to_string(i), "", {});
  store_->delete_experiment(store_->create_experiment("deleted", "", {}));

  SearchExperimentsRequest request;
  request.max_results = 2;
  std::vector<std::string> names;
  int pages = 0;
  do {
    Page<Experiment> page = store_->search_experiments(request);
    for (const auto& experiment : page.items) names.push_back(experiment.name);
    request.page_token = page.next_page_token;
    ASSERT_LT(++pages, 10);
  } while (!request.page_token.empty());
  EXPECT_EQ(pages, 3);  // 2 + 2 + 1: the last page carries no token
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"Default", "e0", "e1", "e2", "e3"}));

  SearchExperimentsRequest deleted;
  deleted.view_type = ViewType::kDeletedOnly;
  auto page = store_->search_experiments(deleted);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].name, "deleted");
  EXPECT_TRUE(page.next_page_token.empty());

  SearchExperimentsRequest all;
  all.view_type = ViewType::kAll;
  all.filter = "name LIKE 'e%'";
  EXPECT_EQ(store_->search_experiments(all).items.size(), 4u);

  // Page sizes are the service's to check (tests/unit/search/page_size_test.cpp).
  SearchExperimentsRequest bad;
  bad.max_results = 10;
  bad.page_token = "garbage!";
  EXPECT_MLFLOW_ERROR(store_->search_experiments(bad), "INVALID_PARAMETER_VALUE");
}

TEST_P(SqlTrackingStoreTest, SearchRunsPagesFiltersAndViews) {
  std::string experiment_id = store_->create_experiment("runs", "", {});
  std::vector<std::string> run_ids;
  for (int i = 0; i < 4; ++i) {
    CreateRunRequest request;
    request.experiment_id = experiment_id;
    request.start_time = 1000 + i;
    run_ids.push_back(store_->create_run(request).info.run_id);
    store_->log_batch(run_ids.back(), {{"loss", 1.0 / (i + 1), 1, 0}}, {{"i", std::to_string(i)}}, {});
  }
  SearchRunsRequest request;
  request.experiment_ids = {experiment_id};
  request.max_results = 2;
  std::vector<std::string> seen;
  int pages = 0;
  for (;;) {
    Page<mlflowcpp::Run> page = store_->search_runs(request);
    ++pages;
    for (const auto& run : page.items) seen.push_back(run.info.run_id);
    if (page.next_page_token.empty()) break;
    request.page_token = page.next_page_token;
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);  // full pages always carry a token, so an empty page ends it
  EXPECT_EQ(seen, std::vector<std::string>(run_ids.rbegin(), run_ids.rend()));  // start_time DESC

  SearchRunsRequest filtered;
  filtered.experiment_ids = {experiment_id};
  filtered.filter = "metrics.loss < 0.4 and params.i != '3'";
  auto page = store_->search_runs(filtered);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].info.run_id, run_ids[2]);
  EXPECT_EQ(page.items[0].data.params.size(), 1u);
  EXPECT_TRUE(page.next_page_token.empty());

  store_->delete_run(run_ids[0]);
  SearchRunsRequest deleted;
  deleted.experiment_ids = {experiment_id, "0", "not-a-number"};
  deleted.view_type = ViewType::kDeletedOnly;
  page = store_->search_runs(deleted);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].info.run_id, run_ids[0]);

  EXPECT_TRUE(store_->search_runs(SearchRunsRequest{}).items.empty());
  SearchRunsRequest bad;
  bad.experiment_ids = {experiment_id};
  bad.max_results = 10;
  bad.filter = "metrics.loss <";
  EXPECT_MLFLOW_ERROR(store_->search_runs(bad), "INVALID_PARAMETER_VALUE");
  bad.filter = "";
  bad.page_token = "garbage!";
  EXPECT_MLFLOW_ERROR(store_->search_runs(bad), "INVALID_PARAMETER_VALUE");
}

TEST_P(SqlTrackingStoreTest, WritesSurviveReopening) {
  std::string run_id = new_run();
  store_->log_batch(run_id, {{"m", 1.5, 10, 0}}, {{"p", "v"}}, {{"t", "v"}});
  reopen();
  mlflowcpp::Run run = store_->get_run(run_id);
  EXPECT_EQ(run.data.metrics.size(), 1u);
  EXPECT_EQ(run.data.params.size(), 1u);
  EXPECT_NE(find_tag(run.data.tags, "t"), nullptr);
  EXPECT_EQ(store_->get_experiment("0").name, "Default");
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlTrackingStoreTest, ::testing::ValuesIn(store_backends()), backend_test_name);

}  // namespace
}  // namespace mlflowcpp::server::store::testing
