#include "server/auth/basic_auth_app.hpp"

#include "server/auth/admin_user.hpp"
#include "server/auth/auth_store_factory.hpp"
#include "server/auth/authentication_filter.hpp"

#include <filesystem>

namespace mlflowcpp::server::auth {

BasicAuthApp::BasicAuthApp(const BasicAuthAppOptions& options) : static_prefix_(options.static_prefix) {
  if (!options.config_path.empty()) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(options.config_path, error)) {
      throw AuthSetupError("MLFLOW_AUTH_CONFIG_PATH names '" + options.config_path +
                           "', which does not exist or is no file.");
    }
    try {
      config_ = read_auth_config(options.config_path);
    } catch (const std::invalid_argument& problem) {
      throw AuthSetupError(problem.what());
    }
  }
  store_ = open_auth_store(config_.database_uri);
  created_admin_ = ensure_admin_user(*store_, config_);
  authenticator_ = std::make_unique<Authenticator>(*store_);
  form_tokens_ = std::make_unique<SignupFormTokens>(options.form_secret);
  handlers_ = std::make_unique<AuthHandlers>(*store_, *form_tokens_);
}

std::shared_ptr<http::Filter> BasicAuthApp::authentication_filter() {
  return std::make_shared<AuthenticationFilter>(
      [authenticator = authenticator_.get()](const std::string& username, const std::string& password) {
        return authenticator->authenticate(username, password);
      },
      static_prefix_);
}

}  // namespace mlflowcpp::server::auth
