#pragma once

// What both databases check before serving one: MLflow's schema at the one
// alembic revision this server reads.

#include "server/store/sql_database.hpp"

#include <string>
#include <vector>

namespace mlflowcpp::server::store {

// The alembic revision of MLflow 2.9.2's schema: the only one the stores read.
inline constexpr const char* kSupportedAlembicRevision = "acf3f17fdcc7";

// Where a schema check looks and how its messages name the database.
struct SchemaCheckTarget {
  std::string alembic_table;     // "alembic_version", or "public.alembic_version"
  std::string database;          // "'/srv/mlflow.db'", "the PostgreSQL database"
  std::string other_database;    // what to use instead: "a new file", "an empty database"
};

// Throws std::runtime_error, with a message for the person who started the
// server, unless `tables` (those of the database, not empty) hold MLflow's
// schema at kSupportedAlembicRevision.
void check_mlflow_schema(sql::Connection& connection, const std::vector<std::string>& tables,
                         const SchemaCheckTarget& target);

}  // namespace mlflowcpp::server::store
