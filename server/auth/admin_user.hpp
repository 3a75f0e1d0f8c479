#pragma once

// The admin the auth config names, created at the first start.

#include "server/auth/auth_config.hpp"
#include "server/auth/auth_store.hpp"

namespace mlflowcpp::server::auth {

// Creates `config.admin_username` as an admin with `config.admin_password`
// when no user of that name exists; true when it did. An existing user is left
// as it is (its password and admin flag may have been changed since). Another
// replica creating the user at the same moment is not an error. Throws
// std::invalid_argument for an empty admin username or password.
bool ensure_admin_user(AuthStore& store, const AuthConfig& config);

}  // namespace mlflowcpp::server::auth
