// The basic-auth filter: which paths are open, the one 401 for every kind of bad
// credential, and the caller it hands to the handlers.

#include "auth_test_server.hpp"

#include "server/http/reply.hpp"
#include "server/http/request.hpp"
#include "server/http/router.hpp"
#include "server/search/base64.hpp"

#include <gtest/gtest.h>

namespace mlflowcpp::server::auth::testing {
namespace {

using protocol::Json;

// GET /test/whoami answers the caller the filter set.
class WhoAmI : public http::RouteGroup {
 public:
  void register_routes(http::Router& router) override {
    http::Route route;
    route.methods = {"GET", "POST"};
    route.pattern = "/test/whoami";
    route.handler = [](http::Request& request, http::Reply& reply) {
      if (!request.caller()) {
        reply.json(200, Json{{"caller", nullptr}});
        return;
      }
      const auto& caller = *request.caller();
      reply.json(200, Json{{"user_id", caller.user_id}, {"username", caller.username}, {"is_admin", caller.is_admin}});
    };
    router.add(std::move(route));
  }
};

std::string basic(const std::string& user_and_password) {
  return "Basic " + search::detail::base64_encode(user_and_password);
}

TEST(AuthenticationFilter, EveryBadCredentialGetsTheSame401) {
  AuthTestServer server;
  server.store().create_user("alice", cheap_hash("alice-password-1"), false);
  const std::vector<std::pair<std::string, std::optional<std::string>>> cases = {
      {"no header", std::nullopt},
      {"empty header", ""},
      {"other scheme", "Bearer abc.def.ghi"},
      {"scheme only", "Basic"},
      {"empty credentials", "Basic "},
      {"bad base64", "Basic !!not-base64!!"},
      {"truncated base64", "Basic YWxpY2U6cGFzc3dvcmQ"},
      {"no colon", basic("alice")},
      {"unknown user", basic("mallory:alice-password-1")},
      {"wrong password", basic("alice:alice-password-2")},
      {"empty password", basic("alice:")},
      {"empty username", basic(":alice-password-1")},
      {"password of another user", basic("alice:" + std::string(AuthTestServer::kAdminPassword))},
  };
  std::optional<AuthTestResponse> first;
  for (const auto& [what, header] : cases) {
    httplib::Headers headers;
    if (header) headers.emplace("Authorization", *header);
    for (const std::string path : {"/api/2.0/mlflow/users/get?username=alice", "/api/2.0/mlflow/no-such-call"}) {
      const auto response = server.send("GET", path, "", "", headers);
      EXPECT_EQ(response.status, 401) << what << " " << path;
      EXPECT_EQ(response.header("WWW-Authenticate"), "Basic realm=\"mlflow\"") << what;
      EXPECT_EQ(response.json.value("error_code", ""), "UNAUTHENTICATED") << what;
      if (!first) first = response;
      EXPECT_EQ(response.body, first->body) << what;
    }
  }
  EXPECT_EQ(first->json.value("message", ""),
            "You are not authenticated. Please see "
            "https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.");
  // A write without credentials is refused before its body is looked at.
  const auto post =
      server.send("POST", "/api/2.0/mlflow/users/create", R"({"username":"x","password":"y"})", "application/json");
  EXPECT_EQ(post.status, 401);
  EXPECT_FALSE(server.store().find_user("x"));
}

TEST(AuthenticationFilter, SetsTheCaller) {
  WhoAmI whoami;
  AuthTestServer server("", &whoami);
  const auto alice = server.store().create_user("alice", cheap_hash("pass:word:with:colons"), false);
  // Split at the first ':': the password may hold more.
  auto response = server.send_as("alice", "pass:word:with:colons", "GET", "/test/whoami");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json, (Json{{"user_id", alice.id}, {"username", "alice"}, {"is_admin", false}}));

  // The scheme is case-insensitive, as in HTTP.
  response = server.send("GET", "/test/whoami", "", "",
                         {{"Authorization", "basic " + search::detail::base64_encode("admin:admin-password-1")}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json.value("username", ""), "admin");
  EXPECT_EQ(response.json.value("is_admin", false), true);
}

TEST(AuthenticationFilter, OpenPathsNeedNoCredentials) {
  AuthTestServer server;
  const auto health = server.send("GET", "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "OK");
  // Static files and the favicon are open: whatever they answer, it is not 401.
  EXPECT_NE(server.send("GET", "/static-files/static/js/main.js").status, 401);
  EXPECT_NE(server.send("GET", "/favicon.ico").status, 401);
  // The UI's page itself, the API and the sign-up page are not.
  EXPECT_EQ(server.send("GET", "/").status, 401);
  EXPECT_EQ(server.send("GET", "/version").status, 401);
  EXPECT_EQ(server.send("GET", "/signup").status, 401);
  EXPECT_EQ(server.send("GET", "/healthz").status, 401);
  EXPECT_EQ(server.send("GET", "/static-filesx").status, 401);
  // OPTIONS is answered from the route table alone.
  const auto options = server.send("OPTIONS", "/api/2.0/mlflow/users/get");
  EXPECT_EQ(options.status, 200);
  EXPECT_NE(options.header("Allow").find("GET"), std::string::npos);
}

TEST(AuthenticationFilter, OpenPathsFollowTheStaticPrefix) {
  AuthTestServer server("/mlflow");
  EXPECT_EQ(server.send("GET", "/mlflow/health").status, 200);
  EXPECT_NE(server.send("GET", "/mlflow/static-files/app.js").status, 401);
  EXPECT_EQ(server.send("GET", "/health").status, 401);
  EXPECT_EQ(server.send("GET", "/static-files/app.js").status, 401);
  EXPECT_EQ(server.send("GET", "/mlflow/").status, 401);
}

}  // namespace
}  // namespace mlflowcpp::server::auth::testing
