#include "server/auth/auth_schema.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace mlflowcpp::server::auth {
namespace {

namespace sql = store::sql;

// The tables of revision 8606fa83a998 as MLflow's initial auth migration
// creates them (SQLAlchemy's DDL, which differs between the databases only in
// the id columns), with its alembic_version row. ID_COLUMN and
// MODEL_GRANT_USER_FK are filled in per database (schema_statements below).
constexpr const char* kAlembicVersionTable = R"(CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
))";
constexpr const char* kUsersTable = R"(CREATE TABLE users (
	id ID_COLUMN, 
	username VARCHAR(255), 
	password_hash VARCHAR(255), 
	is_admin BOOLEAN, 
	PRIMARY KEY (id), 
	UNIQUE (username)
))";
constexpr const char* kExperimentPermissionsTable = R"(CREATE TABLE experiment_permissions (
	id ID_COLUMN, 
	experiment_id VARCHAR(255) NOT NULL, 
	user_id INTEGER NOT NULL, 
	permission VARCHAR(255), 
	PRIMARY KEY (id), 
	CONSTRAINT fk_user_id FOREIGN KEY(user_id) REFERENCES users (id), 
	CONSTRAINT unique_experiment_user UNIQUE (experiment_id, user_id)
))";
constexpr const char* kRegisteredModelPermissionsTable = R"(CREATE TABLE registered_model_permissions (
	id ID_COLUMN, 
	name VARCHAR(255) NOT NULL, 
	user_id INTEGER NOT NULL, 
	permission VARCHAR(255), 
	PRIMARY KEY (id), 
	CONSTRAINT MODEL_GRANT_USER_FK FOREIGN KEY(user_id) REFERENCES users (id), 
	CONSTRAINT unique_name_user UNIQUE (name, user_id)
))";
constexpr const char* kInitialRevisionRow = "INSERT INTO alembic_version (version_num) VALUES ('8606fa83a998')";
// The same in MLflow 3.6's version table, for a database its migration left half-made (below).
constexpr const char* kInitialRevisionRow36 = "INSERT INTO alembic_version_auth (version_num) VALUES ('8606fa83a998')";

// MLflow's migration names both foreign keys fk_user_id, which InnoDB refuses:
// its constraint names are unique per database, so on MySQL and MariaDB the
// migration stops after experiment_permissions (MLflow issue 9642). There the
// second one gets the name that issue's workaround gives it.
constexpr const char* kMysqlModelGrantUserFk = "fk_user_id_reg_model";

void replace_all(std::string& text, const std::string& placeholder, const std::string& value) {
  for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size())) {
    text.replace(at, placeholder.size(), value);
  }
}

std::string for_dialect(std::string ddl, sql::Dialect dialect) {
  switch (dialect) {
    case sql::Dialect::kSqlite:
      replace_all(ddl, "ID_COLUMN", "INTEGER NOT NULL");
      break;
    case sql::Dialect::kPostgres:
      replace_all(ddl, "ID_COLUMN", "SERIAL NOT NULL");
      break;
    case sql::Dialect::kMysql:
      replace_all(ddl, "ID_COLUMN", "INTEGER NOT NULL AUTO_INCREMENT");
      break;
  }
  replace_all(ddl, "MODEL_GRANT_USER_FK", dialect == sql::Dialect::kMysql ? kMysqlModelGrantUserFk : "fk_user_id");
  return ddl;
}

void create_tables(sql::Connection& connection, const std::vector<const char*>& tables) {
  for (const char* table : tables) connection.execute(for_dialect(table, connection.dialect()));
}

std::vector<std::string> table_names(sql::Connection& connection) {
  const char* query_text = nullptr;
  switch (connection.dialect()) {
    case sql::Dialect::kSqlite:
      query_text = "SELECT name FROM sqlite_master WHERE type = 'table'";
      break;
    case sql::Dialect::kPostgres:
      // The schema unqualified names resolve to, where MLflow creates the tables too.
      query_text = "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()";
      break;
    case sql::Dialect::kMysql:
      query_text =
          "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND "
          "table_type = 'BASE TABLE'";
      break;
  }
  std::vector<std::string> names;
  auto query = connection.statement(query_text);
  while (query->step()) names.push_back(query->column(0).as_string());
  return names;
}

std::string read_revision(sql::Connection& connection, const std::string& table) {
  std::vector<std::string> revisions;
  auto query = connection.statement("SELECT version_num FROM " + table);
  while (query->step()) revisions.push_back(query->column(0).as_string());
  if (revisions.size() > 1) return revisions[0] + " (and " + std::to_string(revisions.size() - 1) + " more)";
  return revisions.empty() ? "none" : revisions[0];
}

}  // namespace

AuthSchema prepare_auth_schema(sql::Connection& connection, const std::string& database) {
  const auto tables = table_names(connection);
  const auto has = [&](const char* name) { return std::find(tables.begin(), tables.end(), name) != tables.end(); };
  if (tables.empty()) {
    create_tables(connection, {kAlembicVersionTable, kUsersTable, kExperimentPermissionsTable,
                               kRegisteredModelPermissionsTable, kInitialRevisionRow});
    return {true, kAuthInitialRevision, false};
  }
  // MLflow 3.6 records its revisions in a table of their own, beside a stale alembic_version it may leave behind.
  const char* version_table = has("alembic_version_auth") ? "alembic_version_auth" : "alembic_version";
  // What MLflow's migration leaves on MySQL (above): users and experiment_permissions, no revision yet (in
  // alembic_version, or alembic_version_auth for MLflow 3.6). Nothing can have been written to them, as the official
  // server does not start on it; the migration is finished here.
  if (connection.dialect() == sql::Dialect::kMysql && has(version_table) && has("users") &&
      has("experiment_permissions") && !has("registered_model_permissions") &&
      read_revision(connection, version_table) == "none") {
    create_tables(connection,
                  {kRegisteredModelPermissionsTable,
                   std::string(version_table) == "alembic_version" ? kInitialRevisionRow : kInitialRevisionRow36});
    return {true, kAuthInitialRevision, false};
  }
  if (!has("users") || !has("experiment_permissions") || !has("registered_model_permissions") ||
      (!has("alembic_version") && !has("alembic_version_auth"))) {
    throw std::runtime_error("the auth database " + database +
                             " has tables but not those of MLflow's basic-auth app (users, experiment_permissions, "
                             "registered_model_permissions, alembic_version); give database_uri an empty database "
                             "or one written by `mlflow server --app-name basic-auth`");
  }
  const std::string revision = read_revision(connection, version_table);
  if (revision != kAuthInitialRevision && revision != kAuthScorerPermissionsRevision) {
    throw std::runtime_error("the auth database " + database + " is at alembic revision " + revision +
                             "; this server reads MLflow's auth schema at revision " + kAuthInitialRevision +
                             " (MLflow 2.x) or " + kAuthScorerPermissionsRevision + " (MLflow 3.6)");
  }
  if (revision == kAuthScorerPermissionsRevision && !has("scorer_permissions")) {
    throw std::runtime_error("the auth database " + database + " is at alembic revision " + revision +
                             " but has no scorer_permissions table");
  }
  return {false, revision, has("scorer_permissions")};
}

}  // namespace mlflowcpp::server::auth
