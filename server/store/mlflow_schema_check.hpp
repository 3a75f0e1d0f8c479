#pragma once

// What both databases check before serving one: MLflow's schema at one of the
// two alembic revisions this server reads (schema_generation.hpp).

#include "server/store/schema_generation.hpp"
#include "server/store/sql_database.hpp"

#include <string>
#include <vector>

namespace mlflowcpp::server::store {

// Where a schema check looks and how its messages name the database.
struct SchemaCheckTarget {
  std::string alembic_table;     // "alembic_version", or "public.alembic_version"
  std::string database;          // "'/srv/mlflow.db'", "the PostgreSQL database"
  std::string other_database;    // what to use instead: "a new file", "an empty database"
};

// What preparing a database found and did.
enum class SchemaState {
  kCreated,   // the database was empty: MLflow 3's schema is there now
  kCurrent,   // the database already had one of the schemas this server reads
  kUpgraded,  // the database had MLflow 2.9's schema and was migrated to MLflow 3's
};

struct PreparedSchema {
  SchemaState state;
  SchemaGeneration generation;  // what the database has now
};

// The alembic revision recorded in the database's alembic_version table, or
// "none" when it holds no row (several rows read as the first).
std::string read_alembic_revision(sql::Connection& connection, const std::string& alembic_table);

// The generation of the schema in `tables` (those of the database, not empty).
// Throws std::runtime_error, with a message for the person who started the
// server, unless they hold MLflow's schema at one of the two revisions.
SchemaGeneration check_mlflow_schema(sql::Connection& connection, const std::vector<std::string>& tables,
                                     const SchemaCheckTarget& target);

}  // namespace mlflowcpp::server::store
