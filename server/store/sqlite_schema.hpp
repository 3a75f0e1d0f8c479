#pragma once

// Creating and checking the MLflow schema in a SQLite database.

#include "server/store/mlflow_schema_check.hpp"
#include "server/store/sqlite_connection.hpp"

#include <string>

namespace mlflowcpp::server::store {


// The DDL of that revision (tables, indexes, the alembic_version row).
extern const char* const kMlflowSchemaDdl;

// Prepares the database behind the write connection: WAL journal, synchronous
// mode, schema created when the database is empty, revision checked when it is
// not. (The default experiment is the tracking store's business.) Throws
// std::runtime_error with a message for a person when the file cannot be used.
// `synchronous_full`: fsync every commit (survives power loss, not only
// process death).
void prepare_database(SqliteConnection& writer, const std::string& path, bool synchronous_full);

}  // namespace mlflowcpp::server::store
