// The basic-auth app's REST API and sign-up form over an in-memory store: MLflow's
// paths, shapes and codes, the parameter rules, and the form's CSRF defence.

#include "auth_test_server.hpp"

#include "server/auth/auth_request_params.hpp"
#include "server/auth/form_fields.hpp"
#include "server/auth/signup_page.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>

namespace mlflowcpp::server::auth::testing {
namespace {

using protocol::Json;

constexpr const char* kUsers = "/api/2.0/mlflow/users/";
constexpr const char* kExperimentPermissions = "/api/2.0/mlflow/experiments/permissions/";
constexpr const char* kModelPermissions = "/api/2.0/mlflow/registered-models/permissions/";
constexpr const char* kFormType = "application/x-www-form-urlencoded";

std::string users(const std::string& call) { return kUsers + call; }

void expect_error(const AuthTestResponse& response, int status, const std::string& code,
                  const std::string& message_part = "") {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(response.json.value("error_code", ""), code) << response.body;
  EXPECT_NE(response.json.value("message", "").find(message_part), std::string::npos)
      << "expected \"" << message_part << "\" in " << response.body;
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string form_token_of(const std::string& page) {
  std::smatch match;
  const std::regex pattern("name=\"csrf_token\" value=\"([^\"]+)\"");
  return std::regex_search(page, match, pattern) ? match[1].str() : "";
}

TEST(AuthHandlers, CreateAndGetUser) {
  AuthTestServer server;
  auto created = server.admin("POST", users("create"), {{"username", "alice"}, {"password", "alice-password-1"}});
  ASSERT_EQ(created.status, 200) << created.body;
  const Json user = created.json["user"];
  EXPECT_EQ(user.size(), 6u) << user;
  EXPECT_TRUE(user["id"].is_number_integer());
  EXPECT_EQ(user["username"], "alice");
  EXPECT_EQ(user["is_admin"], false);
  EXPECT_EQ(user["experiment_permissions"], Json::array());
  EXPECT_EQ(user["registered_model_permissions"], Json::array());
  EXPECT_EQ(user["scorer_permissions"], Json::array());
  EXPECT_EQ(server.store().find_user("alice")->password_hash, cheap_hash("alice-password-1"));

  server.admin("POST", std::string(kExperimentPermissions) + "create",
               {{"experiment_id", "7"}, {"username", "alice"}, {"permission", "EDIT"}});
  server.admin("POST", std::string(kModelPermissions) + "create",
               {{"name", "model a"}, {"username", "alice"}, {"permission", "MANAGE"}});
  auto got = server.admin("GET", users("get?username=alice"));
  ASSERT_EQ(got.status, 200) << got.body;
  const Json expected_user = {
      {"id", user["id"]},
      {"username", "alice"},
      {"is_admin", false},
      {"experiment_permissions",
       Json::array({{{"experiment_id", "7"}, {"user_id", user["id"]}, {"permission", "EDIT"}}})},
      {"registered_model_permissions",
       Json::array({{{"name", "model a"}, {"user_id", user["id"]}, {"permission", "MANAGE"}}})},
      {"scorer_permissions", Json::array()}};
  EXPECT_EQ(got.json, (Json{{"user", expected_user}}));

  expect_error(server.admin("GET", users("get?username=nobody")), 404, "RESOURCE_DOES_NOT_EXIST",
               "User with username=nobody not found");
  expect_error(server.admin("GET", users("get")), 400, "INVALID_PARAMETER_VALUE",
               "Missing value for required parameter 'username'");
}

TEST(AuthHandlers, CreateUserRejectsBadInput) {
  AuthTestServer server;
  expect_error(server.admin("POST", users("create"), {{"username", "alice"}}), 400, "INVALID_PARAMETER_VALUE",
               "Missing value for required parameter 'password'");
  expect_error(server.admin("POST", users("create"), {{"username", ""}, {"password", "alice-password-1"}}), 400,
               "INVALID_PARAMETER_VALUE", "Username and password cannot be empty.");
  expect_error(server.admin("POST", users("create"), {{"username", "alice"}, {"password", "short"}}), 400,
               "INVALID_PARAMETER_VALUE", "Password must be a string longer than 12 characters.");
  // Twelve characters are enough, counted as characters, not bytes.
  EXPECT_EQ(server.admin("POST", users("create"), {{"username", "bob"}, {"password", "pässwörd1234"}}).status, 200);
  expect_error(server.admin("POST", users("create"), {{"username", 5}, {"password", "alice-password-1"}}), 400,
               "INVALID_PARAMETER_VALUE", "Invalid value 5 for parameter 'username'");
  expect_error(
      server.admin("POST", users("create"), {{"username", std::string(256, 'u')}, {"password", "p1234567890123"}}), 400,
      "INVALID_PARAMETER_VALUE");
  expect_error(server.admin("POST", users("create"), {{"username", "bob"}, {"password", "bob-password-12"}}), 400,
               "RESOURCE_ALREADY_EXISTS");
  expect_error(server.admin("POST", users("create"), {{"username", "a:b"}, {"password", "a-b-password-1"}}), 400,
               "INVALID_PARAMETER_VALUE", "Username cannot contain ':'.");
  auto wrong_type = server.send_as(AuthTestServer::kAdmin, AuthTestServer::kAdminPassword, "POST", users("create"),
                                   R"({"username":"carol","password":"carol-password-1"})", "text/plain");
  expect_error(wrong_type, 400, "INVALID_PARAMETER_VALUE", "Invalid content type");
  auto no_type = server.send_as(AuthTestServer::kAdmin, AuthTestServer::kAdminPassword, "POST", users("create"),
                                R"({"username":"carol","password":"carol-password-1"})");
  expect_error(no_type, 400, "INVALID_PARAMETER_VALUE", "Invalid content type");
  auto not_json = server.send_as(AuthTestServer::kAdmin, AuthTestServer::kAdminPassword, "POST", users("create"),
                                 "{not json", "application/json");
  expect_error(not_json, 400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'username'");
  EXPECT_FALSE(server.store().find_user("carol"));
}

TEST(AuthHandlers, UpdatePasswordTakesEffectAtOnce) {
  AuthTestServer server;
  server.store().create_user("alice", cheap_hash("alice-password-1"), false);
  EXPECT_EQ(server.send_as("alice", "alice-password-1", "GET", users("get?username=alice")).status, 200);
  auto updated =
      server.admin("PATCH", users("update-password"), {{"username", "alice"}, {"password", "new-password-12"}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.json, Json::object());
  EXPECT_EQ(server.send_as("alice", "alice-password-1", "GET", users("get?username=alice")).status, 401);
  EXPECT_EQ(server.send_as("alice", "new-password-12", "GET", users("get?username=alice")).status, 200);

  expect_error(server.admin("PATCH", users("update-password"), {{"username", "alice"}, {"password", "short"}}), 400,
               "INVALID_PARAMETER_VALUE", "Password must be a string longer than 12 characters.");
  expect_error(
      server.admin("PATCH", users("update-password"), {{"username", "nobody"}, {"password", "long-enough-pw"}}), 404,
      "RESOURCE_DOES_NOT_EXIST");
  expect_error(server.admin("PATCH", users("update-password"), {{"username", "alice"}}), 400, "INVALID_PARAMETER_VALUE",
               "Missing value for required parameter 'password'");
  auto form = server.send_as(AuthTestServer::kAdmin, AuthTestServer::kAdminPassword, "PATCH", users("update-password"),
                             "username=alice&password=another-password", kFormType);
  expect_error(form, 400, "INVALID_PARAMETER_VALUE", "Content-Type");
}

TEST(AuthHandlers, UpdateAdminTakesBooleansOnly) {
  AuthTestServer server;
  server.store().create_user("alice", cheap_hash("alice-password-1"), false);
  const auto set_admin = [&](const Json& value) {
    return server.admin("PATCH", users("update-admin"), {{"username", "alice"}, {"is_admin", value}});
  };
  auto response = set_admin(true);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json, Json::object());
  EXPECT_TRUE(server.store().find_user("alice")->is_admin);
  EXPECT_EQ(set_admin("false").status, 200);
  EXPECT_FALSE(server.store().find_user("alice")->is_admin);
  EXPECT_EQ(set_admin("True").status, 200);
  EXPECT_TRUE(server.store().find_user("alice")->is_admin);
  for (const Json& bad : {Json("yes"), Json(1), Json(0), Json::array(), Json("")}) {
    expect_error(set_admin(bad), 400, "INVALID_PARAMETER_VALUE", "is_admin");
  }
  EXPECT_TRUE(server.store().find_user("alice")->is_admin);
  expect_error(server.admin("PATCH", users("update-admin"), {{"username", "alice"}}), 400, "INVALID_PARAMETER_VALUE",
               "Missing value for required parameter 'is_admin'");
  expect_error(server.admin("PATCH", users("update-admin"), {{"username", "nobody"}, {"is_admin", true}}), 404,
               "RESOURCE_DOES_NOT_EXIST");
}

TEST(AuthHandlers, DeleteUserByBodyOrQuery) {
  AuthTestServer server;
  server.store().create_user("alice", cheap_hash("alice-password-1"), false);
  server.store().create_user("bob", cheap_hash("bob-password-12"), false);
  auto deleted = server.admin("DELETE", users("delete"), {{"username", "alice"}});
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(deleted.json, Json::object());
  EXPECT_FALSE(server.store().find_user("alice"));
  EXPECT_EQ(server.send_as("alice", "alice-password-1", "GET", "/health").status, 200);
  EXPECT_EQ(server.send_as("alice", "alice-password-1", "GET", users("get?username=alice")).status, 401);

  auto by_query = server.admin("DELETE", users("delete?username=bob"));
  ASSERT_EQ(by_query.status, 200) << by_query.body;
  EXPECT_FALSE(server.store().find_user("bob"));
  expect_error(server.admin("DELETE", users("delete?username=bob")), 404, "RESOURCE_DOES_NOT_EXIST");
  expect_error(server.admin("DELETE", users("delete")), 400, "INVALID_PARAMETER_VALUE",
               "Missing value for required parameter 'username'");
}

TEST(AuthHandlers, ExperimentPermissions) {
  AuthTestServer server;
  const auto alice = server.store().create_user("alice", cheap_hash("alice-password-1"), false);
  const std::string base = kExperimentPermissions;
  auto created =
      server.admin("POST", base + "create", {{"experiment_id", "1"}, {"username", "alice"}, {"permission", "READ"}});
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.json,
            (Json{{"experiment_permission", {{"experiment_id", "1"}, {"user_id", alice.id}, {"permission", "READ"}}}}));
  expect_error(
      server.admin("POST", base + "create", {{"experiment_id", "1"}, {"username", "alice"}, {"permission", "EDIT"}}),
      400, "RESOURCE_ALREADY_EXISTS");
  // Experiment ids come as JSON numbers from some clients.
  auto numeric =
      server.admin("POST", base + "create", {{"experiment_id", 2}, {"username", "alice"}, {"permission", "MANAGE"}});
  ASSERT_EQ(numeric.status, 200) << numeric.body;
  EXPECT_EQ(numeric.json["experiment_permission"]["experiment_id"], "2");

  auto got = server.admin("GET", base + "get?experiment_id=1&username=alice");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json, created.json);

  auto updated =
      server.admin("PATCH", base + "update", {{"experiment_id", "1"}, {"username", "alice"}, {"permission", "EDIT"}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.json, Json::object());
  EXPECT_EQ(
      server.admin("GET", base + "get?experiment_id=1&username=alice").json["experiment_permission"]["permission"],
      "EDIT");
  expect_error(
      server.admin("PATCH", base + "update", {{"experiment_id", "1"}, {"username", "alice"}, {"permission", "OWNER"}}),
      400, "INVALID_PARAMETER_VALUE",
      "Invalid permission 'OWNER'. Valid permissions are: ('READ', 'EDIT', 'MANAGE', 'NO_PERMISSIONS')");
  expect_error(
      server.admin("POST", base + "create", {{"experiment_id", "3"}, {"username", "alice"}, {"permission", "read"}}),
      400, "INVALID_PARAMETER_VALUE", "Invalid permission 'read'");
  expect_error(
      server.admin("POST", base + "create", {{"experiment_id", "3"}, {"username", "nobody"}, {"permission", "READ"}}),
      404, "RESOURCE_DOES_NOT_EXIST");
  expect_error(server.admin("POST", base + "create", {{"username", "alice"}, {"permission", "READ"}}), 400,
               "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'experiment_id'");
  expect_error(
      server.admin("POST", base + "create", {{"experiment_id", 1.5}, {"username", "alice"}, {"permission", "READ"}}),
      400, "INVALID_PARAMETER_VALUE");

  auto deleted = server.admin("DELETE", base + "delete", {{"experiment_id", "1"}, {"username", "alice"}});
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(deleted.json, Json::object());
  expect_error(server.admin("GET", base + "get?experiment_id=1&username=alice"), 404, "RESOURCE_DOES_NOT_EXIST");
  expect_error(server.admin("DELETE", base + "delete?experiment_id=1&username=alice"), 404, "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(server.admin("DELETE", base + "delete?experiment_id=2&username=alice").status, 200);
}

TEST(AuthHandlers, RegisteredModelPermissions) {
  AuthTestServer server;
  const auto alice = server.store().create_user("alice", cheap_hash("alice-password-1"), false);
  const std::string base = kModelPermissions;
  auto created =
      server.admin("POST", base + "create", {{"name", "m/1"}, {"username", "alice"}, {"permission", "EDIT"}});
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.json,
            (Json{{"registered_model_permission", {{"name", "m/1"}, {"user_id", alice.id}, {"permission", "EDIT"}}}}));
  auto got = server.admin("GET", base + "get?name=m%2F1&username=alice");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json, created.json);
  EXPECT_EQ(
      server.admin("PATCH", base + "update", {{"name", "m/1"}, {"username", "alice"}, {"permission", "NO_PERMISSIONS"}})
          .json,
      Json::object());
  EXPECT_EQ(server.store().registered_model_permission(alice.id, "m/1"), Permission::kNoPermissions);
  expect_error(server.admin("GET", base + "get?name=m%2F1"), 400, "INVALID_PARAMETER_VALUE",
               "Missing value for required parameter 'username'");
  expect_error(server.admin("POST", base + "create", {{"name", "m/1"}, {"username", "alice"}, {"permission", "READ"}}),
               400, "RESOURCE_ALREADY_EXISTS");
  EXPECT_EQ(server.admin("DELETE", base + "delete", {{"name", "m/1"}, {"username", "alice"}}).json, Json::object());
  expect_error(server.admin("GET", base + "get?name=m%2F1&username=alice"), 404, "RESOURCE_DOES_NOT_EXIST");
  // Wrong methods are MLflow's 405.
  EXPECT_EQ(server.admin("GET", base + "create").status, 405);
}

TEST(AuthHandlers, SignupFormCreatesUsersWithItsToken) {
  AuthTestServer server;
  auto page = server.send_as(AuthTestServer::kAdmin, AuthTestServer::kAdminPassword, "GET", "/signup");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.header("Content-Type").rfind("text/html", 0), 0u);
  EXPECT_NE(page.body.find("action=\"/api/2.0/mlflow/users/create-ui\""), std::string::npos);
  EXPECT_EQ(page.body.find("<script"), std::string::npos);
  EXPECT_EQ(page.body.find("http"), std::string::npos) << "no external resources";
  const std::string token = form_token_of(page.body);
  ASSERT_FALSE(token.empty()) << page.body;

  const std::string form = "csrf_token=" + token + "&username=%3Cb%3Ealice&password=alice+password+1";
  const auto post_form = [&](const std::string& path, const std::string& body, httplib::Headers headers = {}) {
    return server.send_as(AuthTestServer::kAdmin, AuthTestServer::kAdminPassword, "POST", path, body, kFormType,
                          std::move(headers));
  };
  auto created = post_form("/api/2.0/mlflow/users/create-ui", form,
                           {{"Origin", "http://127.0.0.1:" + std::to_string(server.port())}});
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.header("Content-Type").rfind("text/html", 0), 0u);
  EXPECT_NE(created.body.find("&lt;b&gt;alice"), std::string::npos) << created.body;
  EXPECT_EQ(created.body.find("<b>alice"), std::string::npos);
  const auto alice = server.store().find_user("<b>alice");
  ASSERT_TRUE(alice);
  EXPECT_EQ(alice->password_hash, cheap_hash("alice password 1"));
  EXPECT_FALSE(alice->is_admin);

  // MLflow 2.x's form posted to users/create: the same form works there, with the same checks.
  auto on_create = post_form(users("create"), "csrf_token=" + token + "&username=bob&password=bob-password-12");
  ASSERT_EQ(on_create.status, 200) << on_create.body;
  EXPECT_TRUE(server.store().find_user("bob"));

  auto taken = post_form("/api/2.0/mlflow/users/create-ui", form);
  expect_error(taken, 400, "RESOURCE_ALREADY_EXISTS");
  auto empty = post_form("/api/2.0/mlflow/users/create-ui", "csrf_token=" + token + "&username=&password=");
  expect_error(empty, 400, "INVALID_PARAMETER_VALUE", "Username and password cannot be empty.");
  auto json =
      server.send_as(AuthTestServer::kAdmin, AuthTestServer::kAdminPassword, "POST", "/api/2.0/mlflow/users/create-ui",
                     R"({"username":"x","password":"x-password-123"})", "application/json");
  expect_error(json, 400, "INVALID_PARAMETER_VALUE", "Invalid content type");
}

TEST(AuthHandlers, FormPostsFromOtherPagesAreRefused) {
  AuthTestServer server;
  const std::string user_fields = "&username=mallory&password=mallory-password";
  const auto post_form = [&](const std::string& path, const std::string& body, httplib::Headers headers = {}) {
    return server.send_as(AuthTestServer::kAdmin, AuthTestServer::kAdminPassword, "POST", path, body, kFormType,
                          std::move(headers));
  };
  const std::string valid = server.form_tokens().issue(AuthTestServer::kAdmin, now_seconds());
  const std::string same_origin = "http://127.0.0.1:" + std::to_string(server.port());
  const std::vector<std::pair<std::string, std::pair<std::string, httplib::Headers>>> attempts = {
      {"no token", {user_fields.substr(1), {}}},
      {"empty token", {"csrf_token=" + user_fields, {}}},
      {"forged token", {"csrf_token=123.abc" + user_fields, {}}},
      {"token of another user", {"csrf_token=" + server.form_tokens().issue("alice", now_seconds()) + user_fields, {}}},
      {"expired token",
       {"csrf_token=" + server.form_tokens().issue(AuthTestServer::kAdmin, now_seconds() - 7200) + user_fields, {}}},
      {"token of another key",
       {"csrf_token=" + SignupFormTokens("other").issue("admin", now_seconds()) + user_fields, {}}},
      {"another origin", {"csrf_token=" + valid + user_fields, {{"Origin", "https://evil.example"}}}},
      {"null origin", {"csrf_token=" + valid + user_fields, {{"Origin", "null"}}}},
      {"cross-site fetch", {"csrf_token=" + valid + user_fields, {{"Sec-Fetch-Site", "cross-site"}}}},
  };
  for (const auto& [what, attempt] : attempts) {
    for (const std::string path : {"/api/2.0/mlflow/users/create-ui", "/api/2.0/mlflow/users/create"}) {
      const auto response = post_form(path, attempt.first, attempt.second);
      expect_error(response, 400, "INVALID_PARAMETER_VALUE", "CSRF");
      EXPECT_FALSE(server.store().find_user("mallory")) << what << " " << path;
    }
  }
  auto accepted = post_form("/api/2.0/mlflow/users/create-ui", "csrf_token=" + valid + user_fields,
                            {{"Origin", same_origin}, {"Sec-Fetch-Site", "same-origin"}});
  EXPECT_EQ(accepted.status, 200) << accepted.body;
}

TEST(SignupFormTokens, VerifyOnlyTheirOwnFreshTokens) {
  const SignupFormTokens tokens("secret");
  const std::int64_t now = 1'700'000'000;
  const std::string token = tokens.issue("admin", now);
  EXPECT_TRUE(tokens.verify(token, "admin", now));
  EXPECT_TRUE(tokens.verify(token, "admin", now + SignupFormTokens::kLifetimeSeconds));
  EXPECT_FALSE(tokens.verify(token, "admin", now + SignupFormTokens::kLifetimeSeconds + 1));
  EXPECT_FALSE(tokens.verify(token, "admin", now - 3600));
  EXPECT_FALSE(tokens.verify(token, "admin2", now));
  EXPECT_FALSE(tokens.verify(token, "", now));
  // Replicas sharing the secret accept each other's tokens; other keys do not.
  EXPECT_TRUE(SignupFormTokens("secret").verify(token, "admin", now));
  EXPECT_FALSE(SignupFormTokens("other secret").verify(token, "admin", now));
  EXPECT_FALSE(SignupFormTokens("").verify(token, "admin", now));
  EXPECT_NE(SignupFormTokens("").issue("admin", now), SignupFormTokens("").issue("admin", now));
  std::string tampered = token;
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  EXPECT_FALSE(tokens.verify(tampered, "admin", now));
  const std::string moved = std::to_string(now + 1) + token.substr(token.find('.'));
  EXPECT_FALSE(tokens.verify(moved, "admin", now + 1));
  for (const std::string garbage :
       {"", ".", "abc", "1.", ".abc", "-5.00", "x1.ab", "99999999999999999999.00", "-9223372036854775808.00"}) {
    EXPECT_FALSE(tokens.verify(garbage, "admin", now)) << garbage;
  }
}

TEST(FormFields, DecodeAsBrowsersEncode) {
  const auto fields = parse_form_fields("a=1&b=x+y%21%2B&a=2&c&&d=%zz&=e");
  EXPECT_EQ(fields.at("a"), "1");
  EXPECT_EQ(fields.at("b"), "x y!+");
  EXPECT_EQ(fields.at("c"), "");
  EXPECT_EQ(fields.at("d"), "%zz");
  EXPECT_EQ(fields.at(""), "e");
  EXPECT_TRUE(is_media_type("Application/X-WWW-Form-URLEncoded; charset=UTF-8", "application/x-www-form-urlencoded"));
  EXPECT_FALSE(is_media_type("application/x-www-form-urlencodedx", "application/x-www-form-urlencoded"));
  EXPECT_EQ(html_escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

}  // namespace
}  // namespace mlflowcpp::server::auth::testing
