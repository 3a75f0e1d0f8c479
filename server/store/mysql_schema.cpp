#include "server/store/mysql_schema.hpp"

#include "server/store/mysql_connection.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace mlflowcpp::server::store::mysql {

namespace {

// Every mlflowcpp process preparing a schema waits for the same named lock
// (held by the session, released below or when the connection closes).
constexpr const char* kSchemaLockName = "mlflowcpp_schema";
constexpr int kSchemaLockSeconds = 300;

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

PreparedSchema prepare_under_lock(MysqlConnection& connection, const MysqlSchemaOptions& options) {
  const auto tables = table_names(connection);
  if (tables.empty()) {
    run_ddl(connection, kMlflow3MysqlSchemaDdl);
    connection.execute(kWorkspaceRow);
    return {SchemaState::kCreated, SchemaGeneration::kMlflow3};
  }
  const SchemaGeneration found =
      check_mlflow_schema(connection, tables, {"alembic_version", "the MySQL database", "an empty database"});
  if (found == SchemaGeneration::kMlflow2 && options.upgrade_mlflow2) {
    run_ddl(connection, kMlflow2To3MysqlMigration);
    return {SchemaState::kUpgraded, SchemaGeneration::kMlflow3};
  }
  return {SchemaState::kCurrent, found};
}

}  // namespace

PreparedSchema prepare_schema(const MysqlConnectOptions& connect, const MysqlSchemaOptions& options) {
  try {
    MysqlConnection connection(connect);
    {
      auto lock = connection.statement("SELECT GET_LOCK(?, ?)");
      lock->bind(1, kSchemaLockName);
      lock->bind(2, kSchemaLockSeconds);
      if (!lock->step() || lock->column(0).as_int64() != 1) {
        throw std::runtime_error("another process held the schema lock '" + std::string(kSchemaLockName) + "' for " +
                                 std::to_string(kSchemaLockSeconds) + " s");
      }
    }
    // Autocommit: MySQL commits every DDL statement anyway.
    const PreparedSchema prepared = prepare_under_lock(connection, options);
    connection.execute("DO RELEASE_LOCK('mlflowcpp_schema')");
    return prepared;
  } catch (const sql::DatabaseError& error) {
    throw std::runtime_error(std::string("cannot prepare the MLflow schema: ") + error.what());
  }
}

}  // namespace mlflowcpp::server::store::mysql
