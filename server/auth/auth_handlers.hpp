#pragma once

// The REST API and browser pages of the basic-auth app, with MLflow's paths,
// methods and JSON shapes: users (create, get, update-password, update-admin,
// delete), grants on experiments and registered models (create, get, update,
// delete), the sign-up form (GET /signup) and its post (users/create-ui).
// Who may call each route is decided by the route protection, not here.

#include "server/auth/auth_store.hpp"
#include "server/auth/password_hash.hpp"
#include "server/auth/signup_form_token.hpp"
#include "server/http/route_group.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace mlflowcpp::server::http {
class Reply;
class Request;
}  // namespace mlflowcpp::server::http

namespace mlflowcpp::server::auth {

// Turns a new password into the text the store keeps (password_hash.hpp).
using PasswordHasher = std::function<std::string(std::string_view password)>;

// MLflow's rule: at least 12 characters (Unicode code points).
inline constexpr std::size_t kMinPasswordLength = 12;

class AuthHandlers : public http::RouteGroup {
 public:
  // `store` and `form_tokens` must outlive the handlers. `hash` is the slow
  // password hash; tests may pass a cheap one.
  AuthHandlers(AuthStore& store, const SignupFormTokens& form_tokens, PasswordHasher hash = hash_password);

  void register_routes(http::Router& router) override;

 private:
  void create_user(http::Request& request, http::Reply& reply);
  void create_user_ui(http::Request& request, http::Reply& reply);
  void signup(http::Request& request, http::Reply& reply);
  void get_user(http::Request& request, http::Reply& reply);
  void update_user_password(http::Request& request, http::Reply& reply);
  void update_user_admin(http::Request& request, http::Reply& reply);
  void delete_user(http::Request& request, http::Reply& reply);

  void create_experiment_permission(http::Request& request, http::Reply& reply);
  void get_experiment_permission(http::Request& request, http::Reply& reply);
  void update_experiment_permission(http::Request& request, http::Reply& reply);
  void delete_experiment_permission(http::Request& request, http::Reply& reply);

  void create_registered_model_permission(http::Request& request, http::Reply& reply);
  void get_registered_model_permission(http::Request& request, http::Reply& reply);
  void update_registered_model_permission(http::Request& request, http::Reply& reply);
  void delete_registered_model_permission(http::Request& request, http::Reply& reply);

  // A browser's form post: checks its origin and token, creates the user, answers a page.
  void create_user_from_form(http::Request& request, http::Reply& reply);
  User create_checked_user(const std::string& username, const std::string& password);

  AuthStore& store_;
  const SignupFormTokens& form_tokens_;
  PasswordHasher hash_;
  std::string home_path_;  // the UI's home page, with the static prefix
};

}  // namespace mlflowcpp::server::auth
