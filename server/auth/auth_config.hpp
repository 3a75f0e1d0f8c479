#pragma once

// The configuration of the basic-auth app, read as MLflow reads it: the
// `[mlflow]` section of the ini file named by MLFLOW_AUTH_CONFIG_PATH, with
// MLflow's defaults for what the file leaves out (and without a file).

#include "server/auth/permission.hpp"

#include <string>

namespace mlflowcpp::server::auth {

struct AuthConfig {
  // What a user may do with an experiment or registered model they hold no grant on.
  Permission default_permission = Permission::kRead;
  // sqlite:///path (relative to the working directory) or postgresql://...
  std::string database_uri = "sqlite:///basic_auth.db";
  // Created as an admin at the first start when no user of that name exists.
  std::string admin_username = "admin";
  std::string admin_password = "password1234";
};

// Reads `path`. Keys: default_permission, database_uri, admin_username,
// admin_password; authorization_function is accepted and ignored (only basic
// auth is built in). Throws std::invalid_argument naming the file and the
// problem (unreadable file, no [mlflow] section, unknown permission).
AuthConfig read_auth_config(const std::string& path);

}  // namespace mlflowcpp::server::auth
