// The decisions of the basic-auth app's route protection, over an in-memory
// auth store and resolver: what each permission allows, the default
// permission, admins, the caller's own user, searches narrowed to what the
// caller may read, and the grants successful calls write.

#include "server/auth/route_protection.hpp"
#include "auth_test_doubles.hpp"
#include "protocol/json_codec.hpp"
#include "server/http/router.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mlflowcpp::server::auth {
namespace {

using http::QueryParams;
using protocol::Json;
using testing::Answer;
using testing::caller_of;
using testing::FakeAuthStore;
using testing::FakeResolver;
using testing::TestRequest;

constexpr const char* kStaticPrefix = "/ui";

class RouteProtectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    resolver_.run_experiments = {{"run-1", "1"}, {"run-2", "2"}};
    resolver_.experiment_ids = {{"one", "1"}, {"fresh", "7"}};
    resolver_.logged_model_experiments = {{"m-1", "1"}};
    alice_ = store_.add_user("alice");
    bob_ = store_.add_user("bob");
    admin_ = store_.add_user("admin", true);
  }

  // A stand-in handler on every pattern the checks are tried on: it records the call and answers
  // `handler_status_`, or what it finds in the call's scope.
  void protect(Permission default_permission) {
    const auto add = [this](std::vector<std::string> methods, const std::string& pattern,
                            http::PathMatch match = http::PathMatch::kExact) {
      http::Route route;
      route.methods = std::move(methods);
      route.pattern = pattern;
      route.match = match;
      route.handler = [this](http::Request& request, http::Reply& reply) {
        ++handler_calls_;
        last_scope_ = request.read_scope();
        reply.json(handler_status_, Json::object());
      };
      router_.add(std::move(route));
    };
    const std::string api = "/api/2.0/mlflow/";
    const std::string ajax = std::string(kStaticPrefix) + "/ajax-api/2.0/mlflow/";
    for (const auto& path :
         {"experiments/get", "runs/get", "metrics/get-history", "registered-models/get", "registered-models/alias",
          "model-versions/get-download-uri", "users/get", "experiments/get-by-name"}) {
      add({"GET"}, api + path);
    }
    for (const auto& path : {"experiments/create", "experiments/update", "experiments/delete", "runs/log-metric",
                             "runs/delete", "runs/search", "registered-models/create", "registered-models/rename",
                             "registered-models/alias", "model-versions/transition-stage", "model-versions/create",
                             "users/create", "experiments/permissions/create", "logged-models"}) {
      add({"POST"}, api + path);
    }
    add({"GET"}, ajax + "experiments/get");
    add({"GET"}, ajax + "metrics/get-history-bulk");
    add({"POST"}, ajax + "experiments/search-datasets");
    add({"GET"}, api + "registered-models/search");
    add({"GET"}, api + "model-versions/search");
    add({"PATCH"}, api + "users/update-password");
    add({"DELETE"}, api + "registered-models/delete");
    add({"DELETE"}, api + "registered-models/alias");
    add({"DELETE"}, api + "model-versions/delete");
    add({"GET"}, std::string(kStaticPrefix) + "/get-artifact");
    add({"GET"}, "/api/2.0/mlflow-artifacts/artifacts");
    add({"GET", "PUT", "DELETE"}, "/api/2.0/mlflow-artifacts/artifacts/", http::PathMatch::kPrefix);
    add({"GET", "POST", "PATCH", "DELETE"}, api + "logged-models/", http::PathMatch::kPrefix);
    add({"GET"}, std::string(kStaticPrefix) + "/health");
    add({"GET"}, std::string(kStaticPrefix) + "/version");
    add({"GET"}, "/api/2.0/mlflow/no-rule-for-this");

    ProtectionOptions options;
    options.default_permission = default_permission;
    options.static_prefix = kStaticPrefix;
    options.warn = [this](const std::string& message) { warnings_.push_back(message); };
    protect_routes(router_, store_, resolver_, options);
  }

  Answer call(const User& user, const std::string& method, const std::string& path, QueryParams query = {},
              const Json& body = Json::object()) {
    TestRequest request(method, path, std::move(query), method == "GET" ? "" : protocol::dump(body));
    return testing::serve(router_, request, caller_of(user));
  }
  int status(const User& user, const std::string& method, const std::string& path, QueryParams query = {},
             const Json& body = Json::object()) {
    return call(user, method, path, std::move(query), body).status;
  }
  int get(const User& user, const std::string& path, QueryParams query) {
    return status(user, "GET", path, std::move(query));
  }
  int post(const User& user, const std::string& path, const Json& body) { return status(user, "POST", path, {}, body); }

  FakeAuthStore store_;
  FakeResolver resolver_;
  http::Router router_{kStaticPrefix, 1 << 20};
  User alice_, bob_, admin_;
  int handler_status_ = 200;
  int handler_calls_ = 0;
  http::ReadScope last_scope_;
  std::vector<std::string> warnings_;
};

const std::string kApi = "/api/2.0/mlflow/";

TEST_F(RouteProtectionTest, ReadAllowsReadingAnExperimentAndItsRunsButNoWrites) {
  protect(Permission::kNoPermissions);
  store_.put_experiment_grant("1", alice_.id, "READ");
  EXPECT_EQ(get(alice_, kApi + "experiments/get", {{"experiment_id", "1"}}), 200);
  EXPECT_EQ(get(alice_, kApi + "experiments/get-by-name", {{"experiment_name", "one"}}), 200);
  EXPECT_EQ(get(alice_, kApi + "runs/get", {{"run_id", "run-1"}}), 200);
  EXPECT_EQ(get(alice_, kApi + "metrics/get-history", {{"run_uuid", "run-1"}, {"metric_key", "m"}}), 200);
  EXPECT_EQ(post(alice_, kApi + "experiments/update", {{"experiment_id", "1"}, {"new_name", "x"}}), 403);
  EXPECT_EQ(post(alice_, kApi + "runs/log-metric", {{"run_id", "run-1"}, {"key", "k"}}), 403);
  EXPECT_EQ(post(alice_, kApi + "experiments/delete", {{"experiment_id", "1"}}), 403);
  // Another experiment: no grant, and the default allows nothing.
  EXPECT_EQ(get(alice_, kApi + "runs/get", {{"run_id", "run-2"}}), 403);
}

TEST_F(RouteProtectionTest, EditWritesButDoesNotDelete) {
  protect(Permission::kNoPermissions);
  store_.put_experiment_grant("1", alice_.id, "EDIT");
  EXPECT_EQ(post(alice_, kApi + "experiments/update", {{"experiment_id", "1"}, {"new_name", "x"}}), 200);
  EXPECT_EQ(post(alice_, kApi + "runs/log-metric", {{"run_id", "run-1"}}), 200);
  EXPECT_EQ(post(alice_, kApi + "runs/delete", {{"run_id", "run-1"}}), 403);
  EXPECT_EQ(post(alice_, kApi + "experiments/delete", {{"experiment_id", "1"}}), 403);
  EXPECT_EQ(post(alice_, kApi + "experiments/permissions/create", {{"experiment_id", "1"}}), 403);
}

TEST_F(RouteProtectionTest, ManageDeletesAndManagesPermissions) {
  protect(Permission::kNoPermissions);
  store_.put_experiment_grant("1", alice_.id, "MANAGE");
  EXPECT_EQ(post(alice_, kApi + "runs/delete", {{"run_id", "run-1"}}), 200);
  EXPECT_EQ(post(alice_, kApi + "experiments/delete", {{"experiment_id", "1"}}), 200);
  EXPECT_EQ(post(alice_, kApi + "experiments/permissions/create", {{"experiment_id", "1"}, {"username", "bob"}}), 200);
}

TEST_F(RouteProtectionTest, NoPermissionsAndUnknownPermissionNamesAllowNothing) {
  protect(Permission::kManage);
  store_.put_experiment_grant("1", alice_.id, "NO_PERMISSIONS");
  store_.put_experiment_grant("2", alice_.id, "SUPERUSER");
  EXPECT_EQ(get(alice_, kApi + "experiments/get", {{"experiment_id", "1"}}), 403);
  EXPECT_EQ(get(alice_, kApi + "runs/get", {{"run_id", "run-2"}}), 403);
  // bob has no grant: the default (MANAGE) applies.
  EXPECT_EQ(post(bob_, kApi + "experiments/delete", {{"experiment_id", "1"}}), 200);
}

TEST_F(RouteProtectionTest, TheDefaultPermissionAppliesWithoutAGrant) {
  protect(Permission::kEdit);
  EXPECT_EQ(post(alice_, kApi + "experiments/update", {{"experiment_id", "5"}}), 200);
  EXPECT_EQ(post(alice_, kApi + "experiments/delete", {{"experiment_id", "5"}}), 403);
  EXPECT_EQ(get(alice_, kApi + "registered-models/get", {{"name", "model"}}), 200);
  EXPECT_EQ(status(alice_, "DELETE", kApi + "model-versions/delete", {}, {{"name", "model"}, {"version", "1"}}), 403);
}

TEST_F(RouteProtectionTest, AdminsPassEveryCheck) {
  protect(Permission::kNoPermissions);
  store_.put_experiment_grant("1", admin_.id, "NO_PERMISSIONS");
  EXPECT_EQ(post(admin_, kApi + "experiments/delete", {{"experiment_id", "1"}}), 200);
  EXPECT_EQ(post(admin_, kApi + "users/create", {{"username", "carol"}, {"password", "p"}}), 200);
  EXPECT_EQ(get(admin_, kApi + "users/get", {{"username", "alice"}}), 200);
  EXPECT_EQ(get(admin_, "/api/2.0/mlflow-artifacts/artifacts", {}), 200);
  EXPECT_EQ(get(admin_, kApi + "no-rule-for-this", {}), 200);
  // No narrowing for admins.
  EXPECT_EQ(post(admin_, kApi + "runs/search", Json::object()), 200);
  EXPECT_TRUE(last_scope_.experiments.is_all());
}

TEST_F(RouteProtectionTest, UserRoutesServeTheCallersOwnUserOnly) {
  protect(Permission::kManage);
  EXPECT_EQ(get(alice_, kApi + "users/get", {{"username", "alice"}}), 200);
  EXPECT_EQ(get(alice_, kApi + "users/get", {{"username", "bob"}}), 403);
  EXPECT_EQ(status(alice_, "PATCH", kApi + "users/update-password", {}, {{"username", "alice"}, {"password", "x"}}),
            200);
  EXPECT_EQ(status(alice_, "PATCH", kApi + "users/update-password", {}, {{"username", "bob"}, {"password", "x"}}), 403);
  EXPECT_EQ(post(alice_, kApi + "users/create", {{"username", "carol"}, {"password", "p"}}), 403);
}

TEST_F(RouteProtectionTest, ARouteWithoutARuleIsForAdminsOnly) {
  protect(Permission::kManage);
  EXPECT_EQ(get(alice_, kApi + "no-rule-for-this", {}), 403);
  EXPECT_EQ(handler_calls_, 0);
}

TEST_F(RouteProtectionTest, DeniedCallsGetMlflowsJsonErrorBeforeTheHandler) {
  protect(Permission::kNoPermissions);
  const Answer answer = call(alice_, "GET", kApi + "experiments/get", {{"experiment_id", "1"}});
  EXPECT_EQ(answer.status, 403);
  const Json body = Json::parse(answer.body);
  EXPECT_EQ(body["error_code"], "PERMISSION_DENIED");
  EXPECT_EQ(body["message"], "Permission denied");
  EXPECT_EQ(handler_calls_, 0);
}

TEST_F(RouteProtectionTest, UnknownRunsAndExperimentNamesAnswer404) {
  protect(Permission::kManage);
  const Answer run = call(alice_, "GET", kApi + "runs/get", {{"run_id", "nope"}});
  EXPECT_EQ(run.status, 404);
  EXPECT_EQ(Json::parse(run.body)["error_code"], "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(get(alice_, kApi + "experiments/get-by-name", {{"experiment_name", "nope"}}), 404);
  EXPECT_EQ(post(alice_, kApi + "runs/log-metric", Json::object()), 400);  // no run id at all
  EXPECT_EQ(handler_calls_, 0);
}

TEST_F(RouteProtectionTest, NoCallerNeverReachesAHandlerExceptOnOpenRoutes) {
  protect(Permission::kManage);
  TestRequest version("GET", std::string(kStaticPrefix) + "/version");
  EXPECT_EQ(testing::serve(router_, version, std::nullopt).status, 401);
  TestRequest experiment("GET", kApi + "experiments/get", {{"experiment_id", "1"}});
  EXPECT_EQ(testing::serve(router_, experiment, std::nullopt).status, 401);
  EXPECT_EQ(handler_calls_, 0);
  TestRequest health("GET", std::string(kStaticPrefix) + "/health");
  EXPECT_EQ(testing::serve(router_, health, std::nullopt).status, 200);
  EXPECT_EQ(handler_calls_, 1);
}

TEST_F(RouteProtectionTest, TheAjaxPrefixSharesTheApiRule) {
  protect(Permission::kNoPermissions);
  const std::string ajax = std::string(kStaticPrefix) + "/ajax-api/2.0/mlflow/";
  EXPECT_EQ(get(alice_, ajax + "experiments/get", {{"experiment_id", "1"}}), 403);
  store_.put_experiment_grant("1", alice_.id, "READ");
  EXPECT_EQ(get(alice_, ajax + "experiments/get", {{"experiment_id", "1"}}), 200);
}

TEST_F(RouteProtectionTest, BulkMetricHistoryNeedsEveryRunReadable) {
  protect(Permission::kNoPermissions);
  const std::string bulk = std::string(kStaticPrefix) + "/ajax-api/2.0/mlflow/metrics/get-history-bulk";
  store_.put_experiment_grant("1", alice_.id, "READ");
  EXPECT_EQ(get(alice_, bulk, {{"run_id", "run-1"}, {"metric_key", "m"}}), 200);
  EXPECT_EQ(get(alice_, bulk, {{"run_id", "run-1"}, {"run_id", "run-2"}, {"metric_key", "m"}}), 403);
}

TEST_F(RouteProtectionTest, RunArtifactsFollowTheRunsExperiment) {
  protect(Permission::kNoPermissions);
  const std::string get_artifact = std::string(kStaticPrefix) + "/get-artifact";
  EXPECT_EQ(get(alice_, get_artifact, {{"run_uuid", "run-1"}, {"path", "f.txt"}}), 403);
  store_.put_experiment_grant("1", alice_.id, "READ");
  EXPECT_EQ(get(alice_, get_artifact, {{"run_uuid", "run-1"}, {"path", "f.txt"}}), 200);
}

TEST_F(RouteProtectionTest, ProxyArtifactsBelongToTheExperimentOfTheirFirstSegment) {
  protect(Permission::kNoPermissions);
  const std::string files = "/api/2.0/mlflow-artifacts/artifacts/";
  store_.put_experiment_grant("1", alice_.id, "READ");
  EXPECT_EQ(get(alice_, files + "1/run-1/artifacts/f.txt", {}), 200);
  EXPECT_EQ(status(alice_, "PUT", files + "1/run-1/artifacts/f.txt"), 403);
  EXPECT_EQ(status(alice_, "DELETE", files + "1/run-1/artifacts/f.txt"), 403);
  EXPECT_EQ(get(alice_, files + "2/run-2/artifacts/f.txt", {}), 403);
  // Outside every experiment's directory: admins only, whatever the default.
  EXPECT_EQ(get(alice_, files + "shared/f.txt", {}), 403);
  // A path climbing out of the experiment's directory is refused as the handler refuses it.
  EXPECT_EQ(get(alice_, files + "1/../2/f.txt", {}), 400);
  // The listing: by its path field; the root is for admins.
  EXPECT_EQ(get(alice_, "/api/2.0/mlflow-artifacts/artifacts", {{"path", "1/run-1"}}), 200);
  EXPECT_EQ(get(alice_, "/api/2.0/mlflow-artifacts/artifacts", {}), 403);
}

TEST_F(RouteProtectionTest, RegisteredModelsFollowTheirGrants) {
  protect(Permission::kNoPermissions);
  store_.put_model_grant("model", alice_.id, "READ");
  EXPECT_EQ(get(alice_, kApi + "registered-models/get", {{"name", "model"}}), 200);
  EXPECT_EQ(get(alice_, kApi + "model-versions/get-download-uri", {{"name", "model"}, {"version", "1"}}), 200);
  EXPECT_EQ(post(alice_, kApi + "registered-models/alias", {{"name", "model"}, {"alias", "a"}}), 403);
  store_.put_model_grant("model", alice_.id, "EDIT");
  EXPECT_EQ(post(alice_, kApi + "registered-models/alias", {{"name", "model"}, {"alias", "a"}}), 200);
  EXPECT_EQ(post(alice_, kApi + "model-versions/transition-stage", {{"name", "model"}}), 200);
  EXPECT_EQ(status(alice_, "DELETE", kApi + "registered-models/alias", {}, {{"name", "model"}, {"alias", "a"}}), 403);
  EXPECT_EQ(get(alice_, kApi + "registered-models/get", {{"name", "other"}}), 403);
}

TEST_F(RouteProtectionTest, ANewVersionNeedsItsRunAndSourceReadable) {
  protect(Permission::kNoPermissions);
  store_.put_model_grant("model", alice_.id, "EDIT");
  store_.put_experiment_grant("1", alice_.id, "READ");
  const std::string create = kApi + "model-versions/create";
  EXPECT_EQ(post(alice_, create, {{"name", "model"}, {"source", "s3://bucket/model"}}), 200);
  EXPECT_EQ(post(alice_, create, {{"name", "model"}, {"source", "runs:/run-1/model"}, {"run_id", "run-1"}}), 200);
  EXPECT_EQ(post(alice_, create, {{"name", "model"}, {"source", "runs:/run-2/model"}}), 403);
  EXPECT_EQ(post(alice_, create, {{"name", "model"}, {"source", "s3://bucket/model"}, {"run_id", "run-2"}}), 403);
  EXPECT_EQ(post(alice_, create, {{"name", "model"}, {"source", "mlflow-artifacts:/1/run-1/artifacts/model"}}), 200);
  EXPECT_EQ(post(alice_, create, {{"name", "model"}, {"source", "mlflow-artifacts:/2/run-2/artifacts/model"}}), 403);
  EXPECT_EQ(post(alice_, create, {{"name", "model"}, {"source", "mlflow-artifacts:/elsewhere/model"}}), 403);
  EXPECT_EQ(post(alice_, create, {{"name", "model"}, {"source", "models:/m-1"}}), 200);
  // The model's grant still decides first.
  EXPECT_EQ(post(bob_, create, {{"name", "model"}, {"source", "s3://bucket/model"}}), 403);
}

TEST_F(RouteProtectionTest, LoggedModelsFollowTheirExperiment) {
  protect(Permission::kNoPermissions);
  store_.put_experiment_grant("1", alice_.id, "EDIT");
  EXPECT_EQ(get(alice_, kApi + "logged-models/m-1", {}), 200);
  EXPECT_EQ(status(alice_, "PATCH", kApi + "logged-models/m-1", {}, {{"model_id", "m-1"}}), 200);
  EXPECT_EQ(status(alice_, "DELETE", kApi + "logged-models/m-1"), 403);
  EXPECT_EQ(status(alice_, "DELETE", kApi + "logged-models/m-1/tags/k"), 403);
  EXPECT_EQ(get(alice_, kApi + "logged-models/m-2", {}), 404);
  EXPECT_EQ(post(alice_, kApi + "logged-models", {{"experiment_id", "1"}}), 200);
  EXPECT_EQ(post(alice_, kApi + "logged-models", {{"experiment_id", "2"}}), 403);
  EXPECT_EQ(post(alice_, kApi + "logged-models/search", {{"experiment_ids", {"1"}}}), 200);
  EXPECT_EQ(last_scope_.experiments.kind(), search::IdScope::Kind::kOnly);
}

TEST_F(RouteProtectionTest, SearchesAreNarrowedToReadableExperimentsWithAReadableDefault) {
  protect(Permission::kRead);
  store_.put_experiment_grant("1", alice_.id, "NO_PERMISSIONS");
  store_.put_experiment_grant("2", alice_.id, "EDIT");
  store_.put_experiment_grant("3", alice_.id, "SUPERUSER");
  EXPECT_EQ(post(alice_, kApi + "runs/search", Json::object()), 200);
  EXPECT_EQ(last_scope_.experiments.kind(), search::IdScope::Kind::kAllExcept);
  EXPECT_EQ(last_scope_.experiments.ids(), (std::vector<std::string>{"1", "3"}));
  EXPECT_TRUE(last_scope_.registered_models.is_all());
}

TEST_F(RouteProtectionTest, SearchesAreNarrowedToGrantedExperimentsWithoutAReadableDefault) {
  protect(Permission::kNoPermissions);
  store_.put_experiment_grant("1", alice_.id, "NO_PERMISSIONS");
  store_.put_experiment_grant("2", alice_.id, "READ");
  store_.put_experiment_grant("4", bob_.id, "READ");
  EXPECT_EQ(post(alice_, std::string(kStaticPrefix) + "/ajax-api/2.0/mlflow/experiments/search-datasets",
                 {{"experiment_ids", {"1", "2"}}}),
            200);
  EXPECT_EQ(last_scope_.experiments.kind(), search::IdScope::Kind::kOnly);
  EXPECT_EQ(last_scope_.experiments.ids(), (std::vector<std::string>{"2"}));
}

TEST_F(RouteProtectionTest, RegistrySearchesAreNarrowedByModelName) {
  protect(Permission::kNoPermissions);
  store_.put_model_grant("visible", alice_.id, "MANAGE");
  store_.put_model_grant("hidden", alice_.id, "NO_PERMISSIONS");
  for (const auto& path : {"registered-models/search", "model-versions/search"}) {
    EXPECT_EQ(get(alice_, kApi + path, {}), 200);
    EXPECT_EQ(last_scope_.registered_models.kind(), search::IdScope::Kind::kOnly);
    EXPECT_EQ(last_scope_.registered_models.ids(), (std::vector<std::string>{"visible"}));
    EXPECT_TRUE(last_scope_.experiments.is_all());
  }
}

TEST_F(RouteProtectionTest, CreatorsGetManageOnWhatTheyCreate) {
  protect(Permission::kNoPermissions);
  EXPECT_EQ(post(alice_, kApi + "experiments/create", {{"name", "fresh"}}), 200);
  EXPECT_EQ(store_.experiment_grant_text("7", alice_.id), "MANAGE");
  EXPECT_EQ(post(alice_, kApi + "registered-models/create", {{"name", "model"}}), 200);
  EXPECT_EQ(store_.model_grant_text("model", alice_.id), "MANAGE");
  // A call that failed grants nothing.
  handler_status_ = 400;
  EXPECT_EQ(post(bob_, kApi + "registered-models/create", {{"name", "taken"}}), 400);
  EXPECT_EQ(store_.model_grant_text("taken", bob_.id), std::nullopt);
}

TEST_F(RouteProtectionTest, RenamedModelsKeepTheirGrantsAndDeletedOnesLoseThem) {
  protect(Permission::kNoPermissions);
  store_.put_model_grant("old", alice_.id, "MANAGE");
  store_.put_model_grant("old", bob_.id, "READ");
  EXPECT_EQ(post(alice_, kApi + "registered-models/rename", {{"name", "old"}, {"new_name", "new"}}), 200);
  EXPECT_EQ(store_.model_grant_text("new", alice_.id), "MANAGE");
  EXPECT_EQ(store_.model_grant_text("new", bob_.id), "READ");
  EXPECT_EQ(store_.model_grant_text("old", alice_.id), std::nullopt);
  EXPECT_EQ(status(alice_, "DELETE", kApi + "registered-models/delete", {}, {{"name", "new"}}), 200);
  EXPECT_EQ(store_.model_grant_text("new", alice_.id), std::nullopt);
  EXPECT_EQ(store_.model_grant_text("new", bob_.id), std::nullopt);
}

TEST_F(RouteProtectionTest, AGrantThatCannotBeWrittenIsReportedAndTheAnswerStands) {
  protect(Permission::kNoPermissions);
  store_.fail_writes = true;
  EXPECT_EQ(post(alice_, kApi + "experiments/create", {{"name", "fresh"}}), 200);
  ASSERT_EQ(warnings_.size(), 1U);
  EXPECT_NE(warnings_.front().find("alice"), std::string::npos);
}

TEST_F(RouteProtectionTest, HealthIsOpenAndVersionNeedsOnlyASignedInUser) {
  protect(Permission::kNoPermissions);
  EXPECT_EQ(get(alice_, std::string(kStaticPrefix) + "/health", {}), 200);
  EXPECT_EQ(get(alice_, std::string(kStaticPrefix) + "/version", {}), 200);
}

}  // namespace
}  // namespace mlflowcpp::server::auth
