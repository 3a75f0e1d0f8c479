#include "server/auth/auth_schema.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace mlflowcpp::server::auth {
namespace {

namespace sql = store::sql;

// The tables of revision 8606fa83a998 as MLflow's initial auth migration
// creates them (SQLAlchemy's DDL, which differs between the databases only in
// the type of the id columns), with its alembic_version row.
constexpr const char* kSchemaDdl = R"(CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE users (
	id ID_TYPE NOT NULL, 
	username VARCHAR(255), 
	password_hash VARCHAR(255), 
	is_admin BOOLEAN, 
	PRIMARY KEY (id), 
	UNIQUE (username)
);
CREATE TABLE experiment_permissions (
	id ID_TYPE NOT NULL, 
	experiment_id VARCHAR(255) NOT NULL, 
	user_id INTEGER NOT NULL, 
	permission VARCHAR(255), 
	PRIMARY KEY (id), 
	CONSTRAINT fk_user_id FOREIGN KEY(user_id) REFERENCES users (id), 
	CONSTRAINT unique_experiment_user UNIQUE (experiment_id, user_id)
);
CREATE TABLE registered_model_permissions (
	id ID_TYPE NOT NULL, 
	name VARCHAR(255) NOT NULL, 
	user_id INTEGER NOT NULL, 
	permission VARCHAR(255), 
	PRIMARY KEY (id), 
	CONSTRAINT fk_user_id FOREIGN KEY(user_id) REFERENCES users (id), 
	CONSTRAINT unique_name_user UNIQUE (name, user_id)
);
INSERT INTO alembic_version (version_num) VALUES ('8606fa83a998');)";

std::string schema_ddl(sql::Dialect dialect) {
  const std::string id_type = dialect == sql::Dialect::kSqlite ? "INTEGER" : "SERIAL";
  std::string ddl = kSchemaDdl;
  for (auto at = ddl.find("ID_TYPE"); at != std::string::npos; at = ddl.find("ID_TYPE", at)) {
    ddl.replace(at, 7, id_type);
  }
  return ddl;
}

std::vector<std::string> table_names(sql::Connection& connection) {
  // PostgreSQL: the schema unqualified names resolve to, where MLflow creates the tables too.
  const char* query_text = connection.dialect() == sql::Dialect::kSqlite
                               ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                               : "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()";
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
    connection.execute(schema_ddl(connection.dialect()));
    return {true, kAuthInitialRevision, false};
  }
  if (!has("users") || !has("experiment_permissions") || !has("registered_model_permissions") ||
      (!has("alembic_version") && !has("alembic_version_auth"))) {
    throw std::runtime_error("the auth database " + database +
                             " has tables but not those of MLflow's basic-auth app (users, experiment_permissions, "
                             "registered_model_permissions, alembic_version); give database_uri an empty database "
                             "or one written by `mlflow server --app-name basic-auth`");
  }
  // MLflow 3.6 records its revisions in a table of their own, beside a stale alembic_version it may leave behind.
  const std::string revision =
      read_revision(connection, has("alembic_version_auth") ? "alembic_version_auth" : "alembic_version");
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
