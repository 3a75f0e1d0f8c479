#pragma once

// The AuthStore over the SQL layer (sql_database.hpp), so one implementation
// serves SQLite and PostgreSQL. Reads run in read transactions (on SQLite, on
// the read pool beside the writer), so the per-request lookups never wait for
// a write; every statement is prepared once per connection.

#include "server/auth/auth_store.hpp"
#include "server/store/sql_database.hpp"

#include <memory>

namespace mlflowcpp::server::auth {

class SqlAuthStore final : public AuthStore {
 public:
  // `database` holds MLflow's auth schema (auth_schema.hpp); `has_scorer_permissions`:
  // MLflow 3.6's scorer_permissions table is there, whose rows of a deleted user go too.
  SqlAuthStore(std::shared_ptr<store::sql::Database> database, bool has_scorer_permissions);

  std::optional<User> find_user(const std::string& username) override;
  User create_user(const std::string& username, const std::string& password_hash, bool is_admin) override;
  void update_password_hash(const std::string& username, const std::string& password_hash) override;
  void update_admin(const std::string& username, bool is_admin) override;
  void delete_user(const std::string& username) override;
  std::vector<User> list_users() override;

  ExperimentGrant create_experiment_grant(const std::string& experiment_id, const std::string& username,
                                          Permission permission) override;
  ExperimentGrant get_experiment_grant(const std::string& experiment_id, const std::string& username) override;
  void update_experiment_grant(const std::string& experiment_id, const std::string& username,
                               Permission permission) override;
  void delete_experiment_grant(const std::string& experiment_id, const std::string& username) override;
  std::vector<ExperimentGrant> list_experiment_grants(std::int64_t user_id) override;

  RegisteredModelGrant create_registered_model_grant(const std::string& name, const std::string& username,
                                                     Permission permission) override;
  RegisteredModelGrant get_registered_model_grant(const std::string& name, const std::string& username) override;
  void update_registered_model_grant(const std::string& name, const std::string& username,
                                     Permission permission) override;
  void delete_registered_model_grant(const std::string& name, const std::string& username) override;
  std::vector<RegisteredModelGrant> list_registered_model_grants(std::int64_t user_id) override;
  void rename_registered_model_grants(const std::string& old_name, const std::string& new_name) override;
  void delete_registered_model_grants(const std::string& name) override;

  std::optional<Permission> experiment_permission(std::int64_t user_id, const std::string& experiment_id) override;
  std::optional<Permission> registered_model_permission(std::int64_t user_id, const std::string& name) override;

 private:
  std::shared_ptr<store::sql::Database> database_;
  bool has_scorer_permissions_;
};

}  // namespace mlflowcpp::server::auth
