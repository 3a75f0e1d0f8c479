#include "server/auth/admin_user.hpp"

#include "server/auth/password_hash.hpp"

#include <mlflowcpp/errors.hpp>

#include <stdexcept>

namespace mlflowcpp::server::auth {

bool ensure_admin_user(AuthStore& store, const AuthConfig& config) {
  if (config.admin_username.empty() || config.admin_password.empty()) {
    throw std::invalid_argument("the auth config needs a non-empty admin_username and admin_password");
  }
  if (store.find_user(config.admin_username)) return false;
  try {
    store.create_user(config.admin_username, hash_password(config.admin_password), true);
    return true;
  } catch (const MlflowException& error) {
    if (error.code() == ErrorCode::kResourceAlreadyExists) return false;  // a replica created it first
    throw;
  }
}

}  // namespace mlflowcpp::server::auth
