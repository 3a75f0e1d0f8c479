// Walks every route the server registers (the handler groups as the server
// assembles them, over a temporary SQLite database) and the basic-auth app's
// own routes: each has a rule and each rule a route; a signed-in user without
// any permission is refused everything but the open and signed-in routes; a
// request without a caller reaches no handler but the open ones.

#include "auth_test_doubles.hpp"
#include "protocol/json_codec.hpp"
#include "server/artifacts/artifact_lister.hpp"
#include "server/auth/auth_handlers.hpp"
#include "server/auth/route_protection.hpp"
#include "server/auth/route_rules.hpp"
#include "server/http/artifact_handlers.hpp"
#include "server/http/logged_model_handlers.hpp"
#include "server/http/metrics_handlers.hpp"
#include "server/http/registry_handlers.hpp"
#include "server/http/router.hpp"
#include "server/http/server_handlers.hpp"
#include "server/http/tracking_handlers.hpp"
#include "server/service/logged_model_service.hpp"
#include "server/service/registry_service.hpp"
#include "server/service/tracking_service.hpp"
#include "server/store/store_factory.hpp"
#include "testing/temp_dir.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mlflowcpp::server::auth {
namespace {

using protocol::Json;
using testing::FakeAuthStore;
using testing::FakeResolver;
using testing::TestRequest;

constexpr const char* kStaticPrefix = "/ui";

// The basic-auth app's routes (its route group registers them). Stand-ins take their place in the
// walk until that group is assembled below with the others.
const std::vector<RouteKey> kAuthAppRoutes = {
    {"GET", "/signup"},
    {"POST", "/api/2.0/mlflow/users/create"},
    {"POST", "/api/2.0/mlflow/users/create-ui"},
    {"GET", "/api/2.0/mlflow/users/get"},
    {"PATCH", "/api/2.0/mlflow/users/update-password"},
    {"PATCH", "/api/2.0/mlflow/users/update-admin"},
    {"DELETE", "/api/2.0/mlflow/users/delete"},
    {"POST", "/api/2.0/mlflow/experiments/permissions/create"},
    {"GET", "/api/2.0/mlflow/experiments/permissions/get"},
    {"PATCH", "/api/2.0/mlflow/experiments/permissions/update"},
    {"DELETE", "/api/2.0/mlflow/experiments/permissions/delete"},
    {"POST", "/api/2.0/mlflow/registered-models/permissions/create"},
    {"GET", "/api/2.0/mlflow/registered-models/permissions/get"},
    {"PATCH", "/api/2.0/mlflow/registered-models/permissions/update"},
    {"DELETE", "/api/2.0/mlflow/registered-models/permissions/delete"},
};

// The rules that let a signed-in user without any grant through (by normalised pattern). Anything
// added here is a deliberate decision: a new route is for someone with a permission.
const std::set<RouteKey> kOpenToEveryone = {{"GET", "/health"}, {"GET", "/static-files/"}};
const std::set<RouteKey> kOpenToSignedIn = {
    {"GET", "/version"},
    {"GET", "/metrics"},  // --expose-prometheus: any signed-in user, as MLflow's auth app
    {"GET", "/"},
    {"GET", ""},
    {"GET", "/api/2.0/mlflow/gateway-proxy"},
    {"POST", "/api/2.0/mlflow/gateway-proxy"},
    {"POST", "/api/2.0/mlflow/experiments/create"},
    {"POST", "/api/2.0/mlflow/registered-models/create"},
    // Searches: narrowed to what the caller may read.
    {"GET", "/api/2.0/mlflow/experiments/search"},
    {"POST", "/api/2.0/mlflow/experiments/search"},
    {"POST", "/api/2.0/mlflow/runs/search"},
    {"POST", "/api/2.0/mlflow/experiments/search-datasets"},
    {"GET", "/api/2.0/mlflow/registered-models/search"},
    {"GET", "/api/2.0/mlflow/model-versions/search"},
};

// Every route group of the server, assembled as the server's main does.
class ServerRoutes {
 public:
  ServerRoutes()
      : stores_(open_backend_stores("sqlite:///" + (directory_ / "mlflow.db").string(),
                                    (directory_ / "artifacts").string())),
        artifacts_((directory_ / "mlartifacts").string(), ArtifactRoots::any()),
        tracking_(*stores_.tracking, artifacts_),
        registry_(*stores_.registry, ArtifactRoots::any()),
        logged_models_(*stores_.logged_models),
        server_handlers_(""),
        tracking_handlers_(tracking_),
        registry_handlers_(registry_),
        artifact_handlers_(tracking_, &registry_),
        logged_model_handlers_(logged_models_, artifacts_, stores_.tracking->schema_generation()) {}

  // `auth_store` backs the auth app's API; it must outlive the routes.
  void register_routes(http::Router& router, AuthStore& auth_store) {
    auth_handlers_.emplace(auth_store, form_tokens_);
    auth_handlers_->register_routes(router);
    server_handlers_.register_routes(router);
    tracking_handlers_.register_routes(router);
    registry_handlers_.register_routes(router);
    artifact_handlers_.register_routes(router);
    logged_model_handlers_.register_routes(router);
    metrics_handlers_.register_routes(router);
  }

 private:
  mlflowcpp::testing::TempDir directory_{"mlflowcpp-route-walk"};
  BackendStores stores_;
  ArtifactLister artifacts_;
  TrackingService tracking_;
  RegistryService registry_;
  LoggedModelService logged_models_;
  http::ServerHandlers server_handlers_;
  http::TrackingHandlers tracking_handlers_;
  http::RegistryHandlers registry_handlers_;
  http::ArtifactHandlers artifact_handlers_;
  http::LoggedModelHandlers logged_model_handlers_;
  http::MetricsHandlers metrics_handlers_{std::make_shared<http::HttpMetrics>("2.9.2", "0.1.0")};
  SignupFormTokens form_tokens_{""};
  std::optional<AuthHandlers> auth_handlers_;
};

struct WalkedRoute {
  std::string method;
  std::string pattern;
  bool prefix = false;
};

class RouteWalkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    routes_.register_routes(router_, store_);
    for (const auto& [method, path] : kAuthAppRoutes) {
      EXPECT_NE(router_.match(method, path).route, nullptr) << "the auth app has no route " << method << " " << path;
    }
    // Every handler only records that it was reached: the walk is about who gets there.
    router_.for_each_route([this](http::Route& route) {
      route.handler = [this](http::Request& request, http::Reply& reply) {
        ++reached_;
        scope_ = request.read_scope();
        reply.json(200, Json::object());
      };
      for (const auto& method : route.methods) {
        if (seen_.insert({method, route.pattern}).second) {
          walked_.push_back({method, route.pattern, route.match == http::PathMatch::kPrefix});
        }
      }
    });
    resolver_.everything_in = "1";
    nobody_ = store_.add_user("nobody");
    ProtectionOptions options;
    options.default_permission = Permission::kNoPermissions;
    options.static_prefix = kStaticPrefix;
    protect_routes(router_, store_, resolver_, options);
  }

  // A request on `route` that names experiment 1, run "r", model "m", user "someone-else".
  static TestRequest request_on(const WalkedRoute& route) {
    std::string path = route.pattern;
    if (route.prefix) {
      if (route.pattern.find("/logged-models/") != std::string::npos) {
        path += route.method == "POST" ? "search" : "m-1";
      } else if (route.pattern.find("/static-files/") != std::string::npos) {
        path += "app.js";
      } else {
        path += "1/r/artifacts/f.txt";
      }
    }
    const std::map<std::string, std::string> fields = {{"experiment_id", "1"}, {"experiment_name", "e"},
                                                       {"run_id", "r"},        {"run_uuid", "r"},
                                                       {"run_ids", "r"},       {"name", "m"},
                                                       {"version", "1"},       {"username", "someone-else"},
                                                       {"path", "1/r"},        {"model_id", "m-1"},
                                                       {"new_name", "m2"}};
    // File routes read the query string whatever the method: the fields go there too.
    http::QueryParams query(fields.begin(), fields.end());
    if (route.method == "GET") return TestRequest(route.method, path, std::move(query));
    Json body = Json::object();
    for (const auto& [key, value] : fields) body[key] = value;
    body["run_ids"] = Json::array({"r"});
    return TestRequest(route.method, path, std::move(query), protocol::dump(body));
  }

  ServerRoutes routes_;
  http::Router router_{kStaticPrefix, 1 << 20};
  FakeAuthStore store_;
  FakeResolver resolver_;
  User nobody_;
  std::set<RouteKey> seen_;
  std::vector<WalkedRoute> walked_;
  int reached_ = 0;
  http::ReadScope scope_;
};

TEST_F(RouteWalkTest, EveryRouteHasARuleAndEveryRuleARoute) {
  // Both API prefixes of every group are there (a walk over nothing would pass).
  EXPECT_TRUE(seen_.count({"GET", std::string(kStaticPrefix) + "/ajax-api/2.0/mlflow/runs/get"}));
  EXPECT_TRUE(seen_.count({"DELETE", "/api/2.0/mlflow/model-versions/delete"}));
  EXPECT_TRUE(seen_.count({"PUT", std::string(kStaticPrefix) + "/ajax-api/2.0/mlflow-artifacts/artifacts/"}));
  EXPECT_TRUE(seen_.count({"PATCH", "/api/2.0/mlflow/logged-models/"}));
  const RouteRules rules = RouteRules::basic_auth();
  std::set<RouteKey> used;
  for (const auto& route : walked_) {
    const auto key = rules.key_of(route.method, route.pattern, kStaticPrefix);
    if (!key) {
      ADD_FAILURE() << "route without a rule: " << route.method << " " << route.pattern;
      continue;
    }
    used.insert(*key);
  }
  for (const auto& [key, rule] : rules.rules()) {
    EXPECT_TRUE(used.count(key)) << "rule without a route: " << key.first << " '" << key.second << "'";
  }
}

TEST_F(RouteWalkTest, TheOpenAndSignedInRoutesAreExactlyTheListedOnes) {
  const RouteRules rules = RouteRules::basic_auth();
  for (const auto& [key, rule] : rules.rules()) {
    const bool open = rule.access == Access::kOpen;
    const bool signed_in = rule.access == Access::kSignedIn || rule.access == Access::kSearch;
    EXPECT_EQ(open, kOpenToEveryone.count(key) == 1) << key.first << " " << key.second;
    EXPECT_EQ(signed_in, kOpenToSignedIn.count(key) == 1) << key.first << " " << key.second;
  }
}

TEST_F(RouteWalkTest, AUserWithoutPermissionsIsRefusedAllButOpenAndSignedInRoutes) {
  const RouteRules rules = RouteRules::basic_auth();
  for (const auto& route : walked_) {
    const auto key = rules.key_of(route.method, route.pattern, kStaticPrefix);
    const bool let_through = key && (kOpenToEveryone.count(*key) || kOpenToSignedIn.count(*key));
    // The logged-model search shares the prefix route of the calls by id.
    const bool logged_model_search =
        route.prefix && route.method == "POST" && route.pattern.find("/logged-models/") != std::string::npos;
    TestRequest request = request_on(route);
    const int reached_before = reached_;
    const auto answer = testing::serve(router_, request, testing::caller_of(nobody_));
    const bool reached = reached_ > reached_before;
    store_.clear_grants();  // what a creation granted must not open the next route
    if (let_through || logged_model_search) {
      EXPECT_TRUE(reached) << route.method << " " << route.pattern << ": " << answer.status << " " << answer.body;
    } else {
      EXPECT_EQ(answer.status, 403) << route.method << " " << route.pattern << ": " << answer.body;
      EXPECT_FALSE(reached) << route.method << " " << route.pattern;
    }
    if (reached && key && rules.rules().at(*key).access == Access::kSearch) {
      // No grant and no readable default: nothing to read.
      const auto& scope =
          rules.rules().at(*key).search == SearchScope::kExperiments ? scope_.experiments : scope_.registered_models;
      EXPECT_EQ(scope.kind(), search::IdScope::Kind::kOnly) << route.pattern;
      EXPECT_TRUE(scope.ids().empty()) << route.pattern;
    }
  }
}

TEST_F(RouteWalkTest, ARequestWithoutACallerReachesOnlyOpenRoutes) {
  const RouteRules rules = RouteRules::basic_auth();
  for (const auto& route : walked_) {
    const auto key = rules.key_of(route.method, route.pattern, kStaticPrefix);
    const bool open = key && kOpenToEveryone.count(*key);
    TestRequest request = request_on(route);
    const int reached_before = reached_;
    const auto answer = testing::serve(router_, request, std::nullopt);
    EXPECT_EQ(reached_ > reached_before, open) << route.method << " " << route.pattern;
    if (!open) {
      EXPECT_EQ(answer.status, 401) << route.method << " " << route.pattern;
    }
  }
}

TEST_F(RouteWalkTest, AnAdminReachesEveryRoute) {
  const User admin = store_.add_user("root", true);
  for (const auto& route : walked_) {
    TestRequest request = request_on(route);
    const int reached_before = reached_;
    const auto answer = testing::serve(router_, request, testing::caller_of(admin));
    EXPECT_GT(reached_, reached_before) << route.method << " " << route.pattern << ": " << answer.body;
  }
}

}  // namespace
}  // namespace mlflowcpp::server::auth
