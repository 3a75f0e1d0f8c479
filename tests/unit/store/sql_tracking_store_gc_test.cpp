// The tracking store's permanent deletion (`mlflowcpp gc`) on every backend of store_backends(): only what is in
// the deleted stage when the transaction runs goes, the deleted_time boundary is inclusive as in MLflow, and an
// experiment takes all its runs with it.

#include "store_backends.hpp"
#include "store_test_support.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::server::store::testing {
namespace {

class SqlTrackingStoreGcTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    test_database_ = GetParam().create();
    database_ = test_database_->open();
    store_ = std::make_unique<SqlTrackingStore>(database_, store_options());
  }

  std::string new_run(const std::string& experiment_id) {
    CreateRunRequest request;
    request.experiment_id = experiment_id;
    request.start_time = 1700000000000;
    const std::string run_id = store_->create_run(request).info.run_id;
    store_->log_batch(run_id, {Metric{"loss", 0.5, 1, 0}}, {Param{"lr", "0.1"}}, {RunTag{"team", "vision"}});
    return run_id;
  }

  void execute(const std::string& sql) {
    database_->write([&](sql::Connection& connection) { connection.execute(sql); });
  }

  std::unique_ptr<TestDatabase> test_database_;
  std::shared_ptr<sql::Database> database_;
  std::unique_ptr<SqlTrackingStore> store_;
};

TEST_P(SqlTrackingStoreGcTest, HardDeletesOnlyRunsStillDeleted) {
  const std::string experiment = store_->create_experiment("gc", "", {});
  const std::string run_id = new_run(experiment);
  EXPECT_FALSE(store_->hard_delete_run(run_id));  // active: kept
  EXPECT_EQ(store_->get_run(run_id).info.run_id, run_id);

  store_->delete_run(run_id);
  const std::string artifact_uri = store_->get_run(run_id).info.artifact_uri;
  store_->restore_run(run_id);  // restored before gc got to it
  EXPECT_FALSE(store_->hard_delete_run(run_id));

  store_->delete_run(run_id);
  const std::optional<RemovedRun> removed = store_->hard_delete_run(run_id);
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->run_id, run_id);
  EXPECT_EQ(removed->artifact_uri, artifact_uri);
  EXPECT_MLFLOW_ERROR(store_->get_run(run_id), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store_->hard_delete_run(run_id), "RESOURCE_DOES_NOT_EXIST");
}

TEST_P(SqlTrackingStoreGcTest, DeletedRunIdsIncludeTheBoundary) {
  const std::string experiment = store_->create_experiment("ages", "", {});
  const std::string older = new_run(experiment);
  const std::string newer = new_run(experiment);
  const std::string active = new_run(experiment);
  store_->delete_run(older);
  store_->delete_run(newer);
  execute("UPDATE runs SET deleted_time = 1000 WHERE run_uuid = '" + older + "'");
  execute("UPDATE runs SET deleted_time = 2000 WHERE run_uuid = '" + newer + "'");
  EXPECT_EQ(store_->deleted_run_ids(999), std::vector<std::string>{});
  EXPECT_EQ(store_->deleted_run_ids(1000), std::vector<std::string>{older});
  EXPECT_EQ(store_->deleted_run_ids(5000), (std::vector<std::string>{older, newer}));
  // A run deleted without a deleted_time is never listed, as in MLflow.
  execute("UPDATE runs SET deleted_time = NULL WHERE run_uuid = '" + newer + "'");
  EXPECT_EQ(store_->deleted_run_ids(5000), std::vector<std::string>{older});
}

TEST_P(SqlTrackingStoreGcTest, HardDeletesAnExperimentWithAllItsRuns) {
  const std::string experiment = store_->create_experiment("doomed", "", {ExperimentTag{"k", "v"}});
  const std::string kept_experiment = store_->create_experiment("kept", "", {});
  std::vector<std::string> runs = {new_run(experiment), new_run(experiment)};
  const std::string kept_run = new_run(kept_experiment);
  EXPECT_FALSE(store_->hard_delete_experiment(experiment));  // active: kept

  store_->delete_experiment(experiment);
  store_->restore_run(runs[1]);  // an active run goes with its experiment all the same
  const auto removed = store_->hard_delete_experiment(experiment);
  ASSERT_TRUE(removed);
  std::vector<std::string> removed_ids;
  for (const auto& run : *removed) removed_ids.push_back(run.run_id);
  std::sort(runs.begin(), runs.end());
  std::sort(removed_ids.begin(), removed_ids.end());
  EXPECT_EQ(removed_ids, runs);
  EXPECT_MLFLOW_ERROR(store_->get_experiment(experiment), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store_->get_run(runs[0]), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store_->hard_delete_experiment(experiment), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store_->hard_delete_experiment("not-a-number"), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(store_->get_run(kept_run).info.run_id, kept_run);
  EXPECT_EQ(store_->get_experiment(kept_experiment).name, "kept");
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlTrackingStoreGcTest, ::testing::ValuesIn(store_backends()), backend_test_name);

}  // namespace
}  // namespace mlflowcpp::server::store::testing
