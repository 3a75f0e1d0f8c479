// The search routes over real HTTP pass the request's read scope on to the
// stores: a filter standing in for the basic-auth app narrows the scope, and
// experiments, runs, logged models, dataset summaries, registered models and
// model versions come back narrowed, in full pages; validation answers as before.

#include "http_test_server.hpp"
#include "unit/http/serving_thread.hpp"

#include "server/http/filter.hpp"
#include "server/http/logged_model_handlers.hpp"
#include "server/http/registry_handlers.hpp"
#include "server/http/request.hpp"
#include "server/service/logged_model_service.hpp"
#include "server/service/registry_service.hpp"

#include <fmt/format.h>

#include <cctype>
#include <mutex>
#include <set>

namespace mlflowcpp::server::http::testing {
namespace {

using protocol::Json;

const std::string kApi = "/api/2.0/mlflow/";
const std::string kAjax = "/ajax-api/2.0/mlflow/";

// Gives every request the read scope the test set last, as authorization would.
class ScopeFilter final : public Filter {
 public:
  void set(ReadScope scope) {
    std::lock_guard<std::mutex> lock(mutex_);
    scope_ = std::move(scope);
  }
  FilterAction before(Request& request, Reply&) override {
    std::lock_guard<std::mutex> lock(mutex_);
    request.set_read_scope(scope_);
    return FilterAction::kContinue;
  }

 private:
  std::mutex mutex_;
  ReadScope scope_;
};

// Tracking, registry and logged-model routes over a fresh SQLite database, behind a ScopeFilter.
class ScopedServer {
 public:
  ScopedServer()
      : stores_(open_backend_stores("sqlite:///" + (directory_.path() / "mlflow.db").string(), "mlflow-artifacts:/")),
        lister_((directory_.path() / "mlartifacts").string(), ArtifactRoots::any()),
        tracking_(*stores_.tracking, lister_),
        registry_(*stores_.registry, roots_),
        logged_models_(*stores_.logged_models),
        server_handlers_(""),
        tracking_handlers_(tracking_),
        registry_handlers_(registry_),
        logged_model_handlers_(logged_models_, lister_, stores_.tracking->schema_generation()),
        scope_(std::make_shared<ScopeFilter>()),
        server_(options(scope_), std::cerr) {
    server_.add_routes(server_handlers_);
    server_.add_routes(tracking_handlers_);
    server_.add_routes(registry_handlers_);
    server_.add_routes(logged_model_handlers_);
    serving_.emplace(server_);
  }

  void set_scope(ReadScope scope) { scope_->set(std::move(scope)); }

  JsonResponse get(const std::string& path) { return TestServer::to_json_response(serving_->client().Get(path)); }
  JsonResponse post(const std::string& path, const Json& body) {
    return TestServer::to_json_response(serving_->client().Post(path, protocol::dump(body), "application/json"));
  }
  Json ok(const JsonResponse& response) {
    EXPECT_EQ(response.status, 200) << response.body;
    return response.json;
  }

 private:
  static HttpServerOptions options(std::shared_ptr<Filter> scope) {
    HttpServerOptions options;
    options.authentication = std::move(scope);
    return options;
  }

  TempDirectory directory_;
  BackendStores stores_;
  ArtifactRoots roots_ = ArtifactRoots::any();
  ArtifactLister lister_;
  TrackingService tracking_;
  RegistryService registry_;
  LoggedModelService logged_models_;
  ServerHandlers server_handlers_;
  TrackingHandlers tracking_handlers_;
  RegistryHandlers registry_handlers_;
  LoggedModelHandlers logged_model_handlers_;
  std::shared_ptr<ScopeFilter> scope_;
  HttpServer server_;
  std::optional<ServingThread> serving_;  // last: stops serving before the rest goes
};

// A page token in a query string: base64 carries '+', '/' and '='.
std::string query_encoded(const std::string& text) {
  std::string encoded;
  for (const unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.') {
      encoded += static_cast<char>(c);
    } else {
      encoded += fmt::format("%{:02X}", c);
    }
  }
  return encoded;
}

std::set<std::string> values_of(const Json& items, const std::function<std::string(const Json&)>& value) {
  std::set<std::string> values;
  for (const auto& item : items) values.insert(value(item));
  return values;
}

class ReadScopeRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"a", "b", "c"}) {
      const std::string id =
          server_.ok(server_.post(kApi + "experiments/create", Json{{"name", name}})).value("experiment_id", "");
      experiments_.push_back(id);
      const Json run = server_.ok(server_.post(kApi + "runs/create", Json{{"experiment_id", id}}));
      const std::string run_id = run["run"]["info"].value("run_id", "");
      runs_.push_back(run_id);
      server_.ok(
          server_.post(kApi + "runs/log-inputs",
                       Json{{"run_id", run_id},
                            {"datasets", Json::array({Json{{"dataset", Json{{"name", std::string("data-") + name},
                                                                            {"digest", "d"},
                                                                            {"source_type", "local"},
                                                                            {"source", "s"}}}}})}}));
      server_.ok(
          server_.post(kApi + "logged-models", Json{{"experiment_id", id}, {"name", std::string("lm-") + name}}));
      server_.ok(server_.post(kApi + "registered-models/create", Json{{"name", std::string("model-") + name}}));
      server_.ok(server_.post(kApi + "model-versions/create",
                              Json{{"name", std::string("model-") + name}, {"source", "s3://bucket/m"}}));
    }
  }

  std::set<std::string> experiment_ids(const std::string& prefix) {
    const Json body = server_.ok(server_.get(prefix + "experiments/search?max_results=1000"));
    return values_of(body.value("experiments", Json::array()),
                     [](const Json& experiment) { return experiment.value("experiment_id", ""); });
  }

  Json searched_runs(const Json& body) { return server_.ok(server_.post(kApi + "runs/search", body)); }

  ScopedServer server_;
  std::vector<std::string> experiments_;
  std::vector<std::string> runs_;
};

TEST_F(ReadScopeRoutes, TheDefaultScopeNarrowsNothing) {
  EXPECT_EQ(experiment_ids(kApi), (std::set<std::string>{"0", experiments_[0], experiments_[1], experiments_[2]}));
  EXPECT_EQ(searched_runs(Json{{"experiment_ids", experiments_}}).value("runs", Json::array()).size(), 3U);
}

TEST_F(ReadScopeRoutes, TrackingSearchesAreNarrowedToTheExperimentScope) {
  ReadScope scope;
  scope.experiments = search::IdScope::only({experiments_[0], experiments_[2]});
  server_.set_scope(scope);
  const std::set<std::string> readable{experiments_[0], experiments_[2]};
  EXPECT_EQ(experiment_ids(kApi), readable);
  EXPECT_EQ(experiment_ids(kAjax), readable);

  // One run per page: two full pages, then the last (empty, as the official server's paging has it).
  std::set<std::string> run_ids;
  std::string token;
  for (int page = 0; page < 5; ++page) {
    Json request{{"experiment_ids", experiments_}, {"max_results", 1}};
    if (!token.empty()) request["page_token"] = token;
    const Json body = searched_runs(request);
    for (const auto& run : body.value("runs", Json::array())) {
      EXPECT_TRUE(run_ids.insert(run["info"].value("run_id", "")).second);
    }
    token = body.value("next_page_token", "");
    if (token.empty()) break;
  }
  EXPECT_EQ(run_ids, (std::set<std::string>{runs_[0], runs_[2]}));

  const Json models = server_.ok(server_.post(kApi + "logged-models/search", Json{{"experiment_ids", experiments_}}));
  EXPECT_EQ(values_of(models.value("models", Json::array()),
                      [](const Json& model) { return model["info"].value("name", ""); }),
            (std::set<std::string>{"lm-a", "lm-c"}));

  const Json datasets =
      server_.ok(server_.post(kAjax + "experiments/search-datasets", Json{{"experiment_ids", experiments_}}));
  EXPECT_EQ(values_of(datasets.value("dataset_summaries", Json::array()),
                      [](const Json& summary) { return summary.value("name", ""); }),
            (std::set<std::string>{"data-a", "data-c"}));
}

TEST_F(ReadScopeRoutes, NothingReadableIsAnEmptyAnswerNotAnError) {
  ReadScope scope;
  scope.experiments = search::IdScope::only({experiments_[0]});
  server_.set_scope(scope);
  const std::vector<std::string> hidden{experiments_[1]};
  EXPECT_EQ(searched_runs(Json{{"experiment_ids", hidden}}).value("runs", Json::array()).size(), 0U);
  const Json models = server_.ok(server_.post(kApi + "logged-models/search", Json{{"experiment_ids", hidden}}));
  EXPECT_TRUE(models.value("models", Json::array()).empty()) << models.dump();
  EXPECT_FALSE(models.contains("next_page_token"));
  const Json datasets =
      server_.ok(server_.post(kAjax + "experiments/search-datasets", Json{{"experiment_ids", hidden}}));
  EXPECT_TRUE(datasets.value("dataset_summaries", Json::array()).empty()) << datasets.dump();

  // Validation comes first: its messages are those of an unscoped request.
  const JsonResponse no_ids = server_.post(kApi + "logged-models/search", Json::object());
  EXPECT_EQ(no_ids.status, 400) << no_ids.body;
  EXPECT_NE(no_ids.json.value("message", "").find("experiment_ids"), std::string::npos) << no_ids.body;
  const JsonResponse no_dataset_ids = server_.post(kAjax + "experiments/search-datasets", Json::object());
  EXPECT_EQ(no_dataset_ids.status, 400) << no_dataset_ids.body;
  EXPECT_NE(no_dataset_ids.json.value("message", "").find("at least one experiment_id"), std::string::npos);
}

TEST_F(ReadScopeRoutes, RegistrySearchesAreNarrowedToTheModelScope) {
  ReadScope scope;
  scope.registered_models = search::IdScope::all_except({"model-b"});
  server_.set_scope(scope);
  const Json models = server_.ok(server_.get(kApi + "registered-models/search?max_results=1"));
  EXPECT_EQ(models.value("registered_models", Json::array()).size(), 1U);
  std::set<std::string> names;
  std::string token;
  for (int page = 0; page < 5; ++page) {
    const Json body = server_.ok(server_.get(kApi + "registered-models/search?max_results=1" +
                                             (token.empty() ? "" : "&page_token=" + query_encoded(token))));
    for (const auto& model : body.value("registered_models", Json::array())) names.insert(model.value("name", ""));
    token = body.value("next_page_token", "");
    if (token.empty()) break;
  }
  EXPECT_EQ(names, (std::set<std::string>{"model-a", "model-c"}));

  const Json versions = server_.ok(server_.get(kAjax + "model-versions/search"));
  EXPECT_EQ(values_of(versions.value("model_versions", Json::array()),
                      [](const Json& version) { return version.value("name", ""); }),
            (std::set<std::string>{"model-a", "model-c"}));
}

}  // namespace
}  // namespace mlflowcpp::server::http::testing
