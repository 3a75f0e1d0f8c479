#include "server/auth/sql_auth_store.hpp"

#include "server/store/sql_dialect.hpp"
#include "server/store/sql_transactions.hpp"

#include <mlflowcpp/errors.hpp>

#include <stdexcept>

namespace mlflowcpp::server::auth {
namespace {

namespace sql = store::sql;

// `(? <> 0)`: PostgreSQL takes the integer the SQL layer binds as a boolean this way; SQLite and MySQL store 0 or 1.
constexpr const char* kFindUser = "SELECT id, username, password_hash, is_admin FROM users WHERE username = ?";
constexpr const char* kListUsers = "SELECT id, username, password_hash, is_admin FROM users ORDER BY id";
constexpr const char* kInsertUser = "INSERT INTO users (username, password_hash, is_admin) VALUES (?, ?, (? <> 0))";
constexpr const char* kUpdatePasswordHash = "UPDATE users SET password_hash = ? WHERE username = ?";
constexpr const char* kUpdateAdmin = "UPDATE users SET is_admin = (? <> 0) WHERE username = ?";
constexpr const char* kDeleteUser = "DELETE FROM users WHERE id = ?";
constexpr const char* kDeleteUserExperimentGrants = "DELETE FROM experiment_permissions WHERE user_id = ?";
constexpr const char* kDeleteUserModelGrants = "DELETE FROM registered_model_permissions WHERE user_id = ?";
constexpr const char* kDeleteUserScorerGrants = "DELETE FROM scorer_permissions WHERE user_id = ?";

// The statements and messages of one kind of grant (experiments, registered models): both tables key a grant by a
// resource text and a user id, so one set of functions below serves both.
struct GrantTable {
  const char* insert;  // (resource, user_id, permission)
  const char* get;     // permission WHERE resource = ? AND user_id = ?
  const char* update;  // SET permission = ? WHERE resource = ? AND user_id = ?
  const char* remove;  // WHERE resource = ? AND user_id = ?
  const char* list;    // resource, user_id, permission WHERE user_id = ?
  // How MLflow names a grant in its messages: "Experiment permission" with "experiment_id", ...
  const char* noun;
  const char* resource_field;
};

constexpr GrantTable kExperimentGrants{
    "INSERT INTO experiment_permissions (experiment_id, user_id, permission) VALUES (?, ?, ?)",
    "SELECT permission FROM experiment_permissions WHERE experiment_id = ? AND user_id = ?",
    "UPDATE experiment_permissions SET permission = ? WHERE experiment_id = ? AND user_id = ?",
    "DELETE FROM experiment_permissions WHERE experiment_id = ? AND user_id = ?",
    "SELECT experiment_id, user_id, permission FROM experiment_permissions WHERE user_id = ? ORDER BY id",
    "Experiment permission",
    "experiment_id"};

constexpr GrantTable kModelGrants{
    "INSERT INTO registered_model_permissions (name, user_id, permission) VALUES (?, ?, ?)",
    "SELECT permission FROM registered_model_permissions WHERE name = ? AND user_id = ?",
    "UPDATE registered_model_permissions SET permission = ? WHERE name = ? AND user_id = ?",
    "DELETE FROM registered_model_permissions WHERE name = ? AND user_id = ?",
    "SELECT name, user_id, permission FROM registered_model_permissions WHERE user_id = ? ORDER BY id",
    "Registered model permission",
    "name"};

constexpr const char* kRenameModelGrants = "UPDATE registered_model_permissions SET name = ? WHERE name = ?";
constexpr const char* kDeleteModelGrants = "DELETE FROM registered_model_permissions WHERE name = ?";

User read_user(const sql::Statement& row) {
  User user;
  user.id = row.column(0).as_int64();
  user.username = row.column(1).as_string();
  user.password_hash = row.column(2).as_string();
  user.is_admin = !row.column(3).is_null() && row.column(3).as_int64() != 0;
  return user;
}

std::optional<User> query_user(sql::Connection& connection, const std::string& username) {
  auto query = connection.statement(kFindUser);
  query->bind(1, username);
  if (!query->step()) return std::nullopt;
  return read_user(*query);
}

MlflowException user_not_found(const std::string& username) {
  return MlflowException(ErrorCode::kResourceDoesNotExist, "User with username=" + username + " not found");
}

std::int64_t user_id_of(sql::Connection& connection, const std::string& username) {
  const auto user = query_user(connection, username);
  if (!user) throw user_not_found(username);
  return user->id;
}

MlflowException grant_not_found(const GrantTable& table, const std::string& resource, const std::string& username) {
  return MlflowException(ErrorCode::kResourceDoesNotExist, std::string(table.noun) + " with " + table.resource_field +
                                                               "=" + resource + " and username=" + username +
                                                               " not found");
}

// The stored permission text of a grant row, read as a permission: a NULL or
// a name that is no permission (a hand-edited row) allows nothing.
Permission stored_permission(const sql::Column& column) {
  if (column.is_null()) return Permission::kNoPermissions;
  return find_permission(column.as_string()).value_or(Permission::kNoPermissions);
}

// The permission text of the grant `sql` (one row or none) finds for two keys.
std::optional<std::string> grant_permission_text(sql::Connection& connection, const char* query_text,
                                                 const std::string& resource, std::int64_t user_id) {
  auto query = connection.statement(query_text);
  query->bind(1, resource);
  query->bind(2, user_id);
  if (!query->step()) return std::nullopt;
  return query->column(0).as_string();
}

// Runs a grant's UPDATE or DELETE (bound by `bind`); whether it touched a row.
template <typename Bind>
bool change_rows(sql::Connection& connection, const char* statement_text, Bind bind) {
  auto statement = connection.statement(statement_text);
  bind(*statement);
  return statement->execute() > 0;
}

// Grant structs are {resource, user_id, permission} for every table.
template <typename Grant>
Grant create_grant(sql::Database& database, const GrantTable& table, const std::string& resource,
                   const std::string& username, Permission permission) {
  Grant grant{resource, 0, std::string(permission_name(permission))};
  try {
    store::write_transaction_keeping_unique_violation(database, [&](sql::Connection& connection) {
      grant.user_id = user_id_of(connection, username);
      auto insert = connection.statement(table.insert);
      insert->bind(1, resource);
      insert->bind(2, grant.user_id);
      insert->bind(3, grant.permission);
      insert->execute();
    });
  } catch (const sql::DatabaseError& error) {
    if (!store::is_unique_violation(error)) throw;
    throw MlflowException(ErrorCode::kResourceAlreadyExists, std::string(table.noun) + " (" + table.resource_field +
                                                                 "=" + resource + ", username=" + username +
                                                                 ") already exists.");
  }
  return grant;
}

template <typename Grant>
Grant get_grant(sql::Database& database, const GrantTable& table, const std::string& resource,
                const std::string& username) {
  Grant grant{resource, 0, ""};
  store::read_transaction(database, [&](sql::Connection& connection) {
    grant.user_id = user_id_of(connection, username);
    const auto permission = grant_permission_text(connection, table.get, resource, grant.user_id);
    if (!permission) throw grant_not_found(table, resource, username);
    grant.permission = *permission;
  });
  return grant;
}

void update_grant(sql::Database& database, const GrantTable& table, const std::string& resource,
                  const std::string& username, Permission permission) {
  store::write_transaction(database, [&](sql::Connection& connection) {
    const std::int64_t user_id = user_id_of(connection, username);
    const bool changed = change_rows(connection, table.update, [&](sql::Statement& update) {
      update.bind(1, std::string(permission_name(permission)));
      update.bind(2, resource);
      update.bind(3, user_id);
    });
    if (!changed) throw grant_not_found(table, resource, username);
  });
}

void delete_grant(sql::Database& database, const GrantTable& table, const std::string& resource,
                  const std::string& username) {
  store::write_transaction(database, [&](sql::Connection& connection) {
    const std::int64_t user_id = user_id_of(connection, username);
    const bool changed = change_rows(connection, table.remove, [&](sql::Statement& deletion) {
      deletion.bind(1, resource);
      deletion.bind(2, user_id);
    });
    if (!changed) throw grant_not_found(table, resource, username);
  });
}

template <typename Grant>
std::vector<Grant> list_grants(sql::Database& database, const GrantTable& table, std::int64_t user_id) {
  std::vector<Grant> grants;
  store::read_transaction(database, [&](sql::Connection& connection) {
    grants.clear();
    auto query = connection.statement(table.list);
    query->bind(1, user_id);
    while (query->step()) {
      grants.push_back({query->column(0).as_string(), query->column(1).as_int64(), query->column(2).as_string()});
    }
  });
  return grants;
}

// The permission a user's grant on `resource` gives; nullopt without a grant.
std::optional<Permission> granted_permission(sql::Database& database, const GrantTable& table, std::int64_t user_id,
                                             const std::string& resource) {
  std::optional<Permission> permission;
  store::read_transaction(database, [&](sql::Connection& connection) {
    auto query = connection.statement(table.get);
    query->bind(1, resource);
    query->bind(2, user_id);
    permission = query->step() ? std::optional(stored_permission(query->column(0))) : std::nullopt;
  });
  return permission;
}

}  // namespace

SqlAuthStore::SqlAuthStore(std::shared_ptr<sql::Database> database, bool has_scorer_permissions)
    : database_(std::move(database)), has_scorer_permissions_(has_scorer_permissions) {
  if (!database_) throw std::invalid_argument("SqlAuthStore needs a database");
}

// --- users

std::optional<User> SqlAuthStore::find_user(const std::string& username) {
  std::optional<User> user;
  store::read_transaction(*database_, [&](sql::Connection& connection) { user = query_user(connection, username); });
  return user;
}

User SqlAuthStore::create_user(const std::string& username, const std::string& password_hash, bool is_admin) {
  User user;
  try {
    store::write_transaction_keeping_unique_violation(*database_, [&](sql::Connection& connection) {
      auto insert = connection.statement(kInsertUser + store::sql_dialect::returning(connection.dialect(), "id"));
      insert->bind(1, username);
      insert->bind(2, password_hash);
      insert->bind(3, is_admin);
      user = User{store::sql_dialect::inserted_id(connection, *insert), username, password_hash, is_admin};
    });
  } catch (const sql::DatabaseError& error) {
    if (!store::is_unique_violation(error)) throw;
    throw MlflowException(ErrorCode::kResourceAlreadyExists, "User (username=" + username + ") already exists.");
  }
  return user;
}

void SqlAuthStore::update_password_hash(const std::string& username, const std::string& password_hash) {
  store::write_transaction(*database_, [&](sql::Connection& connection) {
    const bool changed = change_rows(connection, kUpdatePasswordHash, [&](sql::Statement& update) {
      update.bind(1, password_hash);
      update.bind(2, username);
    });
    if (!changed) throw user_not_found(username);
  });
}

void SqlAuthStore::update_admin(const std::string& username, bool is_admin) {
  store::write_transaction(*database_, [&](sql::Connection& connection) {
    const bool changed = change_rows(connection, kUpdateAdmin, [&](sql::Statement& update) {
      update.bind(1, is_admin);
      update.bind(2, username);
    });
    if (!changed) throw user_not_found(username);
  });
}

void SqlAuthStore::delete_user(const std::string& username) {
  store::write_transaction(*database_, [&](sql::Connection& connection) {
    const std::int64_t user_id = user_id_of(connection, username);
    std::vector<const char*> deletions = {kDeleteUserExperimentGrants, kDeleteUserModelGrants};
    if (has_scorer_permissions_) deletions.push_back(kDeleteUserScorerGrants);
    deletions.push_back(kDeleteUser);
    for (const char* deletion_text : deletions) {
      change_rows(connection, deletion_text, [&](sql::Statement& deletion) { deletion.bind(1, user_id); });
    }
  });
}

std::vector<User> SqlAuthStore::list_users() {
  std::vector<User> users;
  store::read_transaction(*database_, [&](sql::Connection& connection) {
    users.clear();
    auto query = connection.statement(kListUsers);
    while (query->step()) users.push_back(read_user(*query));
  });
  return users;
}

// --- experiment grants

ExperimentGrant SqlAuthStore::create_experiment_grant(const std::string& experiment_id, const std::string& username,
                                                      Permission permission) {
  return create_grant<ExperimentGrant>(*database_, kExperimentGrants, experiment_id, username, permission);
}

ExperimentGrant SqlAuthStore::get_experiment_grant(const std::string& experiment_id, const std::string& username) {
  return get_grant<ExperimentGrant>(*database_, kExperimentGrants, experiment_id, username);
}

void SqlAuthStore::update_experiment_grant(const std::string& experiment_id, const std::string& username,
                                           Permission permission) {
  update_grant(*database_, kExperimentGrants, experiment_id, username, permission);
}

void SqlAuthStore::delete_experiment_grant(const std::string& experiment_id, const std::string& username) {
  delete_grant(*database_, kExperimentGrants, experiment_id, username);
}

std::vector<ExperimentGrant> SqlAuthStore::list_experiment_grants(std::int64_t user_id) {
  return list_grants<ExperimentGrant>(*database_, kExperimentGrants, user_id);
}

// --- registered model grants

RegisteredModelGrant SqlAuthStore::create_registered_model_grant(const std::string& name, const std::string& username,
                                                                 Permission permission) {
  return create_grant<RegisteredModelGrant>(*database_, kModelGrants, name, username, permission);
}

RegisteredModelGrant SqlAuthStore::get_registered_model_grant(const std::string& name, const std::string& username) {
  return get_grant<RegisteredModelGrant>(*database_, kModelGrants, name, username);
}

void SqlAuthStore::update_registered_model_grant(const std::string& name, const std::string& username,
                                                 Permission permission) {
  update_grant(*database_, kModelGrants, name, username, permission);
}

void SqlAuthStore::delete_registered_model_grant(const std::string& name, const std::string& username) {
  delete_grant(*database_, kModelGrants, name, username);
}

std::vector<RegisteredModelGrant> SqlAuthStore::list_registered_model_grants(std::int64_t user_id) {
  return list_grants<RegisteredModelGrant>(*database_, kModelGrants, user_id);
}

void SqlAuthStore::rename_registered_model_grants(const std::string& old_name, const std::string& new_name) {
  if (old_name == new_name) return;
  store::write_transaction(*database_, [&](sql::Connection& connection) {
    // No model has the new name yet (the registry refuses a taken one), so grants still under it are those of a
    // deleted model; they would collide with the renamed ones and must not pass to it.
    change_rows(connection, kDeleteModelGrants, [&](sql::Statement& deletion) { deletion.bind(1, new_name); });
    change_rows(connection, kRenameModelGrants, [&](sql::Statement& rename) {
      rename.bind(1, new_name);
      rename.bind(2, old_name);
    });
  });
}

void SqlAuthStore::delete_registered_model_grants(const std::string& name) {
  store::write_transaction(*database_, [&](sql::Connection& connection) {
    change_rows(connection, kDeleteModelGrants, [&](sql::Statement& deletion) { deletion.bind(1, name); });
  });
}

// --- the per-request lookups

std::optional<Permission> SqlAuthStore::experiment_permission(std::int64_t user_id, const std::string& experiment_id) {
  return granted_permission(*database_, kExperimentGrants, user_id, experiment_id);
}

std::optional<Permission> SqlAuthStore::registered_model_permission(std::int64_t user_id, const std::string& name) {
  return granted_permission(*database_, kModelGrants, user_id, name);
}

}  // namespace mlflowcpp::server::auth
