#include "server/store/sqlite_schema.hpp"

#include "server/store/sqlite_values.hpp"

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
  while (query->executeStep()) names.push_back(query->getColumn(0).getString());
  return names;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  for (const auto& candidate : names) {
    if (candidate == name) return true;
  }
  return false;
}

void check_revision(SqliteConnection& connection, const std::string& path, const std::vector<std::string>& tables) {
  if (!contains(tables, "alembic_version") || !contains(tables, "experiments")) {
    throw std::runtime_error("'" + path +
                             "' is not an MLflow tracking database (it has tables but no MLflow schema); "
                             "use a new file or one created by MLflow 2.9.2");
  }
  std::vector<std::string> revisions;
  auto query = connection.statement("SELECT version_num FROM alembic_version");
  while (query->executeStep()) revisions.push_back(query->getColumn(0).getString());
  if (revisions.size() != 1 || revisions[0] != kSupportedAlembicRevision) {
    std::string found = revisions.empty() ? "none" : revisions[0];
    throw std::runtime_error("the MLflow database '" + path + "' is at alembic revision " + found +
                             "; this server reads only MLflow 2.9.2's schema (revision " +
                             kSupportedAlembicRevision + "). Migrate it with `mlflow db upgrade` from MLflow 2.9.2 "
                             "or use another file");
  }
}

void insert_default_experiment(SqliteConnection& connection, const std::string& default_artifact_root) {
  auto count = connection.statement("SELECT COUNT(*) FROM experiments");
  count->executeStep();
  if (count->getColumn(0).getInt64() != 0) return;
  int64_t now = now_millis();
  auto insert = connection.statement(
      "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, "
      "last_update_time) VALUES (0, 'Default', ?, 'active', ?, ?)");
  insert->bind(1, append_to_uri_path(default_artifact_root, "0"));
  insert->bind(2, static_cast<int64_t>(now));
  insert->bind(3, static_cast<int64_t>(now));
  insert->exec();
}

}  // namespace

void prepare_database(SqliteConnection& writer, const std::string& path, const SchemaOptions& options) {
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
    writer.exec("PRAGMA journal_mode = WAL");
    writer.exec(options.synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");

    writer.exec("BEGIN IMMEDIATE");
    try {
      tables = table_names(writer);  // again, under the write lock
      if (tables.empty()) {
        writer.exec(kMlflowSchemaDdl);
      } else {
        check_revision(writer, path, tables);
      }
      writer.exec(kExtraIndexes);
      insert_default_experiment(writer, options.default_artifact_root);
      writer.exec("COMMIT");
    } catch (...) {
      writer.exec("ROLLBACK");
      throw;
    }
  } catch (const SQLite::Exception& error) {
    throw std::runtime_error("cannot prepare the MLflow database '" + path + "': " + error.what());
  }
}

}  // namespace mlflowcpp::server::store
