#include "server/store/mysql_schema.hpp"

#include "server/store/mysql_connection.hpp"
#include "server/store/mysql_named_lock.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace mlflowcpp::server::store::mysql {

namespace {

// Every mlflowcpp process preparing a tracking schema waits for the same named lock.
constexpr const char* kSchemaLockName = "mlflowcpp_schema";
constexpr int kSchemaLockSeconds = 300;

// Beyond MLflow's indexes, as on the other databases: metric history reads one
// (run, key) series, which MLflow's indexes answer only by reading every
// metric of the run (index_metrics_run_uuid) or of the key in every run (the
// primary key), and then sorting. MLflow and its migrations do not mind an
// extra index. (MySQL 8 has no CREATE INDEX IF NOT EXISTS: see add_extra_index.)
constexpr const char* kExtraIndex =
    "CREATE INDEX mlflowcpp_index_metrics_run_uuid_key_step ON metrics (run_uuid, key, step, timestamp, value, is_nan)";

// The rows the official server writes with the schema beyond alembic_version.
constexpr const char* kWorkspaceRow =
    "INSERT INTO workspaces (name, description) VALUES ('default', 'Default workspace for legacy resources')";

std::vector<std::string> table_names(MysqlConnection& connection) {
  std::vector<std::string> names;
  auto query = connection.statement(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'");
  while (query->step()) names.push_back(query->column(0).as_string());
  return names;
}

// MLflow's DDL lists tables by name, before the tables their foreign keys name.
void run_ddl(MysqlConnection& connection, const char* ddl) {
  connection.execute("SET FOREIGN_KEY_CHECKS = 0");
  try {
    connection.execute(ddl);
  } catch (...) {
    try {
      connection.execute("SET FOREIGN_KEY_CHECKS = 1");
    } catch (...) {  // the connection closes next anyway
    }
    throw;
  }
  connection.execute("SET FOREIGN_KEY_CHECKS = 1");
}

void add_extra_index(MysqlConnection& connection) {
  if (!has_metric_series_index(connection)) connection.execute(kExtraIndex);
}

PreparedSchema prepare_under_lock(MysqlConnection& connection, const MysqlSchemaOptions& options) {
  const auto tables = table_names(connection);
  if (tables.empty()) {
    run_ddl(connection, kMlflow3MysqlSchemaDdl);
    connection.execute(kWorkspaceRow);
    connection.execute(kExtraIndex);
    return {SchemaState::kCreated, SchemaGeneration::kMlflow3};
  }
  const SchemaGeneration found =
      check_mlflow_schema(connection, tables, {"alembic_version", "the MySQL database", "an empty database"});
  PreparedSchema prepared{SchemaState::kCurrent, found};
  if (found == SchemaGeneration::kMlflow2 && options.upgrade_mlflow2) {
    run_ddl(connection, kMlflow2To3MysqlMigration);
    prepared = {SchemaState::kUpgraded, SchemaGeneration::kMlflow3};
  }
  if (options.add_missing_indexes) add_extra_index(connection);
  return prepared;
}

}  // namespace

bool has_metric_series_index(sql::Connection& connection) {
  auto existing = connection.statement(
      "SELECT count(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'metrics' "
      "AND index_name = 'mlflowcpp_index_metrics_run_uuid_key_step'");
  return existing->step() && existing->column(0).as_int64() > 0;
}

PreparedSchema prepare_schema(const MysqlConnectOptions& connect, const MysqlSchemaOptions& options) {
  try {
    MysqlConnection connection(connect);
    const NamedLock lock(connection, kSchemaLockName, kSchemaLockSeconds);
    // Autocommit: MySQL commits every DDL statement anyway.
    return prepare_under_lock(connection, options);
  } catch (const sql::DatabaseError& error) {
    throw std::runtime_error(std::string("cannot prepare the MLflow schema: ") + error.what());
  }
}

}  // namespace mlflowcpp::server::store::mysql
