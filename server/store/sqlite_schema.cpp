#include "server/store/sqlite_schema.hpp"

#include "server/store/mlflow_schema_check.hpp"

#include <sqlite3.h>

#include <stdexcept>
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

  try {
    // WAL lets readers run beside the writer; NORMAL syncs at checkpoints, which
    // keeps every commit through a process crash (FULL adds power loss).
    writer.execute("PRAGMA journal_mode = WAL");
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
      writer.execute("ROLLBACK");
      throw;
    }
  } catch (const sql::DatabaseError& error) {
    throw std::runtime_error("cannot prepare the MLflow database '" + path + "': " + error.what());
  }
}

}  // namespace mlflowcpp::server::store
