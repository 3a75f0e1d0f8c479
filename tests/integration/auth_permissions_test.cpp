// What a user may do on `mlflowcpp server --app-name basic-auth` with
// default_permission NO_PERMISSIONS, as clients see it over HTTP: creators
// manage what they create, others see nothing of it until granted, READ reads,
// EDIT writes, MANAGE deletes and grants, searches are narrowed, the UI's and
// the artifact proxy's routes are checked like the API, and users manage only
// themselves.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "auth_test_client.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

using testing::HttpResponse;
using testing::Json;

constexpr const char* kApi = "/api/2.0/mlflow/";
constexpr const char* kAlice = "alice";
constexpr const char* kBob = "bob";
constexpr const char* kPassword = "a-long-enough-password";

void expect_status(const HttpResponse& response, int status, const std::string& what) {
  EXPECT_EQ(response.status, status) << what << ": " << response.describe();
  if (status == 403) {
    EXPECT_EQ(response.error_code(), "PERMISSION_DENIED") << what << ": " << response.describe();
  }
}

class AuthPermissionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<testing::TempDir>("mlflowcpp-auth-permissions");
    server_ = std::make_unique<testing::ServerProcess>(basic_auth_server(dir_->path(), "NO_PERMISSIONS"));
    AuthClient admin = as_admin();
    for (const char* user : {kAlice, kBob}) {
      const auto created = admin.call("POST", std::string(kApi) + "users/create",
                                      {{"username", user}, {"password", kPassword}});
      ASSERT_EQ(created.status, 200) << created.describe();
    }
  }
  static void TearDownTestSuite() {
    server_.reset();
    dir_.reset();
  }
  static AuthClient as(const std::string& username) { return AuthClient(*server_, username, kPassword); }
  static AuthClient as_admin() { return AuthClient(*server_, kAuthAdmin, kAuthAdminPassword); }

  // An experiment `owner` creates, with one run in it; returns {experiment_id, run_id}.
  static std::pair<std::string, std::string> experiment_with_run(AuthClient& owner, const std::string& name) {
    const auto experiment = owner.call("POST", std::string(kApi) + "experiments/create", {{"name", name}});
    EXPECT_EQ(experiment.status, 200) << experiment.describe();
    const std::string experiment_id = experiment.json.value("experiment_id", "");
    const auto run = owner.call("POST", std::string(kApi) + "runs/create",
                                {{"experiment_id", experiment_id}, {"start_time", 1700000000000LL}});
    EXPECT_EQ(run.status, 200) << run.describe();
    return {experiment_id, run.json["run"]["info"].value("run_id", "")};
  }

  static std::unique_ptr<testing::TempDir> dir_;
  static std::unique_ptr<testing::ServerProcess> server_;
};

std::unique_ptr<testing::TempDir> AuthPermissionsTest::dir_;
std::unique_ptr<testing::ServerProcess> AuthPermissionsTest::server_;

Json metric(const std::string& run_id) {
  return {{"run_id", run_id}, {"key", "loss"}, {"value", 0.5}, {"timestamp", 1700000000001LL}, {"step", 1}};
}

bool search_lists_experiment(AuthClient& client, const std::string& experiment_id) {
  const auto found = client.call("POST", std::string(kApi) + "experiments/search", {{"max_results", 1000}});
  EXPECT_EQ(found.status, 200) << found.describe();
  for (const auto& experiment : found.json.value("experiments", Json::array())) {
    if (experiment.value("experiment_id", "") == experiment_id) return true;
  }
  return false;
}

std::size_t runs_found(AuthClient& client, const std::string& experiment_id) {
  const auto found = client.call("POST", std::string(kApi) + "runs/search", {{"experiment_ids", {experiment_id}}});
  EXPECT_EQ(found.status, 200) << found.describe();
  return found.json.value("runs", Json::array()).size();
}

TEST_F(AuthPermissionsTest, GrantsOpenAnExperimentStepByStep) {
  AuthClient alice = as(kAlice);
  AuthClient bob = as(kBob);
  const auto [experiment_id, run_id] = experiment_with_run(alice, "alice-experiment");
  const std::string run_get = std::string(kApi) + "runs/get?run_id=" + run_id;
  const std::string experiment_get = std::string(kApi) + "experiments/get?experiment_id=" + experiment_id;

  // The creator manages it.
  expect_status(alice.call("POST", std::string(kApi) + "runs/log-metric", metric(run_id)), 200, "owner logs");
  expect_status(alice.get(run_get), 200, "owner reads");

  // Without a grant, bob gets nothing of it, through any door.
  expect_status(bob.get(experiment_get), 403, "experiments/get");
  expect_status(bob.get(run_get), 403, "runs/get");
  expect_status(bob.get(std::string(kApi) + "metrics/get-history?run_id=" + run_id + "&metric_key=loss"), 403,
                "get-history");
  expect_status(bob.get("/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=" + run_id +
                        "&metric_key=loss&max_results=10"),
                403, "get-history-bulk-interval");
  expect_status(bob.call("POST", std::string(kApi) + "runs/log-metric", metric(run_id)), 403, "log-metric");
  expect_status(bob.get(std::string(kApi) + "artifacts/list?run_id=" + run_id), 403, "artifacts/list");
  expect_status(bob.get("/get-artifact?run_uuid=" + run_id + "&path=model.txt"), 403, "get-artifact");
  expect_status(bob.get("/api/2.0/mlflow-artifacts/artifacts?path=" + experiment_id), 403, "proxy listing");
  expect_status(bob.get("/api/2.0/mlflow-artifacts/artifacts"), 403, "proxy root listing");
  expect_status(bob.get("/ajax-api/2.0/mlflow-artifacts/artifacts/" + experiment_id + "/" + run_id +
                        "/artifacts/model.txt"),
                403, "ajax proxy download");
  EXPECT_FALSE(search_lists_experiment(bob, experiment_id));
  EXPECT_EQ(runs_found(bob, experiment_id), 0u);
  expect_status(bob.call("POST", std::string(kApi) + "experiments/permissions/create",
                         {{"experiment_id", experiment_id}, {"username", kBob}, {"permission", "MANAGE"}}),
                403, "granting oneself");

  // READ: reads and searches, no writes.
  expect_status(alice.call("POST", std::string(kApi) + "experiments/permissions/create",
                           {{"experiment_id", experiment_id}, {"username", kBob}, {"permission", "READ"}}),
                200, "owner grants READ");
  expect_status(bob.get(run_get), 200, "READ reads");
  EXPECT_TRUE(search_lists_experiment(bob, experiment_id));
  EXPECT_EQ(runs_found(bob, experiment_id), 1u);
  expect_status(bob.call("POST", std::string(kApi) + "runs/log-metric", metric(run_id)), 403, "READ logs");

  // EDIT: writes, no deletes.
  expect_status(alice.call("PATCH", std::string(kApi) + "experiments/permissions/update",
                           {{"experiment_id", experiment_id}, {"username", kBob}, {"permission", "EDIT"}}),
                200, "owner grants EDIT");
  expect_status(bob.call("POST", std::string(kApi) + "runs/log-metric", metric(run_id)), 200, "EDIT logs");
  expect_status(bob.call("POST", std::string(kApi) + "runs/delete", {{"run_id", run_id}}), 403, "EDIT deletes");

  // A deleted grant closes it again at once.
  expect_status(alice.call("DELETE", std::string(kApi) + "experiments/permissions/delete",
                           {{"experiment_id", experiment_id}, {"username", kBob}}),
                200, "owner revokes");
  expect_status(bob.get(run_get), 403, "after the revocation");

  // The admin passes everything.
  AuthClient admin = as_admin();
  expect_status(admin.get(run_get), 200, "admin reads");
  EXPECT_TRUE(search_lists_experiment(admin, experiment_id));
  expect_status(alice.call("POST", std::string(kApi) + "runs/delete", {{"run_id", run_id}}), 200, "owner deletes");
}

TEST_F(AuthPermissionsTest, RegisteredModelsFollowTheirGrants) {
  AuthClient alice = as(kAlice);
  AuthClient bob = as(kBob);
  expect_status(alice.call("POST", std::string(kApi) + "registered-models/create", {{"name", "alice-model"}}), 200,
                "create");
  expect_status(bob.get(std::string(kApi) + "registered-models/get?name=alice-model"), 403, "stranger reads");
  const auto search = bob.get(std::string(kApi) + "registered-models/search?max_results=100");
  EXPECT_EQ(search.status, 200) << search.describe();
  EXPECT_TRUE(search.json.value("registered_models", Json::array()).empty()) << search.describe();

  // Renaming carries the creator's grant along.
  expect_status(alice.call("POST", std::string(kApi) + "registered-models/rename",
                           {{"name", "alice-model"}, {"new_name", "alice-model-2"}}),
                200, "rename");
  expect_status(alice.call("PATCH", std::string(kApi) + "registered-models/update",
                           {{"name", "alice-model-2"}, {"description", "renamed"}}),
                200, "owner updates after the rename");
  expect_status(bob.call("DELETE", std::string(kApi) + "registered-models/delete", {{"name", "alice-model-2"}}), 403,
                "stranger deletes");
  expect_status(alice.call("DELETE", std::string(kApi) + "registered-models/delete", {{"name", "alice-model-2"}}),
                200, "owner deletes");

  // A new model of the same name, by someone else, does not inherit the old grants.
  expect_status(bob.call("POST", std::string(kApi) + "registered-models/create", {{"name", "alice-model-2"}}), 200,
                "bob reuses the name");
  expect_status(alice.get(std::string(kApi) + "registered-models/get?name=alice-model-2"), 403,
                "old owner after the reuse");
}

TEST_F(AuthPermissionsTest, UsersManageOnlyThemselves) {
  AuthClient bob = as(kBob);
  expect_status(bob.get(std::string(kApi) + "users/get?username=bob"), 200, "own user");
  expect_status(bob.get(std::string(kApi) + "users/get?username=alice"), 403, "another user");
  expect_status(bob.call("POST", std::string(kApi) + "users/create",
                         {{"username", "mallory"}, {"password", kPassword}}),
                403, "users/create");
  expect_status(bob.call("PATCH", std::string(kApi) + "users/update-admin", {{"username", kBob}, {"is_admin", true}}),
                403, "promoting oneself");
  expect_status(bob.call("DELETE", std::string(kApi) + "users/delete", {{"username", kAlice}}), 403, "users/delete");
  expect_status(bob.call("PATCH", std::string(kApi) + "users/update-password",
                         {{"username", kAlice}, {"password", "another-long-password"}}),
                403, "another user's password");
  expect_status(bob.get("/signup"), 403, "sign-up page");
}

}  // namespace
}  // namespace mlflowcpp::integration
