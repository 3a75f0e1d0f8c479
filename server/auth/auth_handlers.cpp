#include "server/auth/auth_handlers.hpp"

#include "server/auth/auth_request_params.hpp"
#include "server/auth/form_fields.hpp"
#include "server/auth/permission.hpp"
#include "server/auth/signup_page.hpp"
#include "server/http/reply.hpp"
#include "server/http/request.hpp"
#include "server/http/router.hpp"
#include "text/ascii.hpp"

#include <mlflowcpp/errors.hpp>

#include <chrono>
#include <utility>

namespace mlflowcpp::server::auth {
namespace {

using protocol::Json;

constexpr std::string_view kUsersPath = "/api/2.0/mlflow/users/";
constexpr std::string_view kExperimentPermissionsPath = "/api/2.0/mlflow/experiments/permissions/";
constexpr std::string_view kModelPermissionsPath = "/api/2.0/mlflow/registered-models/permissions/";
constexpr std::string_view kCreateUserUiPath = "/api/2.0/mlflow/users/create-ui";
constexpr std::string_view kFormMediaType = "application/x-www-form-urlencoded";
// Every call of this API is a few short fields.
constexpr std::size_t kMaxBodyBytes = 64 * 1024;

std::int64_t unix_seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Python's len(): code points, not bytes.
std::size_t code_points(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

void check_password(const std::string& password) {
  if (code_points(password) < kMinPasswordLength) {
    throw invalid_parameter("Password must be a string longer than 12 characters.");
  }
}

Json experiment_grant_json(const ExperimentGrant& grant) {
  return Json{{"experiment_id", grant.experiment_id}, {"user_id", grant.user_id}, {"permission", grant.permission}};
}

Json model_grant_json(const RegisteredModelGrant& grant) {
  return Json{{"name", grant.name}, {"user_id", grant.user_id}, {"permission", grant.permission}};
}

Json user_json(AuthStore& store, const User& user) {
  Json experiment_permissions = Json::array();
  for (const auto& grant : store.list_experiment_grants(user.id)) {
    experiment_permissions.push_back(experiment_grant_json(grant));
  }
  Json model_permissions = Json::array();
  for (const auto& grant : store.list_registered_model_grants(user.id)) {
    model_permissions.push_back(model_grant_json(grant));
  }
  // Scorer grants are not served here; MLflow 3's client reads the list, so it is always there, empty.
  return Json{{"id", user.id},
              {"username", user.username},
              {"is_admin", user.is_admin},
              {"experiment_permissions", std::move(experiment_permissions)},
              {"registered_model_permissions", std::move(model_permissions)},
              {"scorer_permissions", Json::array()}};
}

bool has_content_type(const http::Request& request, std::string_view media_type) {
  const auto content_type = request.header("Content-Type");
  return content_type && is_media_type(*content_type, media_type);
}

// Whether a browser says the post comes from a page of another origin. Browsers
// send Origin with every form post (and Sec-Fetch-Site in current versions);
// a client without either is no browser acting for another site.
bool comes_from_another_origin(const http::Request& request) {
  if (const auto site = request.header("Sec-Fetch-Site")) {
    if (*site != "same-origin" && *site != "none") return true;
  }
  const auto origin = request.header("Origin");
  if (!origin) return false;
  std::string_view authority = *origin;
  if (starts_with_ignoring_case(authority, "http://")) {
    authority.remove_prefix(7);
  } else if (starts_with_ignoring_case(authority, "https://")) {
    authority.remove_prefix(8);
  } else {
    return true;  // "null" (a sandboxed or local page) or no web origin at all
  }
  const auto host = request.header("Host");
  return !host || !equals_ignoring_case(authority, *host);
}

std::string caller_name(const http::Request& request) {
  return request.caller() ? request.caller()->username : std::string();
}

}  // namespace

AuthHandlers::AuthHandlers(AuthStore& store, const SignupFormTokens& form_tokens, PasswordHasher hash)
    : store_(store), form_tokens_(form_tokens), hash_(std::move(hash)) {}

void AuthHandlers::register_routes(http::Router& router) {
  home_path_ = router.static_prefix() + "/";
  using Member = void (AuthHandlers::*)(http::Request&, http::Reply&);
  const auto add = [this, &router](std::string method, std::string path, Member member) {
    http::Route route;
    route.methods = {std::move(method)};
    route.pattern = std::move(path);
    route.max_body_bytes = kMaxBodyBytes;
    route.family = http::ApiFamily::kServer;
    route.handler = [this, member](http::Request& request, http::Reply& reply) { (this->*member)(request, reply); };
    router.add(std::move(route));
  };
  const std::string users(kUsersPath);
  add("GET", "/signup", &AuthHandlers::signup);
  add("POST", std::string(kCreateUserUiPath), &AuthHandlers::create_user_ui);
  add("POST", users + "create", &AuthHandlers::create_user);
  add("GET", users + "get", &AuthHandlers::get_user);
  add("PATCH", users + "update-password", &AuthHandlers::update_user_password);
  add("PATCH", users + "update-admin", &AuthHandlers::update_user_admin);
  add("DELETE", users + "delete", &AuthHandlers::delete_user);

  const std::string experiments(kExperimentPermissionsPath);
  add("POST", experiments + "create", &AuthHandlers::create_experiment_permission);
  add("GET", experiments + "get", &AuthHandlers::get_experiment_permission);
  add("PATCH", experiments + "update", &AuthHandlers::update_experiment_permission);
  add("DELETE", experiments + "delete", &AuthHandlers::delete_experiment_permission);

  const std::string models(kModelPermissionsPath);
  add("POST", models + "create", &AuthHandlers::create_registered_model_permission);
  add("GET", models + "get", &AuthHandlers::get_registered_model_permission);
  add("PATCH", models + "update", &AuthHandlers::update_registered_model_permission);
  add("DELETE", models + "delete", &AuthHandlers::delete_registered_model_permission);
}

User AuthHandlers::create_checked_user(const std::string& username, const std::string& password) {
  if (username.empty() || password.empty()) throw invalid_parameter("Username and password cannot be empty.");
  if (username.size() > AuthRequestParams::kMaxIdentifierLength) {
    throw invalid_parameter("Username is longer than 255 characters.");
  }
  // Basic auth splits "username:password" at the first ':', so such a user could never sign in.
  if (username.find(':') != std::string::npos) throw invalid_parameter("Username cannot contain ':'.");
  check_password(password);
  return store_.create_user(username, hash_(password), /*is_admin=*/false);
}

void AuthHandlers::create_user(http::Request& request, http::Reply& reply) {
  // MLflow 2.x's sign-up page posted its form here; the form gets the same checks as on create-ui.
  if (has_content_type(request, kFormMediaType)) {
    create_user_from_form(request, reply);
    return;
  }
  if (!has_content_type(request, "application/json")) {
    throw invalid_parameter("Invalid content type. Must be application/json or application/x-www-form-urlencoded.");
  }
  const auto params = AuthRequestParams::of_request(request);
  const std::string username = params.text("username");  // first: MLflow names a missing username first
  const User user = create_checked_user(username, params.text("password"));
  reply.json(200, Json{{"user", user_json(store_, user)}});
}

void AuthHandlers::create_user_ui(http::Request& request, http::Reply& reply) {
  if (!has_content_type(request, kFormMediaType)) {
    throw invalid_parameter("Invalid content type. Must be application/x-www-form-urlencoded.");
  }
  create_user_from_form(request, reply);
}

void AuthHandlers::create_user_from_form(http::Request& request, http::Reply& reply) {
  const auto fields = parse_form_fields(request.body());
  const auto token = fields.find("csrf_token");
  if (comes_from_another_origin(request) || token == fields.end() ||
      !form_tokens_.verify(token->second, caller_name(request), unix_seconds_now())) {
    throw invalid_parameter("The CSRF token is missing, invalid or expired: open the sign-up page again.");
  }
  const auto params = AuthRequestParams::of_form(fields);
  const std::string username = params.text("username");  // first: MLflow names a missing username first
  const User user = create_checked_user(username, params.text("password"));
  reply.send(200, signup_done_html(user.username, home_path_), "text/html; charset=utf-8");
}

void AuthHandlers::signup(http::Request& request, http::Reply& reply) {
  const std::string token = form_tokens_.issue(caller_name(request), unix_seconds_now());
  // The page holds a token: no cache may keep it, and no other site may frame it.
  reply.set_header("Cache-Control", "no-store");
  reply.set_header("X-Frame-Options", "DENY");
  reply.set_header("Content-Security-Policy",
                   "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                   "frame-ancestors 'none'");
  reply.send(200, signup_form_html(kCreateUserUiPath, token), "text/html; charset=utf-8");
}

void AuthHandlers::get_user(http::Request& request, http::Reply& reply) {
  const auto params = AuthRequestParams::of_request(request);
  const std::string username = params.text("username");
  const auto user = store_.find_user(username);
  if (!user) {
    throw MlflowException(ErrorCode::kResourceDoesNotExist, "User with username=" + username + " not found");
  }
  reply.json(200, Json{{"user", user_json(store_, *user)}});
}

void AuthHandlers::update_user_password(http::Request& request, http::Reply& reply) {
  const auto params = AuthRequestParams::of_request(request);
  const std::string username = params.text("username");
  const std::string password = params.text("password");
  check_password(password);
  store_.update_password_hash(username, hash_(password));
  reply.json(200, Json::object());
}

void AuthHandlers::update_user_admin(http::Request& request, http::Reply& reply) {
  const auto params = AuthRequestParams::of_request(request);
  const std::string username = params.text("username");
  store_.update_admin(username, params.boolean("is_admin"));
  reply.json(200, Json::object());
}

void AuthHandlers::delete_user(http::Request& request, http::Reply& reply) {
  const auto params = AuthRequestParams::of_request(request);
  store_.delete_user(params.text("username"));
  reply.json(200, Json::object());
}

void AuthHandlers::create_experiment_permission(http::Request& request, http::Reply& reply) {
  const auto params = AuthRequestParams::of_request(request);
  const std::string experiment_id = params.identifier("experiment_id");
  const std::string username = params.text("username");
  const Permission permission = parse_permission(params.text("permission"));
  const auto grant = store_.create_experiment_grant(experiment_id, username, permission);
  reply.json(200, Json{{"experiment_permission", experiment_grant_json(grant)}});
}

void AuthHandlers::get_experiment_permission(http::Request& request, http::Reply& reply) {
  const auto params = AuthRequestParams::of_request(request);
  const std::string experiment_id = params.identifier("experiment_id");
  const auto grant = store_.get_experiment_grant(experiment_id, params.text("username"));
  reply.json(200, Json{{"experiment_permission", experiment_grant_json(grant)}});
}

void AuthHandlers::update_experiment_permission(http::Request& request, http::Reply& reply) {
  const auto params = AuthRequestParams::of_request(request);
  const std::string experiment_id = params.identifier("experiment_id");
  const std::string username = params.text("username");
  const Permission permission = parse_permission(params.text("permission"));
  store_.update_experiment_grant(experiment_id, username, permission);
  reply.json(200, Json::object());
}

void AuthHandlers::delete_experiment_permission(http::Request& request, http::Reply& reply) {
  const auto params = AuthRequestParams::of_request(request);
  const std::string experiment_id = params.identifier("experiment_id");
  store_.delete_experiment_grant(experiment_id, params.text("username"));
  reply.json(200, Json::object());
}

void AuthHandlers::create_registered_model_permission(http::Request& request, http::Reply& reply) {
  const auto params = AuthRequestParams::of_request(request);
  const std::string name = params.identifier("name");
  const std::string username = params.text("username");
  const Permission permission = parse_permission(params.text("permission"));
  const auto grant = store_.create_registered_model_grant(name, username, permission);
  reply.json(200, Json{{"registered_model_permission", model_grant_json(grant)}});
}

void AuthHandlers::get_registered_model_permission(http::Request& request, http::Reply& reply) {
  const auto params = AuthRequestParams::of_request(request);
  const std::string name = params.identifier("name");
  const auto grant = store_.get_registered_model_grant(name, params.text("username"));
  reply.json(200, Json{{"registered_model_permission", model_grant_json(grant)}});
}

void AuthHandlers::update_registered_model_permission(http::Request& request, http::Reply& reply) {
  const auto params = AuthRequestParams::of_request(request);
  const std::string name = params.identifier("name");
  const std::string username = params.text("username");
  const Permission permission = parse_permission(params.text("permission"));
  store_.update_registered_model_grant(name, username, permission);
  reply.json(200, Json::object());
}

void AuthHandlers::delete_registered_model_permission(http::Request& request, http::Reply& reply) {
  const auto params = AuthRequestParams::of_request(request);
  const std::string name = params.identifier("name");
  store_.delete_registered_model_grant(name, params.text("username"));
  reply.json(200, Json::object());
}

}  // namespace mlflowcpp::server::auth
