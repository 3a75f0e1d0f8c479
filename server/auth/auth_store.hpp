#pragma once

// Where the basic-auth app keeps its users and grants: MLflow's auth database
// (tables users, experiment_permissions, registered_model_permissions; alembic
// revision 8606fa83a998, or a later one such as 0965eb92f5f0 that adds
// scorer_permissions), so a basic_auth.db written by `mlflow server --app-name
// basic-auth` keeps working here and the other way round.
//
// Errors are MlflowExceptions with MLflow's codes and messages:
// RESOURCE_DOES_NOT_EXIST for an unknown user or a missing grant,
// RESOURCE_ALREADY_EXISTS for a taken username or an existing grant.
// Implementations are thread-safe.

#include "server/auth/permission.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::server::auth {

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string password_hash;  // MLflow's (werkzeug's) "method$salt$hash" text
  bool is_admin = false;
};

// Grants as stored; `permission` is the stored text (a hand-edited row may hold
// a name that is no permission: it allows nothing).
struct ExperimentGrant {
  std::string experiment_id;
  std::int64_t user_id = 0;
  std::string permission;
};

struct RegisteredModelGrant {
  std::string name;
  std::int64_t user_id = 0;
  std::string permission;
};

class AuthStore {
 public:
  virtual ~AuthStore() = default;

  // Users. `password_hash` is already hashed (password_hash.hpp).
  virtual std::optional<User> find_user(const std::string& username) = 0;
  virtual User create_user(const std::string& username, const std::string& password_hash, bool is_admin) = 0;
  virtual void update_password_hash(const std::string& username, const std::string& password_hash) = 0;
  virtual void update_admin(const std::string& username, bool is_admin) = 0;
  // Removes the user's grants with it.
  virtual void delete_user(const std::string& username) = 0;
  virtual std::vector<User> list_users() = 0;

  // Grants on experiments, by username.
  virtual ExperimentGrant create_experiment_grant(const std::string& experiment_id, const std::string& username,
                                                  Permission permission) = 0;
  virtual ExperimentGrant get_experiment_grant(const std::string& experiment_id, const std::string& username) = 0;
  virtual void update_experiment_grant(const std::string& experiment_id, const std::string& username,
                                       Permission permission) = 0;
  virtual void delete_experiment_grant(const std::string& experiment_id, const std::string& username) = 0;
  virtual std::vector<ExperimentGrant> list_experiment_grants(std::int64_t user_id) = 0;

  // Grants on registered models (by model name), by username.
  virtual RegisteredModelGrant create_registered_model_grant(const std::string& name, const std::string& username,
                                                             Permission permission) = 0;
  virtual RegisteredModelGrant get_registered_model_grant(const std::string& name, const std::string& username) = 0;
  virtual void update_registered_model_grant(const std::string& name, const std::string& username,
                                             Permission permission) = 0;
  virtual void delete_registered_model_grant(const std::string& name, const std::string& username) = 0;
  virtual std::vector<RegisteredModelGrant> list_registered_model_grants(std::int64_t user_id) = 0;
  // A renamed model keeps its grants; a deleted one loses them all (a new model
  // of the same name must not inherit them).
  virtual void rename_registered_model_grants(const std::string& old_name, const std::string& new_name) = 0;
  virtual void delete_registered_model_grants(const std::string& name) = 0;

  // The per-request lookups: the permission granted to `user_id`, nullopt when
  // there is no grant (the default permission applies then).
  virtual std::optional<Permission> experiment_permission(std::int64_t user_id, const std::string& experiment_id) = 0;
  virtual std::optional<Permission> registered_model_permission(std::int64_t user_id, const std::string& name) = 0;
};

}  // namespace mlflowcpp::server::auth
