// The logged-model store contract, on SQLite and PostgreSQL with MLflow 3's schema.

#include "mlflow3_test_database.hpp"

#include "server/store/sql_logged_model_store.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace mlflowcpp::server::store::testing {
namespace {

class SqlLoggedModelStoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    test_database_ = GetParam().create();
    database_ = test_database_->open();
    add_experiment(1, "models", "mlflow-artifacts:/1", "active");
    add_experiment(2, "other", "s3://bucket/prefix/2", "active");
    add_experiment(3, "gone", "mlflow-artifacts:/3", "deleted");
    add_run("r1", 1);
    add_run("r2", 2);
    store_ = std::make_unique<SqlLoggedModelStore>(database_);
    tracking_ = std::make_unique<SqlTrackingStore>(database_, store_options());
  }

  void add_experiment(int64_t id, const std::string& name, const std::string& location, const std::string& stage) {
    database_->write([&](sql::Connection& connection) {
      auto insert = connection.statement(
          "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, "
          "last_update_time) VALUES (?, ?, ?, ?, 0, 0)");
      insert->bind(1, id);
      insert->bind(2, name);
      insert->bind(3, location);
      insert->bind(4, stage);
      insert->execute();
    });
  }

  void add_run(const std::string& run_id, int64_t experiment_id) {
    database_->write([&](sql::Connection& connection) {
      auto insert = connection.statement(
          "INSERT INTO runs (run_uuid, name, source_type, status, start_time, lifecycle_stage, experiment_id, "
          "artifact_uri) VALUES (?, 'run', 'LOCAL', 'RUNNING', 0, 'active', ?, '')");
      insert->bind(1, run_id);
      insert->bind(2, experiment_id);
      insert->execute();
    });
  }

  // Metrics reach this table through run logging (runs/log-metric with a model_id), by a run of the model's
  // experiment: r1 in experiment 1, r2 in experiment 2.
  void add_metric(const LoggedModel& model, const std::string& key, double value, int64_t timestamp,
                  std::optional<std::string> dataset_name = std::nullopt,
                  std::optional<std::string> dataset_digest = std::nullopt) {
    Metric metric{key, value, timestamp, 0};
    metric.model_id = model.info.model_id;
    metric.dataset_name = dataset_name.value_or("");
    metric.dataset_digest = dataset_digest.value_or("");
    tracking_->log_batch("r" + model.info.experiment_id, {metric}, {}, {});
  }

  LoggedModel create(const std::string& name, const std::string& experiment_id = "1") {
    CreateLoggedModelRequest request;
    request.experiment_id = experiment_id;
    request.name = name;
    return store_->create_logged_model(request);
  }

  std::vector<std::string> names(const SearchLoggedModelsRequest& request) {
    std::vector<std::string> found;
    for (const LoggedModel& model : store_->search_logged_models(request).items) found.push_back(model.info.name);
    return found;
  }

  SearchLoggedModelsRequest search(std::string filter = "") {
    SearchLoggedModelsRequest request;
    request.experiment_ids = {"1", "2"};
    request.filter = std::move(filter);
    return request;
  }

  std::unique_ptr<TestDatabase> test_database_;
  std::shared_ptr<sql::Database> database_;
  std::unique_ptr<SqlLoggedModelStore> store_;
  std::unique_ptr<SqlTrackingStore> tracking_;
};

TEST_P(SqlLoggedModelStoreTest, CreateGivesAPendingModelWithItsArtifactLocation) {
  CreateLoggedModelRequest request;
  request.experiment_id = "2";
  request.name = "candidate";
  request.model_type = "agent";
  request.source_run_id = "r1";
  request.params = {{"top_p", "0.9"}, {"temperature", "0.2"}};
  request.tags = {{"owner", "ana"}, {"owner", "bo"}};
  const LoggedModel model = store_->create_logged_model(request);
  EXPECT_TRUE(std::regex_match(model.info.model_id, std::regex("m-[0-9a-f]{32}"))) << model.info.model_id;
  EXPECT_EQ(model.info.experiment_id, "2");
  EXPECT_EQ(model.info.artifact_uri, "s3://bucket/prefix/2/models/" + model.info.model_id + "/artifacts");
  EXPECT_EQ(model.info.status, LoggedModelStatus::kPending);
  EXPECT_EQ(model.info.creation_timestamp_ms, model.info.last_updated_timestamp_ms);
  EXPECT_GT(model.info.creation_timestamp_ms, 0);
  EXPECT_EQ(model.info.model_type, "agent");
  EXPECT_EQ(model.info.source_run_id, "r1");
  ASSERT_EQ(model.data.params.size(), 2u);
  EXPECT_EQ(model.data.params[0].key, "temperature");
  ASSERT_EQ(model.info.tags.size(), 1u);
  EXPECT_EQ(model.info.tags[0].value, "bo");

  const LoggedModel read = store_->get_logged_model(model.info.model_id);
  EXPECT_EQ(read.info.name, "candidate");
  EXPECT_EQ(read.data.params.size(), 2u);
}

TEST_P(SqlLoggedModelStoreTest, CreateWithoutNameGeneratesOne) {
  const LoggedModel model = create("");
  EXPECT_TRUE(std::regex_match(model.info.name, std::regex("[a-z]+-[a-z]+-[0-9]+"))) << model.info.name;
  EXPECT_FALSE(model.info.model_type.has_value());
}

TEST_P(SqlLoggedModelStoreTest, CreateNeedsAnActiveExperiment) {
  EXPECT_MLFLOW_ERROR(create("m", "987"), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(create("m", "abc"), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(create("m", "3"), "INVALID_PARAMETER_VALUE");
}

TEST_P(SqlLoggedModelStoreTest, FinalizeSetsStatusAndUpdateTime) {
  const LoggedModel model = create("m");
  const LoggedModel ready = store_->finalize_logged_model(model.info.model_id, LoggedModelStatus::kReady);
  EXPECT_EQ(ready.info.status, LoggedModelStatus::kReady);
  EXPECT_GE(ready.info.last_updated_timestamp_ms, model.info.creation_timestamp_ms);
  EXPECT_EQ(store_->get_logged_model(model.info.model_id).info.status, LoggedModelStatus::kReady);
  EXPECT_MLFLOW_ERROR(store_->finalize_logged_model("m-00000000000000000000000000000000", LoggedModelStatus::kReady),
                      "RESOURCE_DOES_NOT_EXIST");
}

TEST_P(SqlLoggedModelStoreTest, TagsAreSetReplacedAndDeleted) {
  const LoggedModel model = create("m");
  store_->set_logged_model_tags(model.info.model_id, {{"b", "1"}, {"a", "2"}});
  store_->set_logged_model_tags(model.info.model_id, {{"b", "3"}});
  store_->delete_logged_model_tag(model.info.model_id, "a");
  const LoggedModel read = store_->get_logged_model(model.info.model_id);
  ASSERT_EQ(read.info.tags.size(), 1u);
  EXPECT_EQ(read.info.tags[0].key, "b");
  EXPECT_EQ(read.info.tags[0].value, "3");
  try {
    store_->delete_logged_model_tag(model.info.model_id, "no-such-tag");
    ADD_FAILURE() << "expected RESOURCE_DOES_NOT_EXIST";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.error_code(), "RESOURCE_DOES_NOT_EXIST");
    EXPECT_EQ(std::string(error.what()),
              "No tag with key 'no-such-tag' found for model with ID '" + model.info.model_id + "'.");
  }
  EXPECT_MLFLOW_ERROR(store_->set_logged_model_tags("m-00000000000000000000000000000000", {{"a", "b"}}),
                      "RESOURCE_DOES_NOT_EXIST");
}

TEST_P(SqlLoggedModelStoreTest, ParamsNeverChange) {
  const LoggedModel model = create("m");
  store_->log_logged_model_params(model.info.model_id, {{"lr", "0.1"}});
  store_->log_logged_model_params(model.info.model_id, {{"lr", "0.1"}, {"depth", "3"}});
  EXPECT_MLFLOW_ERROR(store_->log_logged_model_params(model.info.model_id, {{"lr", "0.2"}}), "INVALID_PARAMETER_VALUE");
  const LoggedModel read = store_->get_logged_model(model.info.model_id);
  ASSERT_EQ(read.data.params.size(), 2u);
  EXPECT_EQ(read.data.params[1].key, "lr");
  EXPECT_EQ(read.data.params[1].value, "0.1");
}

TEST_P(SqlLoggedModelStoreTest, DeletedModelsAreHiddenFromGetAndSearchButStillWritable) {
  const LoggedModel model = create("m");
  store_->delete_logged_model(model.info.model_id);
  EXPECT_MLFLOW_ERROR(store_->get_logged_model(model.info.model_id), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_TRUE(names(search()).empty());
  store_->delete_logged_model(model.info.model_id);  // as MLflow: deleting again is no error
  store_->set_logged_model_tags(model.info.model_id, {{"a", "b"}});
  EXPECT_MLFLOW_ERROR(store_->delete_logged_model("m-00000000000000000000000000000000"), "RESOURCE_DOES_NOT_EXIST");
}

TEST_P(SqlLoggedModelStoreTest, MetricsAreListedInTheOrderLogged) {
  const LoggedModel model = create("m");
  add_metric(model, "loss", 0.5, 300);
  add_metric(model, "accuracy", 0.9, 100, "eval", "abc");
  const LoggedModel read = store_->get_logged_model(model.info.model_id);
  ASSERT_EQ(read.data.metrics.size(), 2u);
  // MLflow on MySQL lists them in InnoDB's primary key order (model_id, metric_name, ...).
  const bool key_order = GetParam().name == "Mysql";
  const auto& loss = read.data.metrics[key_order ? 1 : 0];
  const auto& accuracy = read.data.metrics[key_order ? 0 : 1];
  EXPECT_EQ(loss.key, "loss");
  EXPECT_FALSE(loss.dataset_name.has_value());
  EXPECT_EQ(accuracy.dataset_digest, "abc");
  EXPECT_EQ(accuracy.run_id, "r1");
  EXPECT_EQ(accuracy.model_id, model.info.model_id);
}

TEST_P(SqlLoggedModelStoreTest, SearchFiltersOnAttributesParamsTagsAndMetrics) {
  CreateLoggedModelRequest request;
  request.experiment_id = "1";
  request.name = "alpha";
  request.model_type = "classifier";
  request.params = {{"lr", "0.1"}};
  request.tags = {{"team", "cv"}};
  const LoggedModel alpha = store_->create_logged_model(request);
  const LoggedModel beta = create("beta", "2");
  add_metric(alpha, "accuracy", 0.9, 1, "eval", "d1");
  add_metric(beta, "accuracy", 0.7, 1, "eval", "d2");

  EXPECT_EQ(names(search("name = 'alpha'")), std::vector<std::string>{"alpha"});
  EXPECT_EQ(names(search("name LIKE 'b%'")), std::vector<std::string>{"beta"});
  EXPECT_EQ(names(search("name ILIKE 'ALPHA'")), std::vector<std::string>{"alpha"});
  EXPECT_EQ(names(search("name IN ('alpha', 'gamma')")), std::vector<std::string>{"alpha"});
  EXPECT_EQ(names(search("params.lr = '0.1' AND tags.team = 'cv'")), std::vector<std::string>{"alpha"});
  EXPECT_EQ(names(search("params.lr = 0.1")), std::vector<std::string>{"alpha"});
  EXPECT_EQ(names(search("metrics.accuracy > 0.8")), std::vector<std::string>{"alpha"});
  EXPECT_EQ(names(search("model_type = 'classifier'")), std::vector<std::string>{"alpha"});
  EXPECT_EQ(names(search("status = 'LOGGED_MODEL_PENDING' AND creation_timestamp > 0")).size(), 2u);
  EXPECT_TRUE(names(search("status = 'LOGGED_MODEL_READY'")).empty());

  SearchLoggedModelsRequest on_dataset = search();
  on_dataset.datasets = {{"eval", std::string("d2")}};
  EXPECT_EQ(names(on_dataset), std::vector<std::string>{"beta"});
  on_dataset.filter = "metrics.accuracy > 0.5";
  EXPECT_EQ(names(on_dataset), std::vector<std::string>{"beta"});
  on_dataset.datasets = {{"eval", std::nullopt}};
  EXPECT_EQ(names(on_dataset).size(), 2u);
}

TEST_P(SqlLoggedModelStoreTest, SearchOrdersByAttributesAndLatestMetricValues) {
  const LoggedModel a = create("a");
  const LoggedModel b = create("b");
  const LoggedModel c = create("c");
  add_metric(a, "score", 5, 1, "eval", "x");
  add_metric(a, "score", 1, 2, "test", "y");  // the latest value of a's score
  add_metric(b, "score", 3, 1, "eval", "x");

  SearchLoggedModelsRequest request = search();
  request.order_by = {{"name", false, std::nullopt, std::nullopt}};
  EXPECT_EQ(names(request), (std::vector<std::string>{"c", "b", "a"}));
  request.order_by = {{"metrics.score", true, std::nullopt, std::nullopt}};
  EXPECT_EQ(names(request), (std::vector<std::string>{"a", "b", "c"}));
  request.order_by = {{"metrics.score", false, std::string("eval"), std::nullopt}};
  EXPECT_EQ(names(request), (std::vector<std::string>{"a", "b", "c"}));
  request.order_by = {{"metrics.score", true, std::string("eval"), std::nullopt}};
  EXPECT_EQ(names(request), (std::vector<std::string>{"b", "a", "c"}));

  request.order_by = {{"params.x", true, std::nullopt, std::nullopt}};
  EXPECT_MLFLOW_ERROR(names(request), "INVALID_PARAMETER_VALUE");
  request.order_by = {{"bogus", true, std::nullopt, std::nullopt}};
  EXPECT_MLFLOW_ERROR(names(request), "INVALID_PARAMETER_VALUE");
}

TEST_P(SqlLoggedModelStoreTest, SearchPagesWithTokensTiedToTheSearch) {
  for (const char* name : {"a", "b", "c", "d", "e"}) create(name);
  SearchLoggedModelsRequest request = search();
  request.order_by = {{"name", true, std::nullopt, std::nullopt}};
  request.max_results = 2;
  std::vector<std::string> seen;
  int pages = 0;
  do {
    const Page<LoggedModel> page = store_->search_logged_models(request);
    for (const LoggedModel& model : page.items) seen.push_back(model.info.name);
    request.page_token = page.next_page_token;
    ++pages;
  } while (!request.page_token.empty() && pages < 10);
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(pages, 3);

  request.page_token = store_->search_logged_models(request).next_page_token;
  request.max_results = 2;
  request.page_token = store_->search_logged_models(request).next_page_token;
  ASSERT_FALSE(request.page_token.empty());
  request.experiment_ids = {"1"};
  EXPECT_MLFLOW_ERROR(store_->search_logged_models(request), "INVALID_PARAMETER_VALUE");
  request.page_token = "not a token";
  EXPECT_MLFLOW_ERROR(store_->search_logged_models(request), "INVALID_PARAMETER_VALUE");
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlLoggedModelStoreTest, ::testing::ValuesIn(mlflow3_store_backends()),
                         backend_test_name);

}  // namespace
}  // namespace mlflowcpp::server::store::testing
