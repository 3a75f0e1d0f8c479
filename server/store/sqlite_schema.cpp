#include "server/store/sqlite_schema.hpp"

#include "server/store/mlflow_schema_check.hpp"

#include <sqlite3.h>

#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

namespace mlflowcpp::server::store {

namespace {

// Beyond MLflow's indexes: metric history reads one (run, key) series, which
// index_metrics_run_uuid alone answers by scanning every metric of the run.
// Extra indexes are invisible to MLflow and its migrations.
constexpr const char* kExtraIndexes =
    "CREATE INDEX IF NOT EXISTS mlflowcpp_index_metrics_run_uuid_key_step "
    "ON metrics (run_uuid, key, step, timestamp, value, is_nan)";

// Written by the official server with the schema, not part of its DDL.
constexpr const char* kDefaultWorkspace =
    "INSERT INTO workspaces (name, description) VALUES ('default', 'Default workspace for legacy resources')";

std::vector<std::string> table_names(SqliteConnection& connection) {
  std::vector<std::string> names;
  auto query = connection.statement("SELECT name FROM sqlite_master WHERE type = 'table'");
  while (query->step()) names.push_back(query->column(0).as_string());
  return names;
}

// Runs inside the write transaction `prepare_database` holds.
PreparedSchema create_check_or_upgrade(SqliteConnection& writer, const std::string& path, bool upgrade_mlflow2) {
  const auto tables = table_names(writer);  // again, under the write lock
  if (tables.empty()) {
    writer.execute(kMlflow3SqliteSchemaDdl);
    writer.execute(kDefaultWorkspace);
    return {SchemaState::kCreated, SchemaGeneration::kMlflow3};
  }
  const SchemaGeneration found =
      check_mlflow_schema(writer, tables, {"alembic_version", "'" + path + "'", "another file"});
  if (found == SchemaGeneration::kMlflow3 || !upgrade_mlflow2) return {SchemaState::kCurrent, found};
  writer.execute(kMlflow2To3SqliteMigration);
  return {SchemaState::kUpgraded, SchemaGeneration::kMlflow3};
}

// Between two attempts at preparing a database another process is preparing.
constexpr std::chrono::milliseconds kBusyRetryPause{5};

// One attempt; a DatabaseError leaves the schema as it was.
PreparedSchema prepare_schema_once(SqliteConnection& writer, bool synchronous_full,
                                   const SchemaPreparer& prepare_schema) {
  // WAL lets readers run beside the writer; NORMAL syncs at checkpoints, which
  // keeps every commit through a process crash (FULL adds power loss).
  {
    auto journal_mode = writer.statement("PRAGMA journal_mode = WAL");
    // SQLite answers with the mode in force, the old one when it could not switch.
    if (!journal_mode->step() || journal_mode->column(0).as_string() != "wal") {
      throw sql::DatabaseError(sql::DatabaseError::Kind::kRetryable, "the database could not be switched to WAL mode");
    }
  }
  writer.execute(synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");

  // The migration rebuilds tables others refer to, as alembic's batch mode
  // does: with foreign keys enforced, dropping them would fail or cascade.
  // (It is off by default; the setting cannot change inside a transaction.)
  writer.execute("PRAGMA foreign_keys = OFF");
  writer.execute("BEGIN IMMEDIATE");
  try {
    const PreparedSchema prepared = prepare_schema(writer);
    writer.execute("COMMIT");
    return prepared;
  } catch (...) {
    if (sqlite3_get_autocommit(writer.database().getHandle()) == 0) writer.execute("ROLLBACK");
    throw;
  }
}

}  // namespace

PreparedSchema prepare_database(SqliteConnection& writer, const std::string& path, bool synchronous_full,
                                bool upgrade_mlflow2) {
  return prepare_database(writer, path, synchronous_full, [&](SqliteConnection& connection) {
    const PreparedSchema prepared = create_check_or_upgrade(connection, path, upgrade_mlflow2);
    connection.execute(kExtraIndexes);
    return prepared;
  });
}

PreparedSchema prepare_database(SqliteConnection& writer, const std::string& path, bool synchronous_full,
                                const SchemaPreparer& prepare_schema) {
  std::vector<std::string> tables;
  try {
    tables = table_names(writer);
  } catch (const std::exception& error) {
    throw std::runtime_error("cannot read '" + path + "' as a SQLite database: " + error.what());
  }
  if (sqlite3_db_readonly(writer.database().getHandle(), "main") == 1) {
    throw std::runtime_error("the database file '" + path + "' is read-only; the server needs to write it");
  }

  // Another process opening the same file may be creating or upgrading it
  // meanwhile. Taking a lock waits for it (busy handler), but a few steps fail
  // with SQLITE_BUSY at once instead (switching a new file to WAL while another
  // connection is doing the same); those start over, until the busy timeout.
  const auto deadline = std::chrono::steady_clock::now() + writer.busy_timeout();
  for (;;) {
    try {
      return prepare_schema_once(writer, synchronous_full, prepare_schema);
    } catch (const sql::DatabaseError& error) {
      if (error.kind() != sql::DatabaseError::Kind::kRetryable || std::chrono::steady_clock::now() >= deadline) {
        throw std::runtime_error("cannot prepare the MLflow database '" + path + "': " + error.what());
      }
    }
    std::this_thread::sleep_for(kBusyRetryPause);
  }
}

}  // namespace mlflowcpp::server::store
