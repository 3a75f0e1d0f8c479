#pragma once

// The basic-auth app assembled for a server (`--app-name basic-auth`): its
// configuration, its database with the admin user, the authenticator, the
// authentication filter and the API's routes. Lives as long as the server.

#include "server/auth/auth_config.hpp"
#include "server/auth/auth_handlers.hpp"
#include "server/auth/auth_store.hpp"
#include "server/auth/authenticator.hpp"
#include "server/auth/signup_form_token.hpp"
#include "server/http/filter.hpp"
#include "server/http/route_group.hpp"

#include <memory>
#include <stdexcept>
#include <string>

namespace mlflowcpp::server::auth {

// Configuration mistakes (exit code 2 at startup).
class AuthSetupError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct BasicAuthAppOptions {
  // The ini file (MLFLOW_AUTH_CONFIG_PATH); empty: MLflow's defaults.
  std::string config_path;
  // MLFLOW_FLASK_SERVER_SECRET_KEY: keys the sign-up form's tokens so replicas agree; empty: a random key.
  std::string form_secret;
  // The server's --static-prefix.
  std::string static_prefix;
};

class BasicAuthApp {
 public:
  // Reads the configuration (AuthSetupError when the file is missing or wrong),
  // opens the database and creates the admin at the first start (std::runtime_error
  // or std::invalid_argument when that fails).
  explicit BasicAuthApp(const BasicAuthAppOptions& options);
  BasicAuthApp(const BasicAuthApp&) = delete;
  BasicAuthApp& operator=(const BasicAuthApp&) = delete;

  const AuthConfig& config() const { return config_; }
  AuthStore& store() { return *store_; }
  // Whether this start created the admin user.
  bool created_admin() const { return created_admin_; }
  // For HttpServerOptions::authentication.
  std::shared_ptr<http::Filter> authentication_filter();
  http::RouteGroup& routes() { return *handlers_; }

 private:
  AuthConfig config_;
  std::unique_ptr<AuthStore> store_;
  bool created_admin_ = false;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<SignupFormTokens> form_tokens_;
  std::unique_ptr<AuthHandlers> handlers_;
  std::string static_prefix_;
};

}  // namespace mlflowcpp::server::auth
