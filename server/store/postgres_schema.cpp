#include "server/store/postgres_schema.hpp"

#include "server/store/postgres_connection.hpp"
#include "server/store/mlflow_schema_check.hpp"
#include "server/store/sqlite_schema.hpp"

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

// MLflow's tables live in the schema `public` (its DDL names it everywhere).
std::vector<std::string> table_names(PostgresConnection& connection) {
  std::vector<std::string> names;
  auto query = connection.statement("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public'");
  while (query->step()) names.push_back(query->column(0).as_string());
  return names;
}

SchemaState prepare_in_transaction(PostgresConnection& connection, const PostgresSchemaOptions& options) {
  connection.execute(kSchemaLock);
  const auto tables = table_names(connection);
  if (tables.empty()) {
    connection.execute(kMlflowPostgresSchemaDdl);
    auto insert = connection.statement("INSERT INTO public.alembic_version (version_num) VALUES (?)");
    insert->bind(1, kSupportedAlembicRevision);
    insert->execute();
    connection.execute(kExtraIndexes);
    return SchemaState::kCreated;
  }
  check_mlflow_schema(connection, tables,
                      {"public.alembic_version", "the PostgreSQL database", "an empty database"});
  if (options.add_missing_indexes) connection.execute(kExtraIndexes);
  return SchemaState::kCurrent;
}

}  // namespace

SchemaState prepare_schema(const std::string& conninfo, const PostgresSchemaOptions& options) {
  try {
    // A connection of its own: MLflow's DDL empties the session's search_path,
    // which must not leak into pooled connections.
    PostgresConnection connection(conninfo);
    connection.execute("BEGIN");
    try {
      const SchemaState state = prepare_in_transaction(connection, options);
      connection.execute("COMMIT");
      return state;
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
