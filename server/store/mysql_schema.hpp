#pragma once

// Creating, checking and upgrading MLflow's schema in a MySQL / MariaDB database.

#include "server/store/mlflow_schema_check.hpp"
#include "server/store/mysql_uri.hpp"

namespace mlflowcpp::server::store::mysql {

using store::PreparedSchema;
using store::SchemaState;

// MLflow 3's DDL at revision 1b5f0d9ad7c1, as mariadb-dump prints a database
// the official server created (tables in name order: run with foreign key
// checks off), and its alembic_version row.
extern const char* const kMlflow3MysqlSchemaDdl;
// The statements that take an MLflow 2.9 database (acf3f17fdcc7) to MLflow 3's
// schema, as `mlflow db upgrade` does on MySQL.
extern const char* const kMlflow2To3MysqlMigration;

struct MysqlSchemaOptions {
  // Add the index mlflowcpp reads metric history with to a database that
  // lacks it (one the official server created; `db upgrade`). A database
  // created here has it from the start.
  bool add_missing_indexes = false;
  // Migrate a database with MLflow 2.9's schema to MLflow 3's (`db upgrade`);
  // otherwise it is served with the schema it has.
  bool upgrade_mlflow2 = false;
};

// Whether the database holds the index mlflowcpp adds for metric history
// (mlflowcpp_index_metrics_run_uuid_key_step): always in a database created
// here, in an official one once `db upgrade` added it.
bool has_metric_series_index(sql::Connection& connection);

// On a connection of its own, under a named lock (GET_LOCK) so that replicas
// starting together do it once: creates MLflow 3's schema (and the default
// workspace row) in a database without tables, or checks that an existing
// one is MLflow's at revision 1b5f0d9ad7c1 or acf3f17fdcc7 (migrating the
// latter with `upgrade_mlflow2`). MySQL commits DDL statement by statement:
// a creation or migration that fails half-way leaves its first steps behind,
// as `mlflow db upgrade` does. Throws std::runtime_error with a message for a
// person when the database cannot be used.
PreparedSchema prepare_schema(const MysqlConnectOptions& connect, const MysqlSchemaOptions& options);

}  // namespace mlflowcpp::server::store::mysql
