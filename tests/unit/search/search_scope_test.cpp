// Read scopes in the compiled search SQL: the condition and its one JSON
// binding in both dialects, which rows come back on SQLite (MLflow 2.9's
// schema, as the SQLite store sets up its connections), a scope of 20,000 ids,
// and the narrowing of requested experiment ids.
#include "server/search/id_scope.hpp"
#include "server/search/registry_search.hpp"
#include "server/search/scope_narrowing.hpp"
#include "server/search/search.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

namespace mlflowcpp::server::search {
namespace {

using Ids = std::vector<std::string>;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t placeholders(const std::string& sql) {
  return static_cast<std::size_t>(std::count(sql.begin(), sql.end(), '?'));
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The bindings that are text (the scope's JSON list among them).
Ids text_bindings(const SqlQuery& query) {
  Ids texts;
  for (const SqlValue& value : query.bindings) {
    if (const auto* text = std::get_if<std::string>(&value)) texts.push_back(*text);
  }
  return texts;
}

SqlQuery experiment_query(const IdScope& scope, Dialect dialect, const std::string& filter = "") {
  ExperimentQuery query;
  query.scope = scope;
  query.filter = parse_experiment_filter(filter);
  return compile_experiment_query(query, dialect);
}

RegistryQuery registry_query(const IdScope& scope, const std::string& filter = "") {
  RegistryQuery query;
  query.models = scope;
  query.filter = filter;
  return query;
}

// ---------------------------------------------------------------------------
// The SQL text and bindings

TEST(ScopeSql, ExperimentScopeIsOneBoundJsonListOfIntegers) {
  const SqlQuery sqlite = experiment_query(IdScope::only({"1", "x", "2"}), Dialect::kSqlite);
  EXPECT_TRUE(contains(sqlite.sql, "experiments.experiment_id IN (SELECT value FROM json_each(?))")) << sqlite.sql;
  EXPECT_EQ(text_bindings(sqlite), Ids{"[1,2]"});  // "x" names no experiment
  EXPECT_EQ(placeholders(sqlite.sql), sqlite.bindings.size());

  const SqlQuery postgres = experiment_query(IdScope::all_except({"7"}), Dialect::kPostgres, "name = 'a'");
  EXPECT_TRUE(contains(postgres.sql,
                       "experiments.experiment_id NOT IN (SELECT CAST(json_array_elements_text(CAST(? AS json)) AS "
                       "BIGINT))"))
      << postgres.sql;
  EXPECT_EQ(text_bindings(postgres), (Ids{"[7]", "a"}));
  EXPECT_EQ(placeholders(postgres.sql), postgres.bindings.size());
}

TEST(ScopeSql, MysqlListsPaddedPlaceholdersInsteadOfAJsonArray) {
  // MariaDB can crash on JSON_TABLE subqueries: MySQL gets no JSON expansion at all.
  const SqlQuery mysql = experiment_query(IdScope::only({"1", "x", "2"}), Dialect::kMysql);
  EXPECT_FALSE(contains(mysql.sql, "JSON_TABLE")) << mysql.sql;
  EXPECT_TRUE(contains(mysql.sql, "(experiments.experiment_id IN (?, ?, ?, ?))")) << mysql.sql;
  ASSERT_EQ(placeholders(mysql.sql), mysql.bindings.size());
  std::vector<SqlValue> expected = {int64_t{1}, int64_t{2}, int64_t{2}, int64_t{2}};  // padded with the last id
  EXPECT_TRUE(std::equal(expected.begin(), expected.end(), mysql.bindings.begin()));

  const SqlQuery excluded = experiment_query(IdScope::all_except({"7"}), Dialect::kMysql);
  EXPECT_TRUE(contains(excluded.sql, "(experiments.experiment_id NOT IN (?))")) << excluded.sql;
}

TEST(ScopeSql, AllAddsNothingAndAnEmptyScopeIsDecidedInTheText) {
  for (Dialect dialect : {Dialect::kSqlite, Dialect::kPostgres}) {
    const SqlQuery everything = experiment_query(IdScope::all(), dialect);
    EXPECT_EQ(everything.sql, experiment_query(IdScope::all_except({}), dialect).sql);
    EXPECT_FALSE(contains(everything.sql, "json"));
    const SqlQuery nothing = experiment_query(IdScope::only({}), dialect);
    EXPECT_TRUE(contains(nothing.sql, "0 = 1")) << nothing.sql;
    EXPECT_EQ(nothing.bindings.size(), everything.bindings.size());
    // Only non-integers listed: nothing is admitted either.
    EXPECT_TRUE(contains(experiment_query(IdScope::only({"abc"}), dialect).sql, "0 = 1"));
  }
}

TEST(ScopeSql, RegistryScopeIsOneBoundJsonListOfNames) {
  const IdScope scope = IdScope::only({"a", "b'; DROP TABLE x; --"});
  const std::string list = R"(["a","b'; DROP TABLE x; --"])";
  for (Dialect dialect : {Dialect::kSqlite, Dialect::kPostgres}) {
    const std::string subquery = dialect == Dialect::kSqlite ? "SELECT value FROM json_each(?)"
                                                             : "SELECT json_array_elements_text(CAST(? AS json))";
    const SqlQuery models = compile_registered_model_query(registry_query(scope, "tags.t = 'v'"), dialect);
    EXPECT_TRUE(contains(models.sql, "rm.name IN (" + subquery + ")")) << models.sql;
    EXPECT_FALSE(contains(models.sql, "DROP"));
    EXPECT_EQ(placeholders(models.sql), models.bindings.size());
    EXPECT_EQ(text_bindings(models), (Ids{list, "t", "v"}));

    const SqlQuery versions =
        compile_model_version_query(registry_query(IdScope::all_except({"a"}), "name = 'n'"), dialect);
    EXPECT_TRUE(contains(versions.sql, "mv.name NOT IN (" + subquery + ")")) << versions.sql;
    EXPECT_EQ(text_bindings(versions), (Ids{"n", R"(["a"])"}));
  }
}

// ---------------------------------------------------------------------------
// Rows on SQLite

class ScopedSearches : public ::testing::Test {
 protected:
  ScopedSearches() : db_(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
    db_.exec(read_file(MLFLOWCPP_SCHEMA_SQL));
    db_.exec("PRAGMA case_sensitive_like = ON");
    for (int id = 0; id < 10; ++id) {
      SQLite::Statement insert(db_,
                               "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, "
                               "creation_time, last_update_time) VALUES (?, ?, 'mlflow-artifacts:/x', 'active', ?, ?)");
      insert.bind(1, id);
      insert.bind(2, "exp-" + std::to_string(id));
      insert.bind(3, int64_t{1000} + id);
      insert.bind(4, int64_t{1000} + id);
      insert.exec();
    }
    for (const char* name : {"alpha", "beta", "gamma", "delta"}) {
      SQLite::Statement model(db_,
                              "INSERT INTO registered_models (name, creation_time, last_updated_time) "
                              "VALUES (?, 1, 1)");
      model.bind(1, name);
      model.exec();
      for (int version = 1; version <= 2; ++version) {
        SQLite::Statement insert(db_,
                                 "INSERT INTO model_versions (name, version, creation_time, last_updated_time, "
                                 "current_stage, source, status) VALUES (?, ?, 1, 1, 'None', 's', 'READY')");
        insert.bind(1, name);
        insert.bind(2, version);
        insert.exec();
      }
    }
  }

  Ids rows(const SqlQuery& query) {
    SQLite::Statement statement(db_, query.sql);
    EXPECT_EQ(static_cast<std::size_t>(statement.getBindParameterCount()), query.bindings.size()) << query.sql;
    for (std::size_t i = 0; i < query.bindings.size(); ++i) {
      std::visit([&](const auto& value) { statement.bind(static_cast<int>(i + 1), value); }, query.bindings[i]);
    }
    Ids ids;
    while (statement.executeStep()) {
      std::string id = statement.getColumn(0).getString();
      if (statement.getColumnCount() > 1) id += "/" + statement.getColumn(1).getString();
      ids.push_back(std::move(id));
    }
    return ids;
  }

  Ids experiments(const IdScope& scope, int64_t limit = 1000, int64_t offset = 0) {
    ExperimentQuery query;
    query.scope = scope;
    query.order_by.push_back(parse_experiment_order_by("experiment_id"));
    query.limit = limit;
    query.offset = offset;
    return rows(compile_experiment_query(query, Dialect::kSqlite));
  }

  SQLite::Database db_;
};

TEST_F(ScopedSearches, ExperimentsOnlyAndAllExcept) {
  EXPECT_EQ(experiments(IdScope::all()).size(), 10U);
  EXPECT_EQ(experiments(IdScope::only({"3", "07", "42", "x"})), (Ids{"3", "7"}));
  EXPECT_EQ(experiments(IdScope::all_except({"0", "1", "2", "3", "4", "5", "6"})), (Ids{"7", "8", "9"}));
  EXPECT_EQ(experiments(IdScope::only({})), Ids{});
  // Pages of a narrowed search are full.
  const IdScope odd = IdScope::only({"1", "3", "5", "7", "9"});
  EXPECT_EQ(experiments(odd, 2, 0), (Ids{"1", "3"}));
  EXPECT_EQ(experiments(odd, 2, 2), (Ids{"5", "7"}));
  EXPECT_EQ(experiments(odd, 2, 4), (Ids{"9"}));
}

TEST_F(ScopedSearches, TwentyThousandIdsAreOneBinding) {
  Ids only;
  for (int id = 5; id < 20005; ++id) only.push_back(std::to_string(id));
  EXPECT_EQ(experiments(IdScope::only(only), 3), (Ids{"5", "6", "7"}));
  EXPECT_EQ(experiments(IdScope::all_except(only)), (Ids{"0", "1", "2", "3", "4"}));
  const SqlQuery query = experiment_query(IdScope::only(only), Dialect::kPostgres);
  EXPECT_LT(query.bindings.size(), 10U);
}

TEST_F(ScopedSearches, RegisteredModelsAndTheirVersions) {
  EXPECT_EQ(
      rows(compile_registered_model_query(registry_query(IdScope::only({"beta", "delta", "omega"})), Dialect::kSqlite)),
      (Ids{"beta", "delta"}));
  EXPECT_EQ(rows(compile_registered_model_query(registry_query(IdScope::all_except({"beta"}), "name LIKE '%a'"),
                                                Dialect::kSqlite)),
            (Ids{"alpha", "delta", "gamma"}));
  EXPECT_EQ(rows(compile_registered_model_query(registry_query(IdScope::only({"Beta"})), Dialect::kSqlite)), Ids{});
  RegistryQuery versions = registry_query(IdScope::only({"gamma", "alpha"}));
  versions.order_by = {"name", "version_number"};
  EXPECT_EQ(rows(compile_model_version_query(versions, Dialect::kSqlite)),
            (Ids{"alpha/1", "alpha/2", "gamma/1", "gamma/2"}));
  versions.models = IdScope::only({});
  EXPECT_EQ(rows(compile_model_version_query(versions, Dialect::kSqlite)), Ids{});
}

// ---------------------------------------------------------------------------
// Narrowing requested experiment ids

TEST(AdmittedExperimentIds, KeepsTheRequestedOrderAndComparesByValue) {
  const Ids requested{"3", "1", "07", "x", "2"};
  EXPECT_EQ(admitted_experiment_ids(requested, IdScope::all()), requested);
  EXPECT_EQ(admitted_experiment_ids(requested, IdScope::only({"7", "1", "9"})), (Ids{"1", "07"}));
  EXPECT_EQ(admitted_experiment_ids(requested, IdScope::all_except({"1", "007"})), (Ids{"3", "2"}));
  EXPECT_EQ(admitted_experiment_ids(requested, IdScope::only({})), Ids{});
  EXPECT_EQ(admitted_experiment_ids({}, IdScope::only({"1"})), Ids{});
}

TEST(AdmittedExperimentIds, ALongScopeIsCheap) {
  Ids grants;
  for (int id = 0; id < 20000; ++id) grants.push_back(std::to_string(id * 2));
  Ids requested;
  for (int id = 0; id < 10000; ++id) requested.push_back(std::to_string(id));
  EXPECT_EQ(admitted_experiment_ids(requested, IdScope::only(grants)).size(), 5000U);
  EXPECT_EQ(admitted_experiment_ids(requested, IdScope::all_except(grants)).size(), 5000U);
}

}  // namespace
}  // namespace mlflowcpp::server::search
