#pragma once

// The SQL layer over one SQLite file (sql::Database).
//
// Writes: SQLite allows one writer at a time, so every write job runs on the
// one write connection through SqliteWriter (leader-based group commit, each
// job in its own savepoint). Within the process the writer is alone; another
// process (or another SqliteDatabase) on the same file is waited for: each
// group starts with BEGIN IMMEDIATE, so it either takes the write lock before
// its first statement or waits for it (SqliteBusyWait, up to busy_timeout_ms),
// and never fails halfway on SQLITE_BUSY. Past the timeout the jobs fail with a
// retryable DatabaseError (TEMPORARILY_UNAVAILABLE to clients).
// Reads: a small pool of read-only connections beside the writer (WAL), each
// job inside one read transaction. Checkpoints: SqliteCheckpointer, off the
// writer's path.

#include "server/store/mlflow_schema_check.hpp"
#include "server/store/sql_database.hpp"
#include "server/store/sqlite_schema.hpp"
#include "server/store/store_metrics.hpp"

#include <cstddef>
#include <memory>
#include <string>

namespace mlflowcpp::server::store {

class SqliteCheckpointer;
class SqliteReadPool;
class SqliteWriter;

struct SqliteDatabaseOptions {
  std::string path;  // a file path; created with MLflow's schema when absent
  std::size_t read_connections = 4;
  // NORMAL (default) keeps every returned write through a process crash;
  // FULL also through power loss, at an fsync per commit.
  bool synchronous_full = false;
  // How long a statement waits for a lock another process holds before it
  // fails retryable. 30 s outlasts any one transaction of another process (a
  // large log-batch, a schema creation or upgrade, a checkpoint on a slow
  // disk), and stays well inside the client's 120 s request timeout, so the
  // client still gets an answer (503) it retries.
  int busy_timeout_ms = 30000;
  // Migrate a database with MLflow 2.9's schema to MLflow 3's (`db upgrade`);
  // otherwise it is served with the schema it has.
  bool upgrade_mlflow2_schema = false;
  // Set for a database that is not MLflow's tracking database (the basic-auth
  // app's): creates or checks its schema instead of MLflow's.
  SchemaPreparer prepare_schema;
  // Hears of the writer's queue and group commits; null: nothing is reported.
  std::shared_ptr<StoreMetrics> metrics;
};

class SqliteDatabase final : public sql::Database {
 public:
  // Opens the file and prepares MLflow's schema (sqlite_schema.hpp). Throws
  // std::runtime_error with a message for a person when the file cannot be
  // used (not SQLite, another schema revision, read-only, ...).
  explicit SqliteDatabase(const SqliteDatabaseOptions& options);
  ~SqliteDatabase() override;

  sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }
  SchemaGeneration schema_generation() const override { return schema_.generation; }
  // INDEXED BY (the index is always there: opening the database adds it). For a series ordered by timestamp,
  // SQLite's planner prefers the primary key (key, timestamp, ...), which walks that key's points in every run (with
  // 50 runs logging "loss", 12 times the work of the series itself).
  std::string metric_series_index_hint() const override {
    return " INDEXED BY mlflowcpp_index_metrics_run_uuid_key_step";
  }
  void write(const Job& job) override;
  void read(const Job& job) override;
  // Drops the page caches of the writer (when no write is under way) and of the read connections not on loan.
  void release_idle_memory() override;

  const std::string& path() const { return options_.path; }
  // What opening the file found and did to its schema.
  const PreparedSchema& prepared_schema() const { return schema_; }

 private:
  SqliteDatabaseOptions options_;
  PreparedSchema schema_{};
  std::unique_ptr<SqliteCheckpointer> checkpointer_;  // outlives the writer, which reports to it
  std::unique_ptr<SqliteWriter> writer_;
  std::unique_ptr<SqliteReadPool> readers_;
};

}  // namespace mlflowcpp::server::store
