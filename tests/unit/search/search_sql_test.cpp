// Compiled search SQL run against MLflow's own schema in SQLite: which rows
// come back and in which order, the fixture database of the official server,
// query plans and speed.
#include "server/search/search.hpp"

#include <mlflowcpp/errors.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace mlflowcpp::server::search {
namespace {

using Ids = std::vector<std::string>;

const std::filesystem::path kFixtures = MLFLOWCPP_FIXTURES_DIR;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void bind_all(SQLite::Statement& statement, const std::vector<SqlValue>& bindings) {
  for (std::size_t i = 0; i < bindings.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    std::visit([&](const auto& value) { statement.bind(index, value); }, bindings[i]);
  }
}

// The first column of every row, as text.
Ids run_query(SQLite::Database& db, const SqlQuery& query) {
  SQLite::Statement statement(db, query.sql);
  EXPECT_EQ(static_cast<std::size_t>(statement.getBindParameterCount()), query.bindings.size()) << query.sql;
  bind_all(statement, query.bindings);
  Ids ids;
  while (statement.executeStep()) ids.push_back(statement.getColumn(0).getString());
  return ids;
}

void expect_invalid(const std::function<void()>& call, const std::string& fragment) {
  try {
    call();
    ADD_FAILURE() << "no exception; expected one mentioning: " << fragment;
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.error_code(), "INVALID_PARAMETER_VALUE") << error.what();
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
  }
}

// An in-memory database in MLflow 2.9's schema, set up as the SQLite store
// sets up its connections.
class SearchSql : public ::testing::Test {
 protected:
  SearchSql() : db_(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
    db_.exec(read_file(MLFLOWCPP_SCHEMA_SQL));
    db_.exec("PRAGMA case_sensitive_like = ON");
  }

  void experiment(int id, const std::string& name, std::optional<int64_t> created, const std::string& stage = "active",
                  std::optional<int64_t> updated = std::nullopt) {
    SQLite::Statement insert(db_,
                             "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, "
                             "creation_time, last_update_time) VALUES (?, ?, 'mlflow-artifacts:/x', ?, ?, ?)");
    insert.bind(1, id);
    insert.bind(2, name);
    insert.bind(3, stage);
    created ? insert.bind(4, *created) : insert.bind(4);
    const std::optional<int64_t> last_update = updated ? updated : created;
    last_update ? insert.bind(5, *last_update) : insert.bind(5);
    insert.exec();
  }

  void experiment_tag(int experiment_id, const std::string& key, const std::string& value) {
    SQLite::Statement insert(db_, "INSERT INTO experiment_tags (\"key\", value, experiment_id) VALUES (?, ?, ?)");
    insert.bind(1, key);
    insert.bind(2, value);
    insert.bind(3, experiment_id);
    insert.exec();
  }

  void run(const std::string& id, int experiment_id, const std::string& name, int64_t start_time,
           const std::string& status = "FINISHED", std::optional<int64_t> end_time = std::nullopt,
           const std::string& stage = "active") {
    SQLite::Statement insert(db_,
                             "INSERT INTO runs (run_uuid, name, source_type, user_id, status, start_time, end_time, "
                             "lifecycle_stage, artifact_uri, experiment_id) VALUES (?, ?, 'UNKNOWN', 'ana', ?, ?, ?, "
                             "?, ?, ?)");
    insert.bind(1, id);
    insert.bind(2, name);
    insert.bind(3, status);
    insert.bind(4, start_time);
    end_time ? insert.bind(5, *end_time) : insert.bind(5);
    insert.bind(6, stage);
    insert.bind(7, "mlflow-artifacts:/" + std::to_string(experiment_id) + "/" + id + "/artifacts");
    insert.bind(8, experiment_id);
    insert.exec();
  }

  // Stored as MLflow stores it: NaN as 0 with is_nan, ±inf as ±DBL_MAX.
  void metric(const std::string& run_id, const std::string& key, double value) {
    const bool is_nan = std::isnan(value);
    double stored = is_nan ? 0.0 : value;
    stored = std::clamp(stored, -std::numeric_limits<double>::max(), std::numeric_limits<double>::max());
    SQLite::Statement insert(db_,
                             "INSERT INTO latest_metrics (\"key\", value, timestamp, step, is_nan, run_uuid) "
                             "VALUES (?, ?, 0, 0, ?, ?)");
    insert.bind(1, key);
    insert.bind(2, stored);
    insert.bind(3, is_nan ? 1 : 0);
    insert.bind(4, run_id);
    insert.exec();
  }

  void key_value(const std::string& table, const std::string& run_id, const std::string& key,
                 const std::string& value) {
    SQLite::Statement insert(db_, "INSERT INTO " + table + " (\"key\", value, run_uuid) VALUES (?, ?, ?)");
    insert.bind(1, key);
    insert.bind(2, value);
    insert.bind(3, run_id);
    insert.exec();
  }
  void param(const std::string& run_id, const std::string& key, const std::string& value) {
    key_value("params", run_id, key, value);
  }
  void tag(const std::string& run_id, const std::string& key, const std::string& value) {
    key_value("tags", run_id, key, value);
  }

  void dataset_input(const std::string& run_id, int experiment_id, const std::string& name, const std::string& digest,
                     const std::string& context) {
    const std::string dataset_uuid = "ds-" + name;
    const std::string input_uuid = "in-" + run_id + "-" + name;
    SQLite::Statement dataset(db_,
                              "INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, dataset_source_type, "
                              "dataset_source) VALUES (?, ?, ?, ?, 'local', '{}')");
    dataset.bind(1, dataset_uuid);
    dataset.bind(2, experiment_id);
    dataset.bind(3, name);
    dataset.bind(4, digest);
    dataset.exec();
    SQLite::Statement input(db_,
                            "INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id) "
                            "VALUES (?, 'DATASET', ?, 'RUN', ?)");
    input.bind(1, input_uuid);
    input.bind(2, dataset_uuid);
    input.bind(3, run_id);
    input.exec();
    SQLite::Statement tag(db_, "INSERT INTO input_tags (input_uuid, name, value) VALUES (?, 'mlflow.data.context', ?)");
    tag.bind(1, input_uuid);
    tag.bind(2, context);
    tag.exec();
  }

  Ids search_runs(const std::string& filter, const std::vector<std::string>& order_by = {},
                  const std::vector<std::string>& experiment_ids = {"1"}, int view_type = 1, int64_t limit = 1000,
                  int64_t offset = 0) {
    RunQuery query;
    query.experiment_ids = experiment_ids;
    query.view_type = view_type;
    query.filter = parse_run_filter(filter);
    for (const auto& each : order_by) query.order_by.push_back(parse_run_order_by(each));
    query.limit = limit;
    query.offset = offset;
    return run_query(db_, compile_run_query(query, Dialect::kSqlite));
  }

  Ids search_experiments(const std::string& filter, const std::vector<std::string>& order_by = {},
                         int view_type = 1, int64_t limit = 1000, int64_t offset = 0) {
    ExperimentQuery query;
    query.view_type = view_type;
    query.filter = parse_experiment_filter(filter);
    for (const auto& each : order_by) query.order_by.push_back(parse_experiment_order_by(each));
    query.limit = limit;
    query.offset = offset;
    return run_query(db_, compile_experiment_query(query, Dialect::kSqlite));
  }

  SQLite::Database db_;
};

// A handful of runs covering NaN, infinities, missing keys, ties and datasets.
class SearchRunsSql : public SearchSql {
 protected:
  SearchRunsSql() {
    experiment(0, "Default", 1000);
    experiment(1, "exp-a", 2000);
    experiment(2, "exp-b", 3000);
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();

    run("ra", 1, "Alpha", 100, "FINISHED", 200);
    metric("ra", "loss", 0.5);
    metric("ra", "acc", 0.9);
    param("ra", "optimizer", "sgd");
    tag("ra", "stage", "prod");
    tag("ra", "note", "Salt and Pepper");
    dataset_input("ra", 1, "mnist", "d1", "eval");

    run("rb", 1, "beta", 200, "FAILED", 260);
    metric("rb", "loss", nan);
    metric("rb", "acc", 0.8);
    param("rb", "optimizer", "Adam");
    tag("rb", "stage", "dev");

    run("rc", 1, "gamma", 300, "RUNNING");
    metric("rc", "loss", inf);
    metric("rc", "acc", -inf);
    param("rc", "optimizer", "sgd");

    run("rd", 1, "delta", 300, "FINISHED", 400);  // same start as rc: run id breaks the tie
    metric("rd", "acc", 0.95);
    tag("rd", "stage", "Prod");

    run("re", 1, "deleted-one", 50, "FINISHED", 60, "deleted");
    metric("re", "loss", 0.1);

    run("rf", 2, "other", 400, "FINISHED", 500);
    metric("rf", "loss", 0.2);
    dataset_input("rf", 2, "imagenet", "abc123", "training");
  }
};

TEST_F(SearchRunsSql, DefaultOrderIsStartTimeDescThenRunId) {
  EXPECT_EQ(search_runs(""), (Ids{"rc", "rd", "rb", "ra"}));
  EXPECT_EQ(search_runs("", {}, {"1", "2"}), (Ids{"rf", "rc", "rd", "rb", "ra"}));
}

TEST_F(SearchRunsSql, MetricOrderPutsNaNAfterNumbersAndMissingLast) {
  EXPECT_EQ(search_runs("", {"metrics.loss ASC"}), (Ids{"ra", "rc", "rb", "rd"}));
  EXPECT_EQ(search_runs("", {"metrics.loss DESC"}), (Ids{"rc", "ra", "rb", "rd"}));
  EXPECT_EQ(search_runs("", {"metrics.acc"}), (Ids{"rc", "rb", "ra", "rd"}));
}

TEST_F(SearchRunsSql, ParamAndTagOrderPutMissingLastInBothDirections) {
  // 'Adam' < 'sgd' (binary); rc and ra tie on 'sgd' and fall back to start_time DESC.
  EXPECT_EQ(search_runs("", {"params.optimizer ASC"}), (Ids{"rb", "rc", "ra", "rd"}));
  EXPECT_EQ(search_runs("", {"params.optimizer DESC"}), (Ids{"rc", "ra", "rb", "rd"}));
  EXPECT_EQ(search_runs("", {"tags.stage DESC"}), (Ids{"ra", "rb", "rd", "rc"}));
  EXPECT_EQ(search_runs("", {"tags.stage ASC"}), (Ids{"rd", "rb", "ra", "rc"}));
}

TEST_F(SearchRunsSql, AttributeOrderAndSeveralTerms) {
  EXPECT_EQ(search_runs("", {"attributes.end_time ASC"}), (Ids{"ra", "rb", "rd", "rc"}));
  EXPECT_EQ(search_runs("", {"attributes.end_time DESC"}), (Ids{"rd", "rb", "ra", "rc"}));
  EXPECT_EQ(search_runs("", {"start_time ASC"}), (Ids{"ra", "rb", "rc", "rd"}));
  EXPECT_EQ(search_runs("", {"run_name"}), (Ids{"ra", "rb", "rd", "rc"}));  // 'Alpha' < 'beta' < 'delta' < 'gamma'
  EXPECT_EQ(search_runs("", {"attributes.run_id DESC"}), (Ids{"rd", "rc", "rb", "ra"}));
  EXPECT_EQ(search_runs("", {"params.optimizer", "metrics.acc DESC"}), (Ids{"rb", "ra", "rc", "rd"}));
}

TEST_F(SearchRunsSql, DuplicateOrderByIsRejected) {
  expect_invalid([&] { search_runs("", {"metrics.loss", "metrics.loss DESC"}); }, "duplicate");
  expect_invalid([&] { search_runs("", {"created", "start_time"}); }, "duplicate");
}

TEST_F(SearchRunsSql, NotEqualOnAMissingKeyExcludesTheRun) {
  EXPECT_EQ(search_runs("params.optimizer != 'sgd'"), (Ids{"rb"}));
  EXPECT_EQ(search_runs("tags.stage != 'prod'"), (Ids{"rd", "rb"}));
  EXPECT_EQ(search_runs("metrics.acc != 0.9"), (Ids{"rc", "rd", "rb"}));
  EXPECT_EQ(search_runs("tags.nobody != 'x'"), Ids{});
}

TEST_F(SearchRunsSql, NaNMatchesOnlyNotEqual) {
  EXPECT_EQ(search_runs("metrics.loss != 0.5"), (Ids{"rc", "rb"}));
  EXPECT_EQ(search_runs("metrics.loss = 0"), Ids{});  // NaN is stored as 0 but is not 0
  EXPECT_EQ(search_runs("metrics.loss >= 0"), (Ids{"rc", "ra"}));
  EXPECT_EQ(search_runs("metrics.loss < 1"), (Ids{"ra"}));
}

TEST_F(SearchRunsSql, InfinitiesCompareAsInfinities) {
  EXPECT_EQ(search_runs("metrics.loss > 1e308"), (Ids{"rc"}));
  EXPECT_EQ(search_runs("metrics.loss >= 1e400"), (Ids{"rc"}));
  EXPECT_EQ(search_runs("metrics.loss < 1e400"), (Ids{"ra"}));
  EXPECT_EQ(search_runs("metrics.acc <= -1e400"), (Ids{"rc"}));
  EXPECT_EQ(search_runs("metrics.acc > -1e400"), (Ids{"rd", "rb", "ra"}));
}

TEST_F(SearchRunsSql, RunIdLists) {
  EXPECT_EQ(search_runs("attributes.run_id IN ('ra', 'rc')"), (Ids{"rc", "ra"}));
  EXPECT_EQ(search_runs("run_id NOT IN ('ra')"), (Ids{"rc", "rd", "rb"}));
  EXPECT_EQ(search_runs("run_id = 'rb'"), (Ids{"rb"}));
  // Items with upper-case letters are dropped, as MLflow does.
  EXPECT_EQ(search_runs("run_id IN ('RA', 'ra')"), (Ids{"ra"}));
  EXPECT_EQ(search_runs("run_id IN ('RB')"), Ids{});
  EXPECT_EQ(search_runs("run_id NOT IN ('RB')"), (Ids{"rc", "rd", "rb", "ra"}));
}

TEST_F(SearchRunsSql, LikeIsCaseSensitiveAndILikeIsNot) {
  EXPECT_EQ(search_runs("tags.stage LIKE 'prod'"), (Ids{"ra"}));
  EXPECT_EQ(search_runs("tags.stage ILIKE 'PROD'"), (Ids{"rd", "ra"}));
  EXPECT_EQ(search_runs("tags.stage = 'Prod'"), (Ids{"rd"}));
  EXPECT_EQ(search_runs("attributes.run_name LIKE 'a%'"), Ids{});
  EXPECT_EQ(search_runs("attributes.run_name ILIKE 'a%'"), (Ids{"ra"}));
  EXPECT_EQ(search_runs("params.optimizer LIKE '_dam'"), (Ids{"rb"}));
  EXPECT_EQ(search_runs("params.optimizer LIKE 'ADAM'"), Ids{});
  EXPECT_EQ(search_runs("params.optimizer ILIKE 'ADAM'"), (Ids{"rb"}));
}

TEST_F(SearchRunsSql, StringAttributesAndAliases) {
  EXPECT_EQ(search_runs("\"run name\" = 'beta'"), (Ids{"rb"}));
  EXPECT_EQ(search_runs("attributes.status = 'FINISHED'"), (Ids{"rd", "ra"}));
  EXPECT_EQ(search_runs("status != 'FINISHED'"), (Ids{"rc", "rb"}));
  EXPECT_EQ(search_runs("attributes.user_id = 'ana' and attributes.artifact_uri LIKE '%/rc/%'"), (Ids{"rc"}));
  EXPECT_EQ(search_runs("tags.note = 'Salt and Pepper' and params.optimizer = \"sgd\""), (Ids{"ra"}));
}

TEST_F(SearchRunsSql, TimeAttributes) {
  EXPECT_EQ(search_runs("attributes.start_time >= 200"), (Ids{"rc", "rd", "rb"}));
  EXPECT_EQ(search_runs("created < 200"), (Ids{"ra"}));
  EXPECT_EQ(search_runs("attributes.start_time > 250.5"), (Ids{"rc", "rd"}));
  EXPECT_EQ(search_runs("attributes.start_time = 300"), (Ids{"rc", "rd"}));
  EXPECT_EQ(search_runs("attributes.end_time != 200"), (Ids{"rd", "rb"}));  // rc has no end time
}

TEST_F(SearchRunsSql, DatasetFilters) {
  const std::vector<std::string> both = {"1", "2"};
  EXPECT_EQ(search_runs("dataset.name = 'mnist'", {}, both), (Ids{"ra"}));
  EXPECT_EQ(search_runs("dataset.context = 'training'", {}, both), (Ids{"rf"}));
  EXPECT_EQ(search_runs("datasets.digest IN ('abc123', 'zzz')", {}, both), (Ids{"rf"}));
  EXPECT_EQ(search_runs("dataset.name NOT IN ('mnist')", {}, both), (Ids{"rf"}));
  EXPECT_EQ(search_runs("dataset.name ILIKE 'IMAGE%'", {}, both), (Ids{"rf"}));
  EXPECT_EQ(search_runs("dataset.name LIKE 'IMAGE%'", {}, both), Ids{});
  EXPECT_EQ(search_runs("dataset.context != 'eval'", {}, both), (Ids{"rf"}));
}

TEST_F(SearchRunsSql, ViewTypesAndExperimentIds) {
  EXPECT_EQ(search_runs("", {}, {"1"}, 2), (Ids{"re"}));
  EXPECT_EQ(search_runs("", {}, {"1"}, 3), (Ids{"rc", "rd", "rb", "ra", "re"}));
  EXPECT_EQ(search_runs("", {}, {"2", "1"}), (Ids{"rf", "rc", "rd", "rb", "ra"}));
  EXPECT_EQ(search_runs("", {}, {"abc"}), Ids{});
  EXPECT_EQ(search_runs("", {}, {}), Ids{});
  EXPECT_EQ(search_runs("", {}, {"7"}), Ids{});
  expect_invalid([&] { search_runs("", {}, {"1"}, 4); }, "view_type");
}

TEST_F(SearchRunsSql, LimitAndOffsetPage) {
  EXPECT_EQ(search_runs("", {}, {"1"}, 1, 2, 0), (Ids{"rc", "rd"}));
  EXPECT_EQ(search_runs("", {}, {"1"}, 1, 2, 2), (Ids{"rb", "ra"}));
  EXPECT_EQ(search_runs("", {}, {"1"}, 1, 2, 4), Ids{});
  EXPECT_EQ(search_runs("", {}, {"1"}, 1, 0, 0), Ids{});
}

TEST_F(SearchRunsSql, CombinedFilterAndMetricOrder) {
  EXPECT_EQ(search_runs("metrics.acc > 0.85 and params.optimizer = 'sgd'", {"metrics.loss ASC"}), (Ids{"ra"}));
  EXPECT_EQ(search_runs("metrics.acc > 0.5 and tags.stage ILIKE 'p%'", {"metrics.acc DESC"}), (Ids{"rd", "ra"}));
}

TEST_F(SearchRunsSql, UserTextNeverReachesTheSqlText) {
  const std::string hostile_key = "x'; DROP TABLE runs; --";
  RunQuery query;
  query.experiment_ids = {"1", "1 OR 1=1"};
  query.filter = parse_run_filter("tags.\"" + hostile_key + "\" = \"Robert'); DROP TABLE runs; --\" and "
                                  "params.`a\"b` LIKE \"%' OR '1'='1\" and run_id IN ('zz OR 1=1')");
  query.order_by = {parse_run_order_by("params.`p'); DROP TABLE params; --` DESC")};
  const SqlQuery sql = compile_run_query(query, Dialect::kSqlite);
  for (const char* fragment : {"DROP", "Robert", "OR 1", "zz", "--", "a\"b"}) {
    EXPECT_EQ(sql.sql.find(fragment), std::string::npos) << fragment << " in " << sql.sql;
  }
  EXPECT_EQ(run_query(db_, sql), Ids{});
  EXPECT_EQ(search_runs(""), (Ids{"rc", "rd", "rb", "ra"}));  // tables intact
}

TEST_F(SearchRunsSql, CompiledSqlAlwaysBindsOneValuePerPlaceholder) {
  RunQuery query;
  query.experiment_ids = {"1", "2"};
  query.filter = parse_run_filter(
      "metrics.a > 1 and metrics.b != 2 and params.c LIKE 'x' and tags.d ILIKE 'y' and run_id IN ('a', 'b') and "
      "attributes.start_time < 5 and dataset.context NOT IN ('t') and dataset.name = 'n'");
  query.order_by = {parse_run_order_by("metrics.a"), parse_run_order_by("params.c DESC"),
                    parse_run_order_by("tags.d"), parse_run_order_by("status")};
  for (Dialect dialect : {Dialect::kSqlite, Dialect::kPostgres}) {
    const SqlQuery sql = compile_run_query(query, dialect);
    EXPECT_EQ(static_cast<std::size_t>(std::count(sql.sql.begin(), sql.sql.end(), '?')), sql.bindings.size());
  }
  EXPECT_NE(compile_run_query(query, Dialect::kPostgres).sql.find(" ILIKE ?"), std::string::npos);
  EXPECT_NE(compile_run_query(query, Dialect::kSqlite).sql.find("lower(f4.value) LIKE lower(?)"), std::string::npos);
  EXPECT_NO_THROW(run_query(db_, compile_run_query(query, Dialect::kSqlite)));
}

// ---------------------------------------------------------------------------
// Experiments

class SearchExperimentsSql : public SearchSql {
 protected:
  SearchExperimentsSql() {
    experiment(0, "Default", 1000, "active", 5000);
    experiment(1, "exp-a", 2000, "active", 4000);
    experiment(2, "exp-B", 3000, "active", 4000);
    experiment(3, "gone", 4000, "deleted");
    experiment(4, "no-times", std::nullopt);
    experiment_tag(1, "team", "cv");
    experiment_tag(1, "owner", "ana");
    experiment_tag(2, "team", "NLP");
    experiment_tag(3, "team", "cv");
  }
};

TEST_F(SearchExperimentsSql, DefaultOrderIsCreationTimeDescWithMissingTimesLast) {
  EXPECT_EQ(search_experiments(""), (Ids{"2", "1", "0", "4"}));
  EXPECT_EQ(search_experiments("", {}, 2), (Ids{"3"}));
  EXPECT_EQ(search_experiments("", {}, 3), (Ids{"3", "2", "1", "0", "4"}));
}

TEST_F(SearchExperimentsSql, Filters) {
  EXPECT_EQ(search_experiments("name LIKE 'exp-%'"), (Ids{"2", "1"}));
  EXPECT_EQ(search_experiments("name LIKE 'exp-b'"), Ids{});
  EXPECT_EQ(search_experiments("name ILIKE 'EXP-B'"), (Ids{"2"}));
  EXPECT_EQ(search_experiments("name != 'Default'"), (Ids{"2", "1", "4"}));
  EXPECT_EQ(search_experiments("tags.team = 'cv'"), (Ids{"1"}));
  EXPECT_EQ(search_experiments("tags.team = 'cv'", {}, 3), (Ids{"3", "1"}));
  EXPECT_EQ(search_experiments("tags.team != 'cv'"), (Ids{"2"}));  // experiments without the tag are excluded
  EXPECT_EQ(search_experiments("tag.team ILIKE 'nlp' and attribute.name = 'exp-B'"), (Ids{"2"}));
  EXPECT_EQ(search_experiments("creation_time > 1500 and last_update_time <= 4000"), (Ids{"2", "1"}));
}

TEST_F(SearchExperimentsSql, OrderByAndTieBreak) {
  EXPECT_EQ(search_experiments("", {"name"}), (Ids{"0", "2", "1", "4"}));  // binary order: 'D' < 'e' < 'n'
  EXPECT_EQ(search_experiments("", {"experiment_id DESC"}), (Ids{"4", "2", "1", "0"}));
  // Experiments 1 and 2 tie on last_update_time: experiment_id DESC breaks it.
  EXPECT_EQ(search_experiments("", {"last_update_time ASC"}), (Ids{"2", "1", "0", "4"}));
  EXPECT_EQ(search_experiments("", {"last_update_time DESC"}), (Ids{"0", "2", "1", "4"}));
  EXPECT_EQ(search_experiments("", {"last_update_time", "experiment_id ASC"}), (Ids{"1", "2", "0", "4"}));
}

TEST_F(SearchExperimentsSql, Pages) {
  EXPECT_EQ(search_experiments("", {}, 1, 2, 0), (Ids{"2", "1"}));
  EXPECT_EQ(search_experiments("", {}, 1, 2, 2), (Ids{"0", "4"}));
  EXPECT_EQ(search_experiments("", {}, 1, 2, 4), Ids{});
}

// ---------------------------------------------------------------------------
// The database written by the official 2.9.2 server, and its answers.

class FixtureDatabase : public ::testing::Test {
 protected:
  FixtureDatabase()
      : copy_(std::filesystem::temp_directory_path() /
              ("mlflowcpp-search-fixture-" + std::to_string(std::random_device{}()) + ".sqlite")) {
    std::filesystem::copy_file(kFixtures / "mlflow-2.9.2-sample.sqlite", copy_);
    db_ = std::make_unique<SQLite::Database>(copy_.string(), SQLite::OPEN_READWRITE);
    db_->exec("PRAGMA case_sensitive_like = ON");
  }
  ~FixtureDatabase() override {
    db_.reset();
    std::error_code ignored;
    std::filesystem::remove(copy_, ignored);
  }

  std::filesystem::path copy_;
  std::unique_ptr<SQLite::Database> db_;
};

TEST_F(FixtureDatabase, MetricAndParamFilterOrderedByMetric) {
  RunQuery query;
  query.experiment_ids = {"1", "2"};
  query.filter = parse_run_filter("metrics.accuracy > 0.88 and params.optimizer = 'sgd'");
  query.order_by = {parse_run_order_by("metrics.loss ASC")};
  EXPECT_EQ(run_query(*db_, compile_run_query(query, Dialect::kSqlite)), (Ids{"84ad3abaf4c94d148b54b72d34c71d34"}));
}

int view_type_number(const nlohmann::json& body, const char* field) {
  const std::string view = body.value(field, std::string("ACTIVE_ONLY"));
  return view == "ACTIVE_ONLY" ? 1 : view == "DELETED_ONLY" ? 2 : 3;
}

// Every runs/search and experiments/search answer recorded from the official
// server: the same ids in the same order.
TEST_F(FixtureDatabase, MatchesTheOfficialServersSearchAnswers) {
  const nlohmann::json answers = nlohmann::json::parse(read_file(kFixtures / "mlflow-2.9.2-sample.answers.json"));
  int checked = 0;
  for (const nlohmann::json& call : answers.at("calls")) {
    const std::string path = call.at("path");
    if (call.at("status") != 200 || call.at("body").is_null()) continue;
    const nlohmann::json& body = call.at("body");
    Ids expected;
    Ids actual;
    if (path == "/api/2.0/mlflow/runs/search") {
      for (const auto& run : call.at("response").value("runs", nlohmann::json::array())) {
        expected.push_back(run.at("info").at("run_id"));
      }
      RunQuery query;
      query.experiment_ids = body.value("experiment_ids", std::vector<std::string>{});
      query.view_type = view_type_number(body, "run_view_type");
      query.filter = parse_run_filter(body.value("filter", std::string()));
      for (const std::string& each : body.value("order_by", std::vector<std::string>{})) {
        query.order_by.push_back(parse_run_order_by(each));
      }
      query.limit = body.value("max_results", 1000);
      actual = run_query(*db_, compile_run_query(query, Dialect::kSqlite));
    } else if (path == "/api/2.0/mlflow/experiments/search") {
      for (const auto& experiment : call.at("response").value("experiments", nlohmann::json::array())) {
        expected.push_back(experiment.at("experiment_id"));
      }
      ExperimentQuery query;
      query.view_type = view_type_number(body, "view_type");
      query.filter = parse_experiment_filter(body.value("filter", std::string()));
      for (const std::string& each : body.value("order_by", std::vector<std::string>{})) {
        query.order_by.push_back(parse_experiment_order_by(each));
      }
      query.limit = body.value("max_results", 1000);
      actual = run_query(*db_, compile_experiment_query(query, Dialect::kSqlite));
    } else {
      continue;
    }
    EXPECT_EQ(actual, expected) << body.dump();
    if (call.at("response").contains("next_page_token")) {
      EXPECT_EQ(encode_page_token(static_cast<int64_t>(expected.size())), call.at("response").at("next_page_token"));
    }
    ++checked;
  }
  EXPECT_GE(checked, 8);
}

// ---------------------------------------------------------------------------
// Query plans and speed

class ManyRuns : public SearchSql {
 protected:
  static constexpr int kRuns = 2000;

  ManyRuns() {
    experiment(1, "big", 1);
    SQLite::Transaction transaction(db_);
    std::mt19937 random(42);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int i = 0; i < kRuns; ++i) {
      const std::string id = fmt_id(i);
      run(id, 1, "run-" + std::to_string(i), 1000 + i);
      metric(id, "accuracy", unit(random));
      metric(id, "loss", unit(random));
      metric(id, "epoch_time", unit(random) * 100);
      param(id, "optimizer", i % 3 == 0 ? "sgd" : "adam");
      param(id, "lr", std::to_string(unit(random)));
      param(id, "layers", std::to_string(i % 7));
      tag(id, "stage", i % 2 ? "prod" : "dev");
      tag(id, "mlflow.runName", "run-" + std::to_string(i));
    }
    transaction.commit();  // no ANALYZE: the store does not run it either
  }

  static std::string fmt_id(int i) {
    char buffer[33];
    std::snprintf(buffer, sizeof buffer, "%032x", static_cast<unsigned>(i) * 2654435761u);
    return buffer;
  }

  RunQuery typical_query() const {
    RunQuery query;
    query.experiment_ids = {"1"};
    query.filter = parse_run_filter("metrics.accuracy > 0.5 and params.optimizer = 'sgd'");
    query.order_by = {parse_run_order_by("metrics.loss ASC")};
    query.limit = 1000;
    return query;
  }
};

TEST_F(ManyRuns, PlanLooksUpMetricsAndParamsByPrimaryKey) {
  const SqlQuery sql = compile_run_query(typical_query(), Dialect::kSqlite);
  SQLite::Statement explain(db_, "EXPLAIN QUERY PLAN " + sql.sql);
  bind_all(explain, sql.bindings);
  std::string plan;
  while (explain.executeStep()) plan += explain.getColumn(3).getString() + "\n";
  SCOPED_TRACE(plan);
  EXPECT_EQ(plan.find("SCAN latest_metrics"), std::string::npos);
  EXPECT_EQ(plan.find("SCAN params"), std::string::npos);
  EXPECT_EQ(plan.find("SCAN o1"), std::string::npos);
  EXPECT_EQ(plan.find("SCAN f1"), std::string::npos);
  EXPECT_EQ(plan.find("SCAN f2"), std::string::npos);
  EXPECT_NE(plan.find("SEARCH o1 USING INDEX sqlite_autoindex_latest_metrics_1 (key=? AND run_uuid=?)"),
            std::string::npos);
  EXPECT_NE(plan.find("SEARCH f1 USING INDEX sqlite_autoindex_latest_metrics_1 (key=? AND run_uuid=?)"),
            std::string::npos);
  EXPECT_NE(plan.find("SEARCH f2 USING INDEX sqlite_autoindex_params_1 (key=? AND run_uuid=?)"), std::string::npos);
}

}  // namespace
}  // namespace mlflowcpp::server::search
