#pragma once

// Creating, checking and upgrading MLflow's schema in a PostgreSQL database.

#include "server/store/mlflow_schema_check.hpp"

#include <string>

namespace mlflowcpp::server::store::postgres {

using store::PreparedSchema;
using store::SchemaState;

// MLflow 3's DDL at revision 1b5f0d9ad7c1 (tables, constraints, indexes; no rows).
extern const char* const kMlflow3PostgresSchemaDdl;
// The statements that take an MLflow 2.9 database (acf3f17fdcc7) to MLflow 3's
// schema, as `mlflow db upgrade` does; run in one transaction.
extern const char* const kMlflow2To3PostgresMigration;

struct PostgresSchemaOptions {
  // Also on a database that has the schema already, build the indexes this
  // server adds beyond MLflow's (on a large database that takes a while and
  // holds writes back, so `db upgrade` does it, a starting server does not).
  bool add_missing_indexes = false;
  // Migrate a database with MLflow 2.9's schema to MLflow 3's (`db upgrade`);
  // otherwise it is served with the schema it has.
  bool upgrade_mlflow2 = false;
};

// On its own connection to `conninfo`, in one transaction, under an advisory
// lock so that replicas starting together do it once: creates MLflow 3's
// schema (and its rows: alembic_version, the default workspace) in a database
// without tables, or checks that an existing one is MLflow's at revision
// 1b5f0d9ad7c1 or acf3f17fdcc7 (migrating the latter with `upgrade_mlflow2`).
// (The default experiment is the tracking store's business.) Throws
// std::runtime_error with a message for a person when the database cannot be
// used (another revision, not an MLflow database, unreachable).
PreparedSchema prepare_schema(const std::string& conninfo, const PostgresSchemaOptions& options);

}  // namespace mlflowcpp::server::store::postgres
