#pragma once

// Databases with MLflow 3's schema (alembic 1b5f0d9ad7c1) for the logged-model
// store tests, on SQLite and PostgreSQL.
//
// The server's own database classes create and accept MLflow 2.9's schema
// only, for now. Until they take MLflow 3's, these tests build their databases
// here, the one place to switch to the real path later: SQLite through a
// minimal sql::Database over one connection (no schema check), PostgreSQL by
// loading MLflow 3's DDL into a fresh database of the test server.

#include "store_backends.hpp"

#include "server/store/sqlite_connection.hpp"

#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>

namespace mlflowcpp::server::store::testing {

inline std::string mlflow3_fixture(const std::string& name) { return std::string(MLFLOWCPP_FIXTURES_DIR) + "/" + name; }

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// One SQLite connection behind the SQL layer, each job in its own transaction,
// one job at a time. Opens any SQLite file as it is.
class SingleConnectionSqliteDatabase final : public sql::Database {
 public:
  explicit SingleConnectionSqliteDatabase(const std::string& path)
      : connection_(path, ConnectionMode::kReadWrite, 30000) {}

  sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }
  void write(const Job& job) override { run("BEGIN IMMEDIATE", job); }
  void read(const Job& job) override { run("BEGIN", job); }
  // Runs DDL or other SQL without results outside any job.
  void execute(const std::string& sql) {
    std::lock_guard<std::mutex> lock(mutex_);
    connection_.execute(sql);
  }

 private:
  void run(const char* begin, const Job& job) {
    std::lock_guard<std::mutex> lock(mutex_);
    connection_.execute(begin);
    try {
      job(connection_);
    } catch (...) {
      connection_.execute("ROLLBACK");
      throw;
    }
    connection_.execute("COMMIT");
  }

  std::mutex mutex_;
  SqliteConnection connection_;
};

class Mlflow3SqliteTestDatabase final : public TestDatabase {
 public:
  Mlflow3SqliteTestDatabase() {
    SingleConnectionSqliteDatabase(path()).execute(read_text_file(mlflow3_fixture("mlflow-3-schema.sqlite.sql")));
  }
  std::shared_ptr<sql::Database> open() override { return std::make_shared<SingleConnectionSqliteDatabase>(path()); }

 private:
  std::string path() const { return dir_.file("mlflow3.db"); }
  TempDir dir_;
};

class Mlflow3PostgresTestDatabase final : public TestDatabase {
 public:
  Mlflow3PostgresTestDatabase() {
    static std::atomic<int> databases_created{0};
    const std::string name = "logged_model_test_" + std::to_string(++databases_created);
    uri_ = shared_postgres_server().create_database(name);
    shared_postgres_server().psql_file(name, mlflow3_fixture("mlflow-3-schema.postgres.sql"));
  }

  std::shared_ptr<sql::Database> open() override {
    postgres::PostgresDatabaseOptions options;
    options.uri = uri_;
    return std::make_shared<postgres::PostgresDatabase>(options);
  }

 private:
  std::string uri_;
};

inline std::vector<StoreBackend> mlflow3_store_backends() {
  return {
      {"Sqlite", [] { return std::unique_ptr<TestDatabase>(std::make_unique<Mlflow3SqliteTestDatabase>()); }},
      {"Postgres", [] { return std::unique_ptr<TestDatabase>(std::make_unique<Mlflow3PostgresTestDatabase>()); }},
  };
}

// A copy of the database the official MLflow 3.6 server wrote (never the original).
inline std::shared_ptr<sql::Database> open_mlflow3_fixture_copy(const TempDir& dir) {
  const std::string copy = dir.file("mlflow-3-sample.sqlite");
  std::filesystem::copy_file(mlflow3_fixture("mlflow-3-sample.sqlite"), copy);
  return std::make_shared<SingleConnectionSqliteDatabase>(copy);
}

}  // namespace mlflowcpp::server::store::testing
