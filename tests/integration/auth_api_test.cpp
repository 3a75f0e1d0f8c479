// `mlflowcpp server --app-name basic-auth` as a client sees it: credentials on
// every call, the admin made at the first start, the users and permissions API
// with MLflow's shapes and codes, changes that count at once, users that
// survive a restart, the C++ client signing in, and startup mistakes refused.

#include <gtest/gtest.h>
#include <httplib.h>

#include <mlflowcpp/mlflowcpp.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "auth_test_client.hpp"
#include "testing/process_runner.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

using testing::HttpClient;
using testing::HttpResponse;
using testing::Json;

constexpr const char* kAdmin = kAuthAdmin;
constexpr const char* kAdminPassword = kAuthAdminPassword;
constexpr const char* kUsers = "/api/2.0/mlflow/users/";
constexpr const char* kNotAuthenticated =
    "You are not authenticated. Please see "
    "https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.";

void expect_error(const HttpResponse& response, int status, const std::string& code) {
  EXPECT_EQ(response.status, status) << response.describe();
  EXPECT_EQ(response.error_code(), code) << response.describe();
}

class AuthApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<testing::TempDir>("mlflowcpp-auth-api");
    server_ = std::make_unique<testing::ServerProcess>(basic_auth_server(dir_->path()));
  }
  static void TearDownTestSuite() {
    server_.reset();
    dir_.reset();
  }
  static AuthClient as(const std::string& username, const std::string& password) {
    return AuthClient(*server_, username, password);
  }
  static AuthClient as_admin() { return as(kAdmin, kAdminPassword); }

  static std::unique_ptr<testing::TempDir> dir_;
  static std::unique_ptr<testing::ServerProcess> server_;
};

std::unique_ptr<testing::TempDir> AuthApiTest::dir_;
std::unique_ptr<testing::ServerProcess> AuthApiTest::server_;

TEST_F(AuthApiTest, StartupSaysAuthenticationIsOn) {
  EXPECT_NE(server_->log().find("basic-auth on"), std::string::npos) << server_->log();
  EXPECT_NE(server_->log().find("created the admin user 'admin'"), std::string::npos) << server_->log();
}

TEST_F(AuthApiTest, EveryCallNeedsValidCredentials) {
  const std::string search = "/api/2.0/mlflow/experiments/search?max_results=10";
  AuthClient anonymous = as("", "");
  anonymous.set_authorization("");
  std::vector<HttpResponse> refused = {anonymous.get(search), as(kAdmin, "wrong-password-1").get(search),
                                       as("nobody", kAdminPassword).get(search)};
  anonymous.set_authorization("Basic %%%");
  refused.push_back(anonymous.get(search));
  anonymous.set_authorization("Bearer some-token");
  refused.push_back(anonymous.call("POST", "/api/2.0/mlflow/experiments/create", {{"name", "sneaky"}}));
  for (const auto& response : refused) {
    expect_error(response, 401, "UNAUTHENTICATED");
    EXPECT_EQ(response.header("WWW-Authenticate"), "Basic realm=\"mlflow\"");
    EXPECT_EQ(response.json.value("message", ""), kNotAuthenticated);
    EXPECT_EQ(response.body, refused.front().body);
  }
  EXPECT_EQ(anonymous.get("/health").status, 200);
  EXPECT_EQ(anonymous.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=sneaky").status, 401);
  const auto allowed = as_admin().get(search);
  EXPECT_EQ(allowed.status, 200) << allowed.describe();
}

TEST_F(AuthApiTest, AdminCreatedAtFirstStartMayCallEverything) {
  auto admin = as_admin();
  const auto me = admin.get(std::string(kUsers) + "get?username=admin");
  ASSERT_EQ(me.status, 200) << me.describe();
  EXPECT_EQ(me.json["user"]["username"], "admin");
  EXPECT_EQ(me.json["user"]["is_admin"], true);
  EXPECT_TRUE(me.json["user"]["id"].is_number_integer());
  EXPECT_EQ(me.json["user"]["scorer_permissions"], Json::array());

  const auto experiment = admin.call("POST", "/api/2.0/mlflow/experiments/create", {{"name", "admin-experiment"}});
  ASSERT_EQ(experiment.status, 200) << experiment.describe();
  const std::string experiment_id = experiment.json.value("experiment_id", "");
  const auto run = admin.call("POST", "/api/2.0/mlflow/runs/create", {{"experiment_id", experiment_id}});
  ASSERT_EQ(run.status, 200) << run.describe();
  const auto model = admin.call("POST", "/api/2.0/mlflow/registered-models/create", {{"name", "admin-model"}});
  ASSERT_EQ(model.status, 200) << model.describe();
  EXPECT_EQ(admin.get("/api/2.0/mlflow/registered-models/get?name=admin-model").status, 200);
  EXPECT_EQ(admin.call("POST", "/api/2.0/mlflow/experiments/delete", {{"experiment_id", experiment_id}}).status, 200);
}

TEST_F(AuthApiTest, UserLifecycleCountsAtOnce) {
  auto admin = as_admin();
  const auto created =
      admin.call("POST", std::string(kUsers) + "create", {{"username", "alice"}, {"password", "alice-password-1"}});
  ASSERT_EQ(created.status, 200) << created.describe();
  const Json expected = {{"user",
                          {{"id", created.json["user"]["id"]},
                           {"username", "alice"},
                           {"is_admin", false},
                           {"experiment_permissions", Json::array()},
                           {"registered_model_permissions", Json::array()},
                           {"scorer_permissions", Json::array()}}}};
  EXPECT_EQ(created.json, expected);
  expect_error(
      admin.call("POST", std::string(kUsers) + "create", {{"username", "alice"}, {"password", "alice-password-2"}}),
      400, "RESOURCE_ALREADY_EXISTS");
  expect_error(admin.call("POST", std::string(kUsers) + "create", {{"username", "bob"}, {"password", "short"}}), 400,
               "INVALID_PARAMETER_VALUE");

  const std::string get_alice = std::string(kUsers) + "get?username=alice";
  auto alice = as("alice", "alice-password-1");
  const auto self = alice.get(get_alice);
  ASSERT_EQ(self.status, 200) << self.describe();
  EXPECT_EQ(self.json, expected);

  const auto changed = alice.call("PATCH", std::string(kUsers) + "update-password",
                                  {{"username", "alice"}, {"password", "alice-password-2"}});
  ASSERT_EQ(changed.status, 200) << changed.describe();
  EXPECT_EQ(changed.json, Json::object());
  expect_error(alice.get(get_alice), 401, "UNAUTHENTICATED");
  auto alice_now = as("alice", "alice-password-2");
  EXPECT_EQ(alice_now.get(get_alice).status, 200);

  const auto promoted =
      admin.call("PATCH", std::string(kUsers) + "update-admin", {{"username", "alice"}, {"is_admin", true}});
  ASSERT_EQ(promoted.status, 200) << promoted.describe();
  EXPECT_EQ(promoted.json, Json::object());
  EXPECT_EQ(alice_now.get(get_alice).json["user"]["is_admin"], true);
  expect_error(
      admin.call("PATCH", std::string(kUsers) + "update-admin", {{"username", "alice"}, {"is_admin", "maybe"}}), 400,
      "INVALID_PARAMETER_VALUE");

  const auto deleted = admin.call("DELETE", std::string(kUsers) + "delete", {{"username", "alice"}});
  ASSERT_EQ(deleted.status, 200) << deleted.describe();
  EXPECT_EQ(deleted.json, Json::object());
  expect_error(alice_now.get(get_alice), 401, "UNAUTHENTICATED");
  expect_error(admin.get(get_alice), 404, "RESOURCE_DOES_NOT_EXIST");
  expect_error(admin.call("DELETE", std::string(kUsers) + "delete", {{"username", "alice"}}), 404,
               "RESOURCE_DOES_NOT_EXIST");
}

TEST_F(AuthApiTest, PermissionsCrud) {
  auto admin = as_admin();
  const auto user =
      admin.call("POST", std::string(kUsers) + "create", {{"username", "carol"}, {"password", "carol-password-1"}});
  ASSERT_EQ(user.status, 200) << user.describe();
  const Json user_id = user.json["user"]["id"];
  const auto experiment = admin.call("POST", "/api/2.0/mlflow/experiments/create", {{"name", "shared-experiment"}});
  const std::string experiment_id = experiment.json.value("experiment_id", "");
  ASSERT_FALSE(experiment_id.empty()) << experiment.describe();

  const std::string experiments = "/api/2.0/mlflow/experiments/permissions/";
  const auto created = admin.call("POST", experiments + "create",
                                  {{"experiment_id", experiment_id}, {"username", "carol"}, {"permission", "READ"}});
  ASSERT_EQ(created.status, 200) << created.describe();
  EXPECT_EQ(created.json, (Json{{"experiment_permission",
                                 {{"experiment_id", experiment_id}, {"user_id", user_id}, {"permission", "READ"}}}}));
  expect_error(admin.call("POST", experiments + "create",
                          {{"experiment_id", experiment_id}, {"username", "carol"}, {"permission", "READ"}}),
               400, "RESOURCE_ALREADY_EXISTS");
  const std::string get = experiments + "get?experiment_id=" + experiment_id + "&username=carol";
  EXPECT_EQ(admin.get(get).json, created.json);
  const auto updated = admin.call("PATCH", experiments + "update",
                                  {{"experiment_id", experiment_id}, {"username", "carol"}, {"permission", "MANAGE"}});
  ASSERT_EQ(updated.status, 200) << updated.describe();
  EXPECT_EQ(updated.json, Json::object());
  EXPECT_EQ(admin.get(get).json["experiment_permission"]["permission"], "MANAGE");
  expect_error(admin.call("PATCH", experiments + "update",
                          {{"experiment_id", experiment_id}, {"username", "carol"}, {"permission", "ALL"}}),
               400, "INVALID_PARAMETER_VALUE");
  expect_error(admin.call("POST", experiments + "create",
                          {{"experiment_id", experiment_id}, {"username", "nobody"}, {"permission", "READ"}}),
               404, "RESOURCE_DOES_NOT_EXIST");
  expect_error(admin.get(experiments + "get?experiment_id=" + experiment_id), 400, "INVALID_PARAMETER_VALUE");
  const auto user_view = admin.get(std::string(kUsers) + "get?username=carol");
  EXPECT_EQ(user_view.json["user"]["experiment_permissions"],
            Json::array({{{"experiment_id", experiment_id}, {"user_id", user_id}, {"permission", "MANAGE"}}}));
  const auto deleted =
      admin.call("DELETE", experiments + "delete", {{"experiment_id", experiment_id}, {"username", "carol"}});
  ASSERT_EQ(deleted.status, 200) << deleted.describe();
  EXPECT_EQ(deleted.json, Json::object());
  expect_error(admin.get(get), 404, "RESOURCE_DOES_NOT_EXIST");

  const std::string models = "/api/2.0/mlflow/registered-models/permissions/";
  const auto model_grant =
      admin.call("POST", models + "create", {{"name", "shared-model"}, {"username", "carol"}, {"permission", "EDIT"}});
  ASSERT_EQ(model_grant.status, 200) << model_grant.describe();
  EXPECT_EQ(model_grant.json, (Json{{"registered_model_permission",
                                     {{"name", "shared-model"}, {"user_id", user_id}, {"permission", "EDIT"}}}}));
  EXPECT_EQ(admin.get(models + "get?name=shared-model&username=carol").json, model_grant.json);
  EXPECT_EQ(
      admin.call("PATCH", models + "update", {{"name", "shared-model"}, {"username", "carol"}, {"permission", "READ"}})
          .json,
      Json::object());
  EXPECT_EQ(
      admin.get(models + "get?name=shared-model&username=carol").json["registered_model_permission"]["permission"],
      "READ");
  // DELETE takes its parameters from the query string as well.
  const auto model_deleted = admin.call("DELETE", models + "delete?name=shared-model&username=carol");
  ASSERT_EQ(model_deleted.status, 200) << model_deleted.describe();
  expect_error(admin.get(models + "get?name=shared-model&username=carol"), 404, "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(admin.call("DELETE", std::string(kUsers) + "delete", {{"username", "carol"}}).status, 200);
}

TEST_F(AuthApiTest, CppClientSignsIn) {
  ClientOptions options = server_->client_options();
  options.username = kAdmin;
  options.password = kAdminPassword;
  MlflowClient client(options);
  const std::string id = client.create_experiment("cpp-client-experiment");
  EXPECT_EQ(client.get_experiment(id).name, "cpp-client-experiment");

  options.password = "not-the-password";
  MlflowClient refused(options);
  try {
    refused.get_experiment(id);
    ADD_FAILURE() << "a wrong password must be refused";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.error_code(), "UNAUTHENTICATED") << error.what();
    EXPECT_EQ(error.http_status(), 401);
  }
}

TEST(AuthApiRestart, UsersSurviveARestart) {
  testing::TempDir dir("mlflowcpp-auth-restart");
  testing::ServerProcess server(basic_auth_server(dir.path()));
  {
    AuthClient admin(server, kAdmin, kAdminPassword);
    ASSERT_EQ(
        admin.call("POST", std::string(kUsers) + "create", {{"username", "dave"}, {"password", "dave-password-1"}})
            .status,
        200);
    // The admin's new password is kept: the configured one only creates the admin once.
    ASSERT_EQ(admin
                  .call("PATCH", std::string(kUsers) + "update-password",
                        {{"username", kAdmin}, {"password", "changed-admin-password"}})
                  .status,
              200);
  }
  server.restart();
  EXPECT_EQ(server.log().find("created the admin user", server.log().find("created the admin user") + 1),
            std::string::npos)
      << "the admin is created at the first start only:\n"
      << server.log();
  AuthClient dave(server, "dave", "dave-password-1");
  const auto self = dave.get(std::string(kUsers) + "get?username=dave");
  ASSERT_EQ(self.status, 200) << self.describe();
  EXPECT_EQ(self.json["user"]["username"], "dave");
  expect_error(AuthClient(server, kAdmin, kAdminPassword).get("/api/2.0/mlflow/experiments/search?max_results=1"), 401,
               "UNAUTHENTICATED");
  EXPECT_EQ(AuthClient(server, kAdmin, "changed-admin-password")
                .get("/api/2.0/mlflow/experiments/search?max_results=1")
                .status,
            200);
}

TEST(AuthApiStartup, MistakesStopTheServer) {
  testing::TempDir dir("mlflowcpp-auth-startup");
  const std::vector<std::string> base = {"server",
                                         "--host",
                                         "127.0.0.1",
                                         "--port",
                                         "0",
                                         "--backend-store-uri",
                                         "sqlite:///" + (dir.path() / "mlflow.db").string(),
                                         "--artifacts-destination",
                                         (dir.path() / "mlartifacts").string()};
  auto args = base;
  args.insert(args.end(), {"--app-name", "custom-app"});
  auto result = testing::run_command(testing::server_binary(), args);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("custom-app"), std::string::npos) << result.output;

  args = base;
  args.insert(args.end(), {"--app-name", "basic-auth"});
  const std::string missing = (dir.path() / "no-such.ini").string();
  result = testing::run_command(testing::server_binary(), args, {{"MLFLOW_AUTH_CONFIG_PATH", missing}});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find(missing), std::string::npos) << result.output;

  const auto bad_ini = dir.path() / "bad.ini";
  testing::write_file(bad_ini, "[mlflow]\ndefault_permission = OWNER\n");
  result = testing::run_command(testing::server_binary(), args, {{"MLFLOW_AUTH_CONFIG_PATH", bad_ini.string()}});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("OWNER"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace mlflowcpp::integration
