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

std::vector<std::string> table_names(SqliteConnection& connection) {
  std::vector<std::string> names;
  auto query = connection.statement("SELECT name FROM sqlite_master WHERE type = 'table'");
  while (query->step()) names.push_back(query->column(0).as_string());
  return names;
}

}  // namespace

void prepare_database(SqliteConnection& writer, const std::string& path, bool synchronous_full) {
  std::vector<std::string> tables;
  try {
    tables = table_names(writer);
  } catch (const std::exception& error) {
    throw std::runtime_error("cannot read '" + path + "' as a SQLite database: " + error.what());
  }
  if (sqlite3_db_readonly(writer.database().getHandle(), "main") == 1) {
    throw std::runtime_error("the database file '" + path + "' is read-only; the tracking server needs to write it");
  }

  try {
    // WAL lets readers run beside the writer; NORMAL syncs at checkpoints, which
    // keeps every commit through a process crash (FULL adds power loss).
    writer.execute("PRAGMA journal_mode = WAL");
    writer.execute(synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");

    writer.execute("BEGIN IMMEDIATE");
    try {
      tables = table_names(writer);  // again, under the write lock
      if (tables.empty()) {
        writer.execute(kMlflowSchemaDdl);
      } else {
        check_mlflow_schema(writer, tables, {"alembic_version", "'" + path + "'", "another file"});
      }
      writer.execute(kExtraIndexes);
      writer.execute("COMMIT");
    } catch (...) {
      writer.execute("ROLLBACK");
      throw;
    }
  } catch (const sql::DatabaseError& error) {
    throw std::runtime_error("cannot prepare the MLflow database '" + path + "': " + error.what());
  }
}

}  // namespace mlflowcpp::server::store
