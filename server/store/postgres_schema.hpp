#pragma once

// Creating and checking MLflow's schema in a PostgreSQL database.

#include <string>

namespace mlflowcpp::server::store::postgres {

// The DDL of MLflow 2.9.2's schema (tables, constraints, indexes; no rows).
extern const char* const kMlflowPostgresSchemaDdl;

// What prepare_schema found and did.
enum class SchemaState {
  kCreated,  // the database was empty: the schema is there now
  kCurrent,  // the database already had MLflow 2.9.2's schema
};

struct PostgresSchemaOptions {
  // Also on a database that has the schema already, build the indexes this
  // server adds beyond MLflow's (on a large database that takes a while and
  // holds writes back, so `db upgrade` does it, a starting server does not).
  bool add_missing_indexes = false;
};

// On its own connection to `conninfo`, under an advisory lock so that
// replicas starting together do it once: creates the schema (and the
// alembic_version row) in a database without tables, or checks that an
// existing one is MLflow's at revision acf3f17fdcc7. (The default experiment
// is the tracking store's business.) Throws std::runtime_error
// with a message for a person when the database cannot be used (another
// revision, not an MLflow database, unreachable).
SchemaState prepare_schema(const std::string& conninfo, const PostgresSchemaOptions& options);

}  // namespace mlflowcpp::server::store::postgres
