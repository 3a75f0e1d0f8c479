#include "server/store/postgres_schema.hpp"

#include "server/store/postgres_connection.hpp"
#include "server/store/mlflow_schema_check.hpp"

#include <stdexcept>
#include <vector>

namespace mlflowcpp::server::store::postgres {

namespace {

// Any fixed number: every mlflowcpp process preparing a schema takes the same
// transaction-scoped lock, so two replicas starting on an empty database do
// not both create it.
constexpr const char* kSchemaLock = "SELECT pg_advisory_xact_lock(7305519246310451001)";

// Beyond MLflow's indexes: metric history reads one (run, key) series, which
// index_metrics_run_uuid alone answers by reading every metric of the run.
// MLflow and its migrations do not mind an extra index.
constexpr const char* kExtraIndexes =
    "CREATE INDEX IF NOT EXISTS mlflowcpp_index_metrics_run_uuid_key_step "
    "ON public.metrics (run_uuid, key, step, \"timestamp\", value, is_nan)";

// Rows the official server writes with the schema. (MLflow's DDL empties the
// session's search_path: every name is qualified.)
constexpr const char* kSchemaRows =
    "INSERT INTO public.alembic_version (version_num) VALUES ('1b5f0d9ad7c1');"
    "INSERT INTO public.workspaces (name, description) VALUES ('default', 'Default workspace for legacy resources')";

// MLflow's tables live in the schema `public` (its DDL names it everywhere).
std::vector<std::string> table_names(PostgresConnection& connection) {
  std::vector<std::string> names;
  auto query = connection.statement("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public'");
  while (query->step()) names.push_back(query->column(0).as_string());
  return names;
}

PreparedSchema prepare_in_transaction(PostgresConnection& connection, const PostgresSchemaOptions& options) {
  connection.execute(kSchemaLock);
  const auto tables = table_names(connection);
  if (tables.empty()) {
    connection.execute(kMlflow3PostgresSchemaDdl);
    connection.execute(kSchemaRows);
    connection.execute(kExtraIndexes);
    return {SchemaState::kCreated, SchemaGeneration::kMlflow3};
  }
  const SchemaGeneration found = check_mlflow_schema(
      connection, tables, {"public.alembic_version", "the PostgreSQL database", "an empty database"});
  PreparedSchema prepared{SchemaState::kCurrent, found};
  if (found == SchemaGeneration::kMlflow2 && options.upgrade_mlflow2) {
    connection.execute(kMlflow2To3PostgresMigration);
    prepared = {SchemaState::kUpgraded, SchemaGeneration::kMlflow3};
  }
  if (options.add_missing_indexes) connection.execute(kExtraIndexes);
  return prepared;
}

}  // namespace

PreparedSchema prepare_schema(const std::string& conninfo, const PostgresSchemaOptions& options) {
  try {
    // A connection of its own: MLflow's DDL empties the session's search_path,
    // which must not leak into pooled connections.
    PostgresConnection connection(conninfo);
    connection.execute("BEGIN");
    try {
      const PreparedSchema prepared = prepare_in_transaction(connection, options);
      connection.execute("COMMIT");
      return prepared;
    } catch (...) {
      try {
        connection.execute("ROLLBACK");
      } catch (...) {  // the connection closes next anyway
      }
      throw;
    }
  } catch (const sql::DatabaseError& error) {
    throw std::runtime_error(std::string("cannot prepare the MLflow schema: ") + error.what());
  }
}

}  // namespace mlflowcpp::server::store::postgres
