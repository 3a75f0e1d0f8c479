#pragma once

// Creating and checking the MLflow schema in a SQLite database.

#include "server/store/sqlite_connection.hpp"

#include <string>

namespace mlflowcpp::server::store {

// The alembic revision of MLflow 2.9.2's schema: the only one this store reads.
inline constexpr const char* kSupportedAlembicRevision = "acf3f17fdcc7";

// The DDL of that revision (tables, indexes, the alembic_version row).
extern const char* const kMlflowSchemaDdl;

struct SchemaOptions {
  std::string default_artifact_root;
  bool synchronous_full = false;  // fsync every commit (survives power loss, not only process death)
};

// Prepares the database behind the write connection: WAL journal, schema
// created when the database is empty, revision checked when it is not, the
// default experiment 0 inserted when there is no experiment. Throws
// std::runtime_error with a message for a person when the file cannot be used.
void prepare_database(SqliteConnection& writer, const std::string& path, const SchemaOptions& options);

}  // namespace mlflowcpp::server::store
