#pragma once

// Creating, checking and upgrading the MLflow schema in a SQLite database.

#include "server/store/mlflow_schema_check.hpp"
#include "server/store/sqlite_connection.hpp"

#include <functional>
#include <string>

namespace mlflowcpp::server::store {

// MLflow 3's DDL at revision 1b5f0d9ad7c1 (tables, indexes, the
// alembic_version row), what a new database gets.
extern const char* const kMlflow3SqliteSchemaDdl;
// The statements that take an MLflow 2.9 database (acf3f17fdcc7) to MLflow 3's
// schema, as `mlflow db upgrade` does; run in one transaction, foreign keys off.
extern const char* const kMlflow2To3SqliteMigration;

// Prepares the database behind the write connection: WAL journal, synchronous
// mode, MLflow 3's schema created when the database is empty, revision checked
// when it is not (and, with `upgrade_mlflow2`, a 2.9 database migrated to MLflow
// 3's schema). (The default experiment is the tracking store's business.)
// Throws std::runtime_error with a message for a person when the file cannot
// be used. `synchronous_full`: fsync every commit (survives power loss, not
// only process death).
PreparedSchema prepare_database(SqliteConnection& writer, const std::string& path, bool synchronous_full,
                                bool upgrade_mlflow2);

// Creates or checks the schema of a database that is not MLflow's tracking
// database (the basic-auth app's), inside the write transaction opening holds.
// Throws std::runtime_error with a message for a person when it cannot be used.
using SchemaPreparer = std::function<PreparedSchema(SqliteConnection& writer)>;

// prepare_database with `prepare_schema` in place of MLflow's tracking schema.
PreparedSchema prepare_database(SqliteConnection& writer, const std::string& path, bool synchronous_full,
                                const SchemaPreparer& prepare_schema);

}  // namespace mlflowcpp::server::store
