#pragma once

// MLflow's auth database as MLflow itself creates it, written out here
// independently of the server's own DDL so tests can open a database "written
// by MLflow": the initial migration (8606fa83a998, with its alembic_version
// row) and what MLflow 3.6 adds on opening it (its own alembic_version_auth
// table and scorer_permissions, 0965eb92f5f0). SQLAlchemy's DDL differs between
// SQLite and PostgreSQL only in the type of the id columns.

#include <string>

namespace mlflowcpp::server::auth::testing {

inline std::string with_id_type(std::string ddl, const std::string& id_type) {
  for (auto at = ddl.find("ID_TYPE"); at != std::string::npos; at = ddl.find("ID_TYPE", at))
    ddl.replace(at, 7, id_type);
  return ddl;
}

// `id_type`: "INTEGER" (SQLite), "SERIAL" (PostgreSQL) or "INTEGER AUTO_INCREMENT" (MySQL,
// where SQLAlchemy also writes BOOL for BOOLEAN: the same type there). On
// MySQL the two foreign keys named fk_user_id stop it at the second table.
inline std::string mlflow_initial_auth_migration(const std::string& id_type) {
  return with_id_type(R"(CREATE TABLE alembic_version (
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
INSERT INTO alembic_version (version_num) VALUES ('8606fa83a998');)",
                      id_type);
}

inline std::string mlflow_36_auth_upgrade(const std::string& id_type) {
  return with_id_type(R"(CREATE TABLE alembic_version_auth (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_auth_pkc PRIMARY KEY (version_num)
);
INSERT INTO alembic_version_auth (version_num) VALUES ('0965eb92f5f0');
CREATE TABLE scorer_permissions (
	id ID_TYPE NOT NULL, 
	experiment_id VARCHAR(255) NOT NULL, 
	scorer_name VARCHAR(256) NOT NULL, 
	user_id INTEGER NOT NULL, 
	permission VARCHAR(255), 
	PRIMARY KEY (id), 
	CONSTRAINT fk_scorer_perm_user_id FOREIGN KEY(user_id) REFERENCES users (id), 
	CONSTRAINT unique_scorer_user UNIQUE (experiment_id, scorer_name, user_id)
);)",
                      id_type);
}

}  // namespace mlflowcpp::server::auth::testing
