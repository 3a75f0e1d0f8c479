// The database file itself: a new database is MLflow 3's schema, a 2.9.2 one
// is served as it is or upgraded to MLflow 3's, foreign or unusable files are
// refused with a clear message, the URI factory, and databases written by the
// official servers (2.9.2, also once upgraded, and 3.x) read back as they
// answered.

#include "store_test_support.hpp"

#include "server/store/sql_registry_store.hpp"
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

// The tables and indexes of `actual` are those of `expected` (the extra index
// of this server aside), up to the order of a table's clauses.
void expect_same_schema(const std::string& actual, const std::string& expected) {
  const auto expected_tables = schema_objects(expected, "table");
  const auto tables = schema_objects(actual, "table");
  EXPECT_EQ(tables.size(), expected_tables.size());
  for (const auto& [name, sql] : expected_tables) {
    auto found = tables.find(name);
    ASSERT_NE(found, tables.end()) << "missing table " << name;
    EXPECT_EQ(clauses(found->second), clauses(sql)) << "table " << name;
  }
  auto indexes = schema_objects(actual, "index");
  const auto expected_indexes = schema_objects(expected, "index");
  EXPECT_EQ(indexes.erase("mlflowcpp_index_metrics_run_uuid_key_step"), 1u);
  EXPECT_EQ(indexes.size(), expected_indexes.size() - expected_indexes.count("mlflowcpp_index_metrics_run_uuid_key_step"));
  for (const auto& [name, sql] : expected_indexes) {
    if (name == "mlflowcpp_index_metrics_run_uuid_key_step") continue;
    auto found = indexes.find(name);
    ASSERT_NE(found, indexes.end()) << "missing index " << name;
    EXPECT_EQ(found->second, sql) << "index " << name;
  }
}

std::string copy_mlflow3_fixture(const TempDir& dir) {
  const std::string copy = dir.file("mlflow-3-sample.sqlite");
  std::filesystem::copy_file(std::string(MLFLOWCPP_FIXTURES_DIR) + "/mlflow-3-sample.sqlite", copy);
  std::filesystem::permissions(copy, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  return copy;
}

// A copy of the 2.9.2 fixture after `mlflowcpp db upgrade`.
std::string upgraded_fixture(const TempDir& dir) {
  SqliteDatabaseOptions options;
  options.path = copy_fixture(dir);
  options.upgrade_mlflow2_schema = true;
  SqliteDatabase database(options);
  EXPECT_EQ(database.prepared_schema().state, SchemaState::kUpgraded);
  EXPECT_EQ(database.schema_generation(), SchemaGeneration::kMlflow3);
  return options.path;
}

TEST(SqliteSchemaTest, NewDatabaseHasMlflow3sTablesAndIndexes) {
  TempDir dir;
  const std::string official = copy_mlflow3_fixture(dir);
  ASSERT_EQ(schema_objects(official, "table").size(), 35u);

  const std::string created = dir.file("new.db");
  EXPECT_EQ(open_sqlite_database(created)->schema_generation(), SchemaGeneration::kMlflow3);
  open_store(created);
  expect_same_schema(created, official);

  SQLite::Database db(created, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT version_num FROM alembic_version").getString(), "1b5f0d9ad7c1");
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM alembic_version").getInt(), 1);
  EXPECT_EQ(db.execAndGet("SELECT name FROM experiments WHERE experiment_id = 0").getString(), "Default");
  EXPECT_EQ(db.execAndGet("SELECT workspace FROM experiments WHERE experiment_id = 0").getString(), "default");
  EXPECT_EQ(db.execAndGet("SELECT name || ': ' || description FROM workspaces").getString(),
            "default: Default workspace for legacy resources");
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

TEST(SqliteSchemaTest, AnMlflow2DatabaseIsServedAsItIs) {
  TempDir dir;
  const std::string fixture = copy_fixture(dir);
  auto database = open_sqlite_database(fixture);
  EXPECT_EQ(database->schema_generation(), SchemaGeneration::kMlflow2);
  EXPECT_EQ(database->prepared_schema().state, SchemaState::kCurrent);
  EXPECT_EQ(SqlTrackingStore(database, store_options()).schema_generation(), SchemaGeneration::kMlflow2);
  SQLite::Database db(fixture, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT version_num FROM alembic_version").getString(), "acf3f17fdcc7");
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").getInt(), 16);
}

TEST(SqliteSchemaTest, UpgradeGivesAnMlflow2DatabaseMlflow3sSchemaAndKeepsItsRows) {
  TempDir dir;
  std::map<std::string, int> rows_before;
  {
    SQLite::Database db(copy_fixture(dir), SQLite::OPEN_READONLY);
    SQLite::Statement tables(db, "SELECT name FROM sqlite_master WHERE type = 'table'");
    while (tables.executeStep()) {
      const std::string table = tables.getColumn(0).getString();
      rows_before[table] = db.execAndGet("SELECT COUNT(*) FROM \"" + table + "\"").getInt();
    }
  }
  std::filesystem::remove(dir.file("fixture.sqlite"));
  const std::string upgraded = upgraded_fixture(dir);
  const std::string created = dir.file("new.db");
  open_sqlite_database(created);
  expect_same_schema(upgraded, created);
  expect_same_schema(upgraded, copy_mlflow3_fixture(dir));

  SQLite::Database db(upgraded, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT version_num FROM alembic_version").getString(), "1b5f0d9ad7c1");
  EXPECT_EQ(db.execAndGet("SELECT name || ': ' || description FROM workspaces").getString(),
            "default: Default workspace for legacy resources");
  for (const auto& [table, rows] : rows_before) {
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM \"" + table + "\"").getInt(), rows) << table;
  }
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM model_versions WHERE workspace = 'default'").getInt(),
            rows_before["model_versions"]);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM inputs WHERE step = 0").getInt(), rows_before["inputs"]);
  EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  EXPECT_FALSE(SQLite::Statement(db, "PRAGMA foreign_key_check").executeStep());

  // Upgrading again only checks.
  SqliteDatabaseOptions options;
  options.path = upgraded;
  options.upgrade_mlflow2_schema = true;
  EXPECT_EQ(SqliteDatabase(options).prepared_schema().state, SchemaState::kCurrent);
}

// The database an MLflow 3.6 server wrote: the 2.x calls read it as that server
// answered them, and writes (upserts whose keys gained the workspace) work.
TEST(SqliteSchemaTest, AnMlflow3DatabaseAnswersTheMlflow2Calls) {
  TempDir dir;
  std::ifstream answers_file(std::string(MLFLOWCPP_FIXTURES_DIR) + "/mlflow-3-sample.answers.json");
  ASSERT_TRUE(answers_file.good());
  const Json calls = Json::parse(answers_file)["calls"];
  const auto answer = [&](const std::string& path) {
    for (const auto& call : calls) {
      if (call["path"] == path) return call["response"];
    }
    ADD_FAILURE() << "no recorded answer for " << path;
    return Json(Json::object());
  };
  auto database = open_sqlite_database(copy_mlflow3_fixture(dir));
  EXPECT_EQ(database->schema_generation(), SchemaGeneration::kMlflow3);
  SqlTrackingStore tracking(database, store_options());
  SqlRegistryStore registry(database);

  const std::string run_id = "17bace8578164956982781e3cc370714";
  const Json recorded_run = answer("/api/2.0/mlflow/runs/get?run_id=" + run_id)["run"];
  const mlflowcpp::Run run = tracking.get_run(run_id);
  EXPECT_EQ(run.info.run_name, recorded_run["info"]["run_name"]);
  EXPECT_EQ(run.info.experiment_id, recorded_run["info"]["experiment_id"]);
  EXPECT_EQ(run.data.params.size(), recorded_run["data"]["params"].size());
  EXPECT_EQ(tracking.get_experiment_by_name("fixture3-models").experiment_id, "1");
  EXPECT_EQ(tracking.get_metric_history(run_id, "loss").size(),
            answer("/api/2.0/mlflow/metrics/get-history?run_id=" + run_id + "&metric_key=loss&max_results=100")
                ["metrics"].size());
  SearchRunsRequest search;
  search.experiment_ids = {"1"};
  EXPECT_EQ(tracking.search_runs(search).items.size(), 2u);

  const Json recorded_model =
      answer("/api/2.0/mlflow/registered-models/get?name=fixture3-classifier")["registered_model"];
  const RegisteredModel model = registry.get_registered_model("fixture3-classifier");
  ASSERT_EQ(model.aliases.size(), 1u);
  EXPECT_EQ(model.aliases[0].alias, recorded_model["aliases"][0]["alias"]);
  EXPECT_EQ(model.aliases[0].version, recorded_model["aliases"][0]["version"]);
  EXPECT_EQ(model.tags.size(), recorded_model["tags"].size());
  const Json recorded_version =
      answer("/api/2.0/mlflow/model-versions/get?name=fixture3-classifier&version=2")["model_version"];
  const ModelVersion version = registry.get_model_version("fixture3-classifier", 2);
  EXPECT_EQ(version.source, recorded_version["source"].get<std::string>());
  EXPECT_EQ(registry.get_model_version_download_uri("fixture3-classifier", 1),
            answer("/api/2.0/mlflow/model-versions/get-download-uri?name=fixture3-classifier&version=1")
                ["artifact_uri"].get<std::string>());

  registry.set_registered_model_tag("fixture3-classifier", {"domain", "audio"});
  registry.set_registered_model_alias("fixture3-classifier", "champion", 2);
  registry.set_model_version_tag("fixture3-classifier", 1, {"checked", "yes"});
  registry.set_model_version_tag("fixture3-classifier", 1, {"checked", "twice"});
  EXPECT_EQ(registry.get_model_version_by_alias("fixture3-classifier", "champion").version, "2");
  EXPECT_EQ(registry.get_model_version("fixture3-classifier", 1).tags.back().value, "twice");
  registry.rename_registered_model("fixture3-classifier", "renamed");
  EXPECT_EQ(registry.get_model_version("renamed", 2).name, "renamed");
  EXPECT_EQ(tracking.create_experiment("fixture3-models-2", "", {}), "3");
  EXPECT_THROW(tracking.create_experiment("fixture3-models", "", {}), MlflowException);
}

TEST(SqliteSchemaTest, AFailedUpgradeLeavesTheDatabaseAsItWas) {
  TempDir dir;
  const std::string fixture = copy_fixture(dir);
  {
    // A table in the way of one the migration creates stops it half-way.
    SQLite::Database db(fixture, SQLite::OPEN_READWRITE);
    db.exec("CREATE TABLE workspaces (name VARCHAR(63))");
  }
  SqliteDatabaseOptions options;
  options.path = fixture;
  options.upgrade_mlflow2_schema = true;
  EXPECT_THROW(SqliteDatabase{options}, std::runtime_error);
  SQLite::Database db(fixture, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT version_num FROM alembic_version").getString(), "acf3f17fdcc7");
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM pragma_table_info('experiments') WHERE name = 'workspace'").getInt(),
            0);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '_mlflowcpp_tmp_%'").getInt(), 0);
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

class FixtureReadBackTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::ifstream answers_file(std::string(MLFLOWCPP_FIXTURES_DIR) + "/mlflow-2.9.2-sample.answers.json");
    ASSERT_TRUE(answers_file.good());
    answers_ = Json::parse(answers_file)["calls"];
    // The fixture as the official server left it, and after `db upgrade`.
    store_ = open_store(GetParam() ? upgraded_fixture(dir_) : copy_fixture(dir_));
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

TEST_P(FixtureReadBackTest, ExperimentsReadBackAsAnswered) {
  EXPECT_EQ(experiment_json(store_->get_experiment("0")),
            with_empty_lists(answer("/api/2.0/mlflow/experiments/get?experiment_id=0")["experiment"]));
  EXPECT_EQ(experiment_json(store_->get_experiment("1")),
            with_empty_lists(answer("/api/2.0/mlflow/experiments/get?experiment_id=1")["experiment"]));
  EXPECT_EQ(
      experiment_json(store_->get_experiment_by_name("fixture-deleted")),
      with_empty_lists(answer("/api/2.0/mlflow/experiments/get-by-name?experiment_name=fixture-deleted")["experiment"]));
}

TEST_P(FixtureReadBackTest, RunsReadBackAsAnswered) {
  for (const std::string run_id : {"02d34d91fce84aaaaa9a828c8d4bded3", "6a8b34550d12443691197ca3f64b5117"}) {
    EXPECT_EQ(run_json(store_->get_run(run_id)),
              with_empty_lists(answer("/api/2.0/mlflow/runs/get?run_id=" + run_id)["run"]))
        << run_id;
  }
}

TEST_P(FixtureReadBackTest, MetricHistoryReadsBackAsAnswered) {
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

TEST_P(FixtureReadBackTest, SearchesReadBackAsAnswered) {
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

TEST_P(FixtureReadBackTest, FixtureStaysWritable) {
  // Writes land in MLflow's tables as MLflow would put them.
  CreateRunRequest request;
  request.experiment_id = "1";
  mlflowcpp::Run run = store_->create_run(request);
  store_->log_batch(run.info.run_id, {{"loss", 0.5, 1, 0}}, {{"lr", "0.1"}}, {});
  EXPECT_EQ(store_->get_run(run.info.run_id).data.metrics.size(), 1u);
  EXPECT_EQ(store_->create_experiment("after-fixture", "", {}), "4");
  EXPECT_EQ(store_->get_experiment("4").artifact_location, "mlflow-artifacts:/4");
}

INSTANTIATE_TEST_SUITE_P(AsWrittenAndUpgraded, FixtureReadBackTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "UpgradedToMlflow3" : "Mlflow2";
                         });

}  // namespace
}  // namespace mlflowcpp::server::store::testing
