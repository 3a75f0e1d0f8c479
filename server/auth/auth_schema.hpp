#pragma once

// MLflow's auth database schema (the tables its auth migrations create), and
// the check that an existing database has it at a revision this server reads.
//
// A new database gets revision 8606fa83a998 recorded in `alembic_version`, as
// MLflow 2.9's app writes it: MLflow 2.9 opens it as it is, and MLflow 3.6
// takes it for a database of its own from before 3.6 (it records revisions in
// `alembic_version_auth`) and migrates it. An existing database is read at
// 8606fa83a998 or 0965eb92f5f0 (3.6's, which adds scorer_permissions), the
// revision taken from `alembic_version_auth` when that table exists.

#include "server/store/sql_database.hpp"

#include <string>

namespace mlflowcpp::server::auth {

inline constexpr const char* kAuthInitialRevision = "8606fa83a998";
inline constexpr const char* kAuthScorerPermissionsRevision = "0965eb92f5f0";

struct AuthSchema {
  bool created = false;                 // the schema was created (or its creation finished) just now
  std::string revision;                 // the alembic revision it is at
  bool has_scorer_permissions = false;  // MLflow 3.6's scorer_permissions table is there
};

// Inside a write transaction on `connection` (MySQL: autocommit under a named
// lock, as its DDL commits itself): creates the schema in a database without
// tables, or checks an existing one. On MySQL it also finishes what MLflow's
// own migration leaves there when it fails (auth_schema.cpp). `database` names it in messages
// ("'/srv/basic_auth.db'"). Throws std::runtime_error, with a message for the
// person who started the server, for a database that is not MLflow's auth
// database at a revision this server reads.
AuthSchema prepare_auth_schema(store::sql::Connection& connection, const std::string& database);

}  // namespace mlflowcpp::server::auth
