// The database file itself: a new database is MLflow 2.9.2's schema, foreign
// or unusable files are refused with a clear message, the URI factory, and a
// database written by the official server reads back as it answered.

#include "store_test_support.hpp"

#include "server/store/sqlite_schema.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

namespace mlflowcpp::server::store::testing {
namespace {

using Json = nlohmann::json;

std::map<std::string, std::string> schema_objects(const std::string& path, const std::string& type) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement query(db, "SELECT name, sql FROM sqlite_master WHERE type = ? AND sql IS NOT NULL");
  query.bind(1, type);
  std::map<std::string, std::string> objects;
  while (query.executeStep()) objects[query.getColumn(0).getString()] = query.getColumn(1).getString();
  return objects;
}

// A CREATE statement as the set of its lines without trailing commas: MLflow's
// migrations leave the constraints of `runs` in an order that differs between
// databases (the schema file and the fixture disagree), the clauses do not.
std::multiset<std::string> clauses(const std::string& sql) {
  std::multiset<std::string> lines;
  size_t start = 0;
  while (start <= sql.size()) {
    size_t end = sql.find('\n', start);
    if (end == std::string::npos) end = sql.size();
    std::string line = sql.substr(start, end - start);
    while (!line.empty() && (line.back() == ' ' || line.back() == ',')) line.pop_back();
    lines.insert(line);
    start = end + 1;
  }
  return lines;
}

TEST(SqliteSchemaTest, NewDatabaseHasMlflowsTablesAndIndexes) {
  TempDir dir;
  const std::string fixture = copy_fixture(dir);
  const auto fixture_tables = schema_objects(fixture, "table");
  const auto fixture_indexes = schema_objects(fixture, "index");
  ASSERT_EQ(fixture_tables.size(), 16u);

  const std::string created = dir.file("new.db");
  open_store(created);
  const auto tables = schema_objects(created, "table");
  EXPECT_EQ(tables.size(), fixture_tables.size());
  for (const auto& [name, sql] : fixture_tables) {
    auto found = tables.find(name);
    ASSERT_NE(found, tables.end()) << "missing table " << name;
    EXPECT_EQ(clauses(found->second), clauses(sql)) << "table " << name;
  }
  const auto indexes = schema_objects(created, "index");
  for (const auto& [name, sql] : fixture_indexes) {
    auto found = indexes.find(name);
    ASSERT_NE(found, indexes.end()) << "missing index " << name;
    EXPECT_EQ(found->second, sql) << "index " << name;
  }

  SQLite::Database db(created, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT version_num FROM alembic_version").getString(), "acf3f17fdcc7");
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM alembic_version").getInt(), 1);
  EXPECT_EQ(db.execAndGet("SELECT name FROM experiments WHERE experiment_id = 0").getString(), "Default");
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

TEST(SqliteSchemaTest, UnknownAlembicRevisionIsRefused) {
  TempDir dir;
  const std::string path = dir.file("old.db");
  open_store(path);
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("UPDATE alembic_version SET version_num = '0584bdc529eb'");
  }
  try {
    open_store(path);
    FAIL() << "a database at another revision opened";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("0584bdc529eb"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("acf3f17fdcc7"), std::string::npos) << error.what();
  }
}

TEST(SqliteSchemaTest, ForeignAndBrokenFilesAreRefused) {
  TempDir dir;
  const std::string garbage = dir.file("garbage.db");
  std::ofstream(garbage) << "this is not a SQLite database, not even close; it is long enough to have a header";
  EXPECT_THROW(open_store(garbage), std::runtime_error);

  const std::string foreign = dir.file("foreign.db");
  {
    SQLite::Database db(foreign, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE something (x)");
  }
  EXPECT_THROW(open_store(foreign), std::runtime_error);

  EXPECT_THROW(open_store(dir.file("missing-dir/x/y.db")), std::runtime_error);
}

TEST(SqliteSchemaTest, FactoryUnderstandsSqliteUris) {
  EXPECT_EQ(sqlite_path_from_uri("sqlite:///mlflow.db"), "mlflow.db");
  EXPECT_EQ(sqlite_path_from_uri("sqlite:///dir/x.db"), "dir/x.db");
  EXPECT_EQ(sqlite_path_from_uri("sqlite:////abs/x.db"), "/abs/x.db");
  EXPECT_THROW(sqlite_path_from_uri("postgresql://u@h/db"), std::runtime_error);
  EXPECT_THROW(sqlite_path_from_uri("sqlite://x.db"), std::runtime_error);
  EXPECT_THROW(sqlite_path_from_uri("/plain/path.db"), std::runtime_error);
  EXPECT_THROW(sqlite_path_from_uri("sqlite:///"), std::runtime_error);

  TempDir dir;
  auto store = open_tracking_store("sqlite:///" + dir.file("via-factory.db"), "/srv/mlruns");
  EXPECT_EQ(store->get_experiment("0").artifact_location, "/srv/mlruns/0");
  try {
    open_tracking_store("postgresql://user@host/db", "/srv/mlruns");
    FAIL() << "postgresql opened";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("postgresql"), std::string::npos);
  }
}

TEST(SqliteSchemaTest, BackendStoresShareOneDatabase) {
  TempDir dir;
  BackendStores stores = open_backend_stores("sqlite:///" + dir.file("both.db"), "mlflow-artifacts:/");
  ASSERT_NE(stores.tracking, nullptr);
  ASSERT_NE(stores.registry, nullptr);
  stores.registry->create_registered_model("model", {}, "");
  CreateRunRequest request;
  request.experiment_id = "0";
  const std::string run_id = stores.tracking->create_run(request).info.run_id;
  EXPECT_EQ(stores.registry->get_registered_model("model").name, "model");
  EXPECT_EQ(stores.registry->run_artifact_uri(run_id), std::optional<std::string>(
                                                           "mlflow-artifacts:/0/" + run_id + "/artifacts"));
}

// ---------------------------------------------------------------------------
// The fixture: what the official server answered on this database.

Json metric_json(const std::string& key, double value, int64_t timestamp, int64_t step) {
  Json metric = {{"key", key}, {"timestamp", timestamp}, {"step", step}};
  metric["value"] = std::isnan(value) ? Json("NaN") : Json(value);
  return metric;
}

Json key_values(const std::vector<std::pair<std::string, std::string>>& entries) {
  Json list = Json::array();
  for (const auto& [key, value] : entries) list.push_back({{"key", key}, {"value", value}});
  return list;
}

// The entities in the answers' JSON shape, every optional list present.
Json experiment_json(const Experiment& experiment) {
  std::vector<std::pair<std::string, std::string>> tags;
  for (const auto& tag : experiment.tags) tags.emplace_back(tag.key, tag.value);
  return {{"experiment_id", experiment.experiment_id},
          {"name", experiment.name},
          {"artifact_location", experiment.artifact_location},
          {"lifecycle_stage", experiment.lifecycle_stage == LifecycleStage::kActive ? "active" : "deleted"},
          {"last_update_time", experiment.last_update_time},
          {"creation_time", experiment.creation_time},
          {"tags", key_values(tags)}};
}

const char* status_name(RunStatus status) {
  switch (status) {
    case RunStatus::kRunning: return "RUNNING";
    case RunStatus::kScheduled: return "SCHEDULED";
    case RunStatus::kFinished: return "FINISHED";
    case RunStatus::kFailed: return "FAILED";
    case RunStatus::kKilled: return "KILLED";
  }
  return "";
}

Json run_json(const mlflowcpp::Run& run) {
  Json info = {{"run_uuid", run.info.run_id},
               {"run_id", run.info.run_id},
               {"experiment_id", run.info.experiment_id},
               {"run_name", run.info.run_name},
               {"user_id", run.info.user_id},
               {"status", status_name(run.info.status)},
               {"start_time", run.info.start_time},
               {"artifact_uri", run.info.artifact_uri},
               {"lifecycle_stage", run.info.lifecycle_stage == LifecycleStage::kActive ? "active" : "deleted"}};
  if (run.info.end_time) info["end_time"] = *run.info.end_time;
  Json metrics = Json::array();
  for (const auto& metric : run.data.metrics) {
    metrics.push_back(metric_json(metric.key, metric.value, metric.timestamp, metric.step));
  }
  std::vector<std::pair<std::string, std::string>> params, tags;
  for (const auto& param : run.data.params) params.emplace_back(param.key, param.value);
  for (const auto& tag : run.data.tags) tags.emplace_back(tag.key, tag.value);
  Json inputs = Json::array();
  for (const auto& input : run.inputs.dataset_inputs) {
    std::vector<std::pair<std::string, std::string>> input_tags;
    for (const auto& tag : input.tags) input_tags.emplace_back(tag.key, tag.value);
    Json dataset = {{"name", input.dataset.name},
                    {"digest", input.dataset.digest},
                    {"source_type", input.dataset.source_type},
                    {"source", input.dataset.source}};
    if (input.dataset.schema) dataset["schema"] = *input.dataset.schema;
    if (input.dataset.profile) dataset["profile"] = *input.dataset.profile;
    inputs.push_back({{"tags", key_values(input_tags)}, {"dataset", dataset}});
  }
  return {{"info", info},
          {"data", {{"metrics", metrics}, {"params", key_values(params)}, {"tags", key_values(tags)}}},
          {"inputs", {{"dataset_inputs", inputs}}}};
}

// The official server omits empty lists; put them back to compare.
Json with_empty_lists(Json json) {
  if (json.contains("info")) {  // a run
    for (const char* list : {"metrics", "params", "tags"}) {
      if (!json["data"].contains(list)) json["data"][list] = Json::array();
    }
    if (!json.contains("inputs") || !json["inputs"].contains("dataset_inputs")) {
      json["inputs"]["dataset_inputs"] = Json::array();
    }
    for (auto& input : json["inputs"]["dataset_inputs"]) {
      if (!input.contains("tags")) input["tags"] = Json::array();
    }
  } else if (!json.contains("tags")) {  // an experiment
    json["tags"] = Json::array();
  }
  return json;
}

class FixtureReadBackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ifstream answers_file(std::string(MLFLOWCPP_FIXTURES_DIR) + "/mlflow-2.9.2-sample.answers.json");
    ASSERT_TRUE(answers_file.good());
    answers_ = Json::parse(answers_file)["calls"];
    store_ = open_store(copy_fixture(dir_));
  }

  // The answer to the call whose path (and body, when given) match.
  Json answer(const std::string& path, const Json& body = nullptr) const {
    for (const auto& call : answers_) {
      if (call["path"] == path && (body.is_null() || call["body"] == body)) return call["response"];
    }
    ADD_FAILURE() << "no recorded answer for " << path;
    return Json::object();
  }

  TempDir dir_;
  Json answers_;
  std::unique_ptr<SqlTrackingStore> store_;
};

TEST_F(FixtureReadBackTest, ExperimentsReadBackAsAnswered) {
  EXPECT_EQ(experiment_json(store_->get_experiment("0")),
            with_empty_lists(answer("/api/2.0/mlflow/experiments/get?experiment_id=0")["experiment"]));
  EXPECT_EQ(experiment_json(store_->get_experiment("1")),
            with_empty_lists(answer("/api/2.0/mlflow/experiments/get?experiment_id=1")["experiment"]));
  EXPECT_EQ(
      experiment_json(store_->get_experiment_by_name("fixture-deleted")),
      with_empty_lists(answer("/api/2.0/mlflow/experiments/get-by-name?experiment_name=fixture-deleted")["experiment"]));
}

TEST_F(FixtureReadBackTest, RunsReadBackAsAnswered) {
  for (const std::string run_id : {"02d34d91fce84aaaaa9a828c8d4bded3", "6a8b34550d12443691197ca3f64b5117"}) {
    EXPECT_EQ(run_json(store_->get_run(run_id)),
              with_empty_lists(answer("/api/2.0/mlflow/runs/get?run_id=" + run_id)["run"]))
        << run_id;
  }
}

TEST_F(FixtureReadBackTest, MetricHistoryReadsBackAsAnswered) {
  for (const auto& [run_id, key] : std::vector<std::pair<std::string, std::string>>{
           {"02d34d91fce84aaaaa9a828c8d4bded3", "loss"}, {"00355905421740eda8f035e7a7b8d91e", "grad_norm"}}) {
    Json history = Json::array();
    for (const auto& metric : store_->get_metric_history(run_id, key)) {
      history.push_back(metric_json(metric.key, metric.value, metric.timestamp, metric.step));
    }
    EXPECT_EQ(history,
              answer("/api/2.0/mlflow/metrics/get-history?run_id=" + run_id + "&metric_key=" + key)["metrics"])
        << run_id << " " << key;
  }
}

TEST_F(FixtureReadBackTest, SearchesReadBackAsAnswered) {
  for (const auto& call : answers_) {
    const std::string path = call["path"];
    if (path == "/api/2.0/mlflow/experiments/search") {
      const Json& body = call["body"];
      SearchExperimentsRequest request;
      request.max_results = body.value("max_results", 1000);
      request.filter = body.value("filter", "");
      if (body.contains("view_type")) request.view_type = *parse_view_type(body["view_type"].get<std::string>());
      Json got = Json::array();
      for (const auto& experiment : store_->search_experiments(request).items) got.push_back(experiment_json(experiment));
      Json expected = Json::array();
      for (const auto& experiment : call["response"].value("experiments", Json::array())) {
        expected.push_back(with_empty_lists(experiment));
      }
      EXPECT_EQ(got, expected) << body.dump();
    } else if (path == "/api/2.0/mlflow/runs/search") {
      const Json& body = call["body"];
      SearchRunsRequest request;
      request.experiment_ids = body["experiment_ids"].get<std::vector<std::string>>();
      request.max_results = body.value("max_results", 1000);
      request.filter = body.value("filter", "");
      request.order_by = body.value("order_by", std::vector<std::string>{});
      if (body.contains("run_view_type")) {
        request.view_type = *parse_view_type(body["run_view_type"].get<std::string>());
      }
      Page<mlflowcpp::Run> page = store_->search_runs(request);
      Json got = Json::array();
      for (const auto& run : page.items) got.push_back(run_json(run));
      Json expected = Json::array();
      for (const auto& run : call["response"].value("runs", Json::array())) expected.push_back(with_empty_lists(run));
      EXPECT_EQ(got, expected) << body.dump();
      EXPECT_EQ(page.next_page_token.empty(), !call["response"].contains("next_page_token")) << body.dump();
    }
  }
}

TEST_F(FixtureReadBackTest, FixtureStaysWritable) {
  // Writes land in MLflow's tables as MLflow would put them.
  CreateRunRequest request;
  request.experiment_id = "1";
  mlflowcpp::Run run = store_->create_run(request);
  store_->log_batch(run.info.run_id, {{"loss", 0.5, 1, 0}}, {{"lr", "0.1"}}, {});
  EXPECT_EQ(store_->get_run(run.info.run_id).data.metrics.size(), 1u);
  EXPECT_EQ(store_->create_experiment("after-fixture", "", {}), "4");
  EXPECT_EQ(store_->get_experiment("4").artifact_location, "mlflow-artifacts:/4");
}

}  // namespace
}  // namespace mlflowcpp::server::store::testing
