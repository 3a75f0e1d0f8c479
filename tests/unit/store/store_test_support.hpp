#pragma once

// Shared helpers of the store tests: a temporary directory, opening a store in
// it, and checking the MLflow error code of a failing call.

#include "server/store/sql_tracking_store.hpp"
#include "server/store/sqlite_database.hpp"
#include "server/store/store_factory.hpp"
#include "testing/expect_mlflow_error.hpp"

#include <mlflowcpp/errors.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <string>

namespace mlflowcpp::server::store::testing {

// A fresh directory, removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir() {
    std::random_device device;
    path_ = std::filesystem::temp_directory_path() /
            ("mlflowcpp-store-test-" + std::to_string(device()) + "-" + std::to_string(device()));
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline std::shared_ptr<SqliteDatabase> open_sqlite_database(const std::string& database_path) {
  SqliteDatabaseOptions options;
  options.path = database_path;
  return std::make_shared<SqliteDatabase>(options);
}

inline SqlStoreOptions store_options(const std::string& artifact_root = "mlflow-artifacts:/") {
  SqlStoreOptions options;
  options.default_artifact_root = artifact_root;
  return options;
}

// A tracking store on the SQLite file `database_path`.
inline std::unique_ptr<SqlTrackingStore> open_store(const std::string& database_path,
                                                    const std::string& artifact_root = "mlflow-artifacts:/") {
  return std::make_unique<SqlTrackingStore>(open_sqlite_database(database_path), store_options(artifact_root));
}

// Runs `sql` with `values` bound in a read transaction of `database` and hands
// each result row to `on_row`; the number of rows. For looking at the tables
// as MLflow would see them, on any backend.
inline int for_each_row(sql::Database& database, const std::string& sql, const std::vector<search::SqlValue>& values,
                        const std::function<void(const sql::Statement&)>& on_row) {
  int rows = 0;
  database.read([&](sql::Connection& connection) {
    auto query = connection.statement(sql);
    sql::bind_values(*query, values);
    while (query->step()) {
      ++rows;
      on_row(*query);
    }
  });
  return rows;
}

// The first column of the first row of `sql` as an integer (COUNT(*) and the like).
inline int64_t query_int64(sql::Database& database, const std::string& sql,
                           const std::vector<search::SqlValue>& values = {}) {
  int64_t result = -1;
  for_each_row(database, sql, values, [&](const sql::Statement& row) { result = row.column(0).as_int64(); });
  return result;
}

// The first column of the first row of `sql`: "<null>" for NULL, "<no row>" without a row.
inline std::string query_text(sql::Database& database, const std::string& sql,
                              const std::vector<search::SqlValue>& values = {}) {
  std::string result = "<no row>";
  for_each_row(database, sql, values, [&](const sql::Statement& row) {
    result = row.column(0).is_null() ? "<null>" : row.column(0).as_string();
  });
  return result;
}

// A copy of the database the official 2.9.2 server wrote (never the original).
inline std::string copy_fixture(const TempDir& dir) {
  const std::string copy = dir.file("fixture.sqlite");
  std::filesystem::copy_file(std::string(MLFLOWCPP_FIXTURES_DIR) + "/mlflow-2.9.2-sample.sqlite", copy);
  return copy;
}

}  // namespace mlflowcpp::server::store::testing

