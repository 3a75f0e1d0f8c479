// Experiments endpoints over real HTTP, plus the server-wide basics (/health,
// /version, the ajax-api mirror, gateway-proxy).

#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "integration/tracking_api.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

using testing::url_encode;

class ExperimentsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    work_dir_ = std::make_unique<testing::TempDir>();
    testing::ServerOptions options;
    options.work_dir = work_dir_->path();
    // One root beyond the server's own, for the tests of given artifact locations.
    options.extra_args = {"--allowed-artifact-roots", (work_dir_->path() / "custom-root").string()};
    server_ = std::make_unique<testing::ServerProcess>(options);
  }
  static void TearDownTestSuite() {
    server_.reset();
    work_dir_.reset();
  }

  // Names unique across the tests of this file (they share one server).
  std::string unique_name(const std::string& stem) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return std::string(info->name()) + "-" + stem;
  }

  HttpClient http_ = server_->client();
  TrackingApi api_{http_};
  static std::unique_ptr<testing::TempDir> work_dir_;
  static std::unique_ptr<testing::ServerProcess> server_;
};

std::unique_ptr<testing::TempDir> ExperimentsTest::work_dir_;
std::unique_ptr<testing::ServerProcess> ExperimentsTest::server_;

TEST_F(ExperimentsTest, HealthAnswersOk) {
  auto response = http_.get("/health");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "OK");
  EXPECT_EQ(response.content_type().rfind("text/plain", 0), 0u) << response.content_type();
}

TEST_F(ExperimentsTest, VersionIsTheProtocolVersion) {
  auto response = http_.get("/version");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "2.9.2");
}

TEST_F(ExperimentsTest, DefaultExperimentExists) {
  Json experiment = api_.get_experiment("0");
  EXPECT_EQ(experiment.value("name", ""), "Default");
  EXPECT_EQ(experiment.value("lifecycle_stage", ""), "active");
  EXPECT_EQ(experiment.value("artifact_location", ""), "mlflow-artifacts:/0");
}

TEST_F(ExperimentsTest, CreateThenGetHasTheOfficialShape) {
  auto created = http_.post(kApi + "/experiments/create",
                            {{"name", unique_name("e")}, {"tags", {{{"key", "team"}, {"value", "cv"}}}}});
  ASSERT_TRUE(IsOk(created));
  EXPECT_EQ(created.content_type().rfind("application/json", 0), 0u) << created.content_type();
  ASSERT_TRUE(created.json["experiment_id"].is_string()) << created.body;
  const std::string id = created.json["experiment_id"];
  EXPECT_EQ(created.json.size(), 1u) << created.body;

  auto got = http_.get(kApi + "/experiments/get?experiment_id=" + id);
  ASSERT_TRUE(IsOk(got));
  const Json& experiment = got.json["experiment"];
  EXPECT_EQ(experiment["experiment_id"], id);
  EXPECT_EQ(experiment["name"], unique_name("e"));
  EXPECT_EQ(experiment["artifact_location"], "mlflow-artifacts:/" + id);
  EXPECT_EQ(experiment["lifecycle_stage"], "active");
  EXPECT_TRUE(experiment["creation_time"].is_number_integer()) << got.body;
  EXPECT_TRUE(experiment["last_update_time"].is_number_integer()) << got.body;
  EXPECT_EQ(experiment["tags"], Json::parse(R"([{"key":"team","value":"cv"}])"));

  auto by_name = http_.get(kApi + "/experiments/get-by-name?experiment_name=" + url_encode(unique_name("e")));
  ASSERT_TRUE(IsOk(by_name));
  EXPECT_EQ(by_name.json["experiment"], experiment);
}

TEST_F(ExperimentsTest, CreateRejectsMissingEmptyAndDuplicateNames) {
  auto missing = http_.post(kApi + "/experiments/create", Json::object());
  EXPECT_TRUE(IsError(missing, 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_EQ(missing.content_type().rfind("application/json", 0), 0u) << missing.content_type();
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/create", {{"name", ""}}), 400, "INVALID_PARAMETER_VALUE"));
  api_.create_experiment(unique_name("dup"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/create", {{"name", unique_name("dup")}}), 400,
                      "RESOURCE_ALREADY_EXISTS"));
}

TEST_F(ExperimentsTest, CreateRejectsRunsArtifactLocation) {
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/create",
                                 {{"name", unique_name("e")}, {"artifact_location", "runs:/abc/x"}}),
                      400, "INVALID_PARAMETER_VALUE"));
}

TEST_F(ExperimentsTest, CreateKeepsAGivenArtifactLocation) {
  const std::string location = (server_->work_dir() / "custom-root").string();
  std::string id = api_.create_experiment(unique_name("e"), {{"artifact_location", location}});
  EXPECT_EQ(api_.get_experiment(id).value("artifact_location", ""), location);
}

TEST_F(ExperimentsTest, CreateRefusesLocationsOutsideTheArtifactRoots) {
  const std::string root = (server_->work_dir() / "custom-root").string();
  for (const std::string& location : std::vector<std::string>{"/etc", "file:///etc", root + "-other", root + "/../mlflow.db", "file://" + root + "/%2e%2e/x",
        "s3://bucket/x", "gs://bucket/x", server_->work_dir().string()}) {
    auto refused = http_.post(kApi + "/experiments/create", {{"name", unique_name(location)}, {"artifact_location", location}});
    EXPECT_TRUE(IsError(refused, 400, "INVALID_PARAMETER_VALUE")) << location;
    EXPECT_NE(refused.json.value("message", "").find("outside the artifact roots"), std::string::npos) << refused.body;
  }
  for (const std::string& location : std::vector<std::string>{root + "/a", "file://" + root + "/b/", "mlflow-artifacts:/x"}) {
    EXPECT_TRUE(IsOk(http_.post(kApi + "/experiments/create",
                                {{"name", unique_name(location)}, {"artifact_location", location}})))
        << location;
  }
}

TEST_F(ExperimentsTest, UnknownExperimentsAreNotFound) {
  EXPECT_TRUE(IsError(http_.get(kApi + "/experiments/get?experiment_id=987654321"), 404, "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(http_.get(kApi + "/experiments/get?experiment_id=abc"), 404, "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(http_.get(kApi + "/experiments/get-by-name?experiment_name=no-such-experiment"), 404,
                      "RESOURCE_DOES_NOT_EXIST"));
}

TEST_F(ExperimentsTest, DeleteAndRestoreFollowTheLifecycleRules) {
  const std::string name = unique_name("e");
  const std::string id = api_.create_experiment(name);
  const std::string run_id = api_.create_run(id);
  const int64_t created_update_time = api_.get_experiment(id).value("last_update_time", int64_t{0});

  // Restoring an active experiment: 404.
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/restore", {{"experiment_id", id}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));

  EXPECT_TRUE(IsOk(http_.post(kApi + "/experiments/delete", {{"experiment_id", id}})));
  Json deleted = api_.get_experiment(id);  // get still returns it
  EXPECT_EQ(deleted.value("lifecycle_stage", ""), "deleted");
  EXPECT_GE(deleted.value("last_update_time", int64_t{0}), created_update_time);
  auto by_name = http_.get(kApi + "/experiments/get-by-name?experiment_name=" + url_encode(name));
  ASSERT_TRUE(IsOk(by_name));
  EXPECT_EQ(by_name.json["experiment"]["lifecycle_stage"], "deleted");
  // Its active runs were deleted with it.
  EXPECT_EQ(api_.get_run(run_id)["info"].value("lifecycle_stage", ""), "deleted");

  // Deleting twice: 404. Re-creating the name: already exists.
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/delete", {{"experiment_id", id}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/create", {{"name", name}}), 400, "RESOURCE_ALREADY_EXISTS"));
  // No runs in a deleted experiment (INVALID_STATE / 500 on 2.9.2: a 4xx here).
  EXPECT_TRUE(IsClientError(http_.post(kApi + "/runs/create", {{"experiment_id", id}, {"start_time", 1}})));
  // Tags only on active experiments.
  EXPECT_TRUE(IsClientError(
      http_.post(kApi + "/experiments/set-experiment-tag", {{"experiment_id", id}, {"key", "k"}, {"value", "v"}})));

  EXPECT_TRUE(IsOk(http_.post(kApi + "/experiments/restore", {{"experiment_id", id}})));
  EXPECT_EQ(api_.get_experiment(id).value("lifecycle_stage", ""), "active");
  EXPECT_EQ(api_.get_run(run_id)["info"].value("lifecycle_stage", ""), "active");
}

TEST_F(ExperimentsTest, DeleteOfUnknownExperimentIsNotFound) {
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/delete", {{"experiment_id", "987654321"}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/delete", Json::object()), 400, "INVALID_PARAMETER_VALUE"));
}

TEST_F(ExperimentsTest, UpdateRenames) {
  const std::string id = api_.create_experiment(unique_name("old"));
  auto renamed = http_.post(kApi + "/experiments/update", {{"experiment_id", id}, {"new_name", unique_name("new")}});
  ASSERT_TRUE(IsOk(renamed));
  EXPECT_EQ(renamed.json, Json::object());
  EXPECT_EQ(api_.get_experiment(id).value("name", ""), unique_name("new"));

  // Onto an existing name: 400 BAD_REQUEST (as observed on 2.9.2).
  api_.create_experiment(unique_name("taken"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/update", {{"experiment_id", id}, {"new_name", unique_name("taken")}}),
                      400, "BAD_REQUEST"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/update", {{"experiment_id", id}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/update", {{"experiment_id", "987654321"}, {"new_name", "x"}}),
                      404, "RESOURCE_DOES_NOT_EXIST"));

  // A deleted experiment cannot be renamed.
  EXPECT_TRUE(IsOk(http_.post(kApi + "/experiments/delete", {{"experiment_id", id}})));
  EXPECT_TRUE(IsClientError(
      http_.post(kApi + "/experiments/update", {{"experiment_id", id}, {"new_name", unique_name("again")}})));
}

TEST_F(ExperimentsTest, ExperimentTagsSetOverwriteAndDelete) {
  const std::string id = api_.create_experiment(unique_name("e"));
  auto set = http_.post(kApi + "/experiments/set-experiment-tag", {{"experiment_id", id}, {"key", "k"}, {"value", "1"}});
  ASSERT_TRUE(IsOk(set));
  EXPECT_EQ(set.json, Json::object());
  ASSERT_TRUE(IsOk(
      http_.post(kApi + "/experiments/set-experiment-tag", {{"experiment_id", id}, {"key", "k"}, {"value", "2"}})));
  EXPECT_EQ(api_.get_experiment(id)["tags"], Json::parse(R"([{"key":"k","value":"2"}])"));

  // Value up to 5000 characters (code points, here two bytes each); key up to 250.
  const std::string value_5000 = [] { std::string s; for (int i = 0; i < 5000; ++i) s += "é"; return s; }();
  EXPECT_TRUE(IsOk(http_.post(kApi + "/experiments/set-experiment-tag",
                              {{"experiment_id", id}, {"key", "long"}, {"value", value_5000}})));
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/set-experiment-tag",
                                 {{"experiment_id", id}, {"key", "long"}, {"value", value_5000 + "é"}}),
                      400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/set-experiment-tag",
                                 {{"experiment_id", id}, {"key", std::string(251, 'k')}, {"value", "v"}}),
                      400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(
      http_.post(kApi + "/experiments/set-experiment-tag", {{"experiment_id", "987654321"}, {"key", "k"}, {"value", "v"}}),
      404, "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/set-experiment-tag", {{"experiment_id", id}, {"value", "v"}}),
                      400, "INVALID_PARAMETER_VALUE"));

  auto deleted = http_.post(kApi + "/experiments/delete-experiment-tag", {{"experiment_id", id}, {"key", "k"}});
  ASSERT_TRUE(IsOk(deleted));
  Json tags = api_.get_experiment(id).value("tags", Json::array());
  for (const auto& tag : tags) EXPECT_NE(tag.value("key", ""), "k") << tags.dump();
}

TEST_F(ExperimentsTest, SearchRequiresMaxResults) {
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/search", Json::object()), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_.get(kApi + "/experiments/search"), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/search", {{"max_results", 50001}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsOk(http_.post(kApi + "/experiments/search", {{"max_results", 50000}})));
}

TEST_F(ExperimentsTest, SearchOrdersNewestFirstAndPages) {
  const std::string prefix = unique_name("p");
  std::set<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.insert(api_.create_experiment(prefix + std::to_string(i)));
  const std::string filter = "name LIKE '" + prefix + "%'";

  Json everything = Json::array();
  std::string token;
  std::vector<size_t> page_sizes;
  for (int page = 0; page < 5; ++page) {
    Json body = {{"max_results", 3}, {"filter", filter}};
    if (!token.empty()) body["page_token"] = token;
    auto response = http_.post(kApi + "/experiments/search", body);
    ASSERT_TRUE(IsOk(response));
    Json experiments = response.json.value("experiments", Json::array());
    page_sizes.push_back(experiments.size());
    for (auto& experiment : experiments) everything.push_back(experiment);
    token = response.json.value("next_page_token", "");
    if (token.empty()) break;
  }
  // 4 matches in pages of 3: a token after the full first page, none after the last.
  EXPECT_EQ(page_sizes, (std::vector<size_t>{3, 1}));
  std::set<std::string> found;
  for (const auto& experiment : everything) found.insert(experiment.value("experiment_id", ""));
  EXPECT_EQ(found, ids);
  // Default order: creation_time DESC, then experiment_id ASC.
  for (size_t i = 1; i < everything.size(); ++i) {
    int64_t previous = everything[i - 1]["creation_time"], current = everything[i]["creation_time"];
    EXPECT_GE(previous, current) << everything.dump();
    if (previous == current) {
      EXPECT_LT(std::stoll(everything[i - 1]["experiment_id"].get<std::string>()),
                std::stoll(everything[i]["experiment_id"].get<std::string>()));
    }
  }

  // A full last page carries no token on experiments/search.
  auto exact = http_.post(kApi + "/experiments/search", {{"max_results", 4}, {"filter", filter}});
  ASSERT_TRUE(IsOk(exact));
  EXPECT_EQ(exact.json.value("experiments", Json::array()).size(), 4u);
  EXPECT_FALSE(exact.json.contains("next_page_token")) << exact.body;
}

TEST_F(ExperimentsTest, SearchOrderByName) {
  const std::string prefix = unique_name("o");
  for (const char* suffix : {"b", "c", "a"}) api_.create_experiment(prefix + suffix);
  auto response = http_.post(kApi + "/experiments/search",
                             {{"max_results", 10}, {"filter", "name LIKE '" + prefix + "%'"}, {"order_by", {"name DESC"}}});
  ASSERT_TRUE(IsOk(response));
  std::vector<std::string> names;
  for (const auto& experiment : response.json.value("experiments", Json::array())) names.push_back(experiment["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{prefix + "c", prefix + "b", prefix + "a"}));
}

TEST_F(ExperimentsTest, SearchRejectsGarbagePageTokenAndBadFilters) {
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/search", {{"max_results", 10}, {"page_token", "garbage!!"}}),
                      400, "INVALID_PARAMETER_VALUE"));
  // A bad comparator is a 500 on 2.9.2: 400 here.
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/search", {{"max_results", 10}, {"filter", "name > 'x'"}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/search", {{"max_results", 10}, {"filter", "name = "}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/experiments/search", {{"max_results", 10}, {"order_by", {"bogus_column"}}}),
                      400, "INVALID_PARAMETER_VALUE"));
}

TEST_F(ExperimentsTest, SearchByTagAndViewType) {
  const std::string active = api_.create_experiment(unique_name("active"), {{"tags", {{{"key", "grp"}, {"value", unique_name("g")}}}}});
  const std::string gone = api_.create_experiment(unique_name("gone"), {{"tags", {{{"key", "grp"}, {"value", unique_name("g")}}}}});
  ASSERT_TRUE(IsOk(http_.post(kApi + "/experiments/delete", {{"experiment_id", gone}})));
  const std::string filter = "tags.grp = '" + unique_name("g") + "'";

  auto ids_for = [&](const Json& extra) {
    Json body = {{"max_results", 100}, {"filter", filter}};
    body.update(extra);
    auto response = http_.post(kApi + "/experiments/search", body);
    EXPECT_TRUE(IsOk(response));
    std::set<std::string> ids;
    for (const auto& e : response.json.value("experiments", Json::array())) ids.insert(e.value("experiment_id", ""));
    return ids;
  };
  EXPECT_EQ(ids_for(Json::object()), (std::set<std::string>{active}));
  EXPECT_EQ(ids_for({{"view_type", "DELETED_ONLY"}}), (std::set<std::string>{gone}));
  EXPECT_EQ(ids_for({{"view_type", "ALL"}}), (std::set<std::string>{active, gone}));
  EXPECT_EQ(ids_for({{"view_type", 3}}), (std::set<std::string>{active, gone}));  // enum by number

  // The same through GET query parameters.
  auto by_get = http_.get(kApi + "/experiments/search?max_results=100&view_type=ALL&filter=" + url_encode(filter));
  ASSERT_TRUE(IsOk(by_get));
  EXPECT_EQ(by_get.json.value("experiments", Json::array()).size(), 2u) << by_get.body;
}

TEST_F(ExperimentsTest, SearchNameLikeIsCaseSensitiveIlikeIsNot) {
  const std::string name = unique_name("CaseName");
  api_.create_experiment(name);
  auto count = [&](const std::string& filter) {
    auto response = http_.post(kApi + "/experiments/search", {{"max_results", 100}, {"filter", filter}});
    EXPECT_TRUE(IsOk(response));
    return response.json.value("experiments", Json::array()).size();
  };
  EXPECT_EQ(count("name LIKE '%casename'"), 0u);
  EXPECT_EQ(count("name ILIKE '%casename'"), 1u);
  EXPECT_EQ(count("name = '" + name + "'"), 1u);
}

TEST_F(ExperimentsTest, GetQueryStringParsing) {
  const std::string prefix = unique_name("q");
  api_.create_experiment(prefix + " one");
  api_.create_experiment(prefix + " two");
  const auto names_for = [&](const std::string& query) {
    auto response = http_.get(kApi + "/experiments/search?" + query);
    EXPECT_TRUE(IsOk(response)) << query;
    std::vector<std::string> names;
    for (const auto& e : response.json.value("experiments", Json::array())) names.push_back(e.value("name", ""));
    return names;
  };
  // '+' is a space in a query string; %-escapes decode; unknown parameters are ignored.
  EXPECT_EQ(names_for("max_results=10&filter=name+%3D+%27" + url_encode(prefix) + "+one%27&ignored=1"),
            std::vector<std::string>{prefix + " one"});
  // Repeated keys make a list (order_by), a tie-break after it.
  EXPECT_EQ(names_for("max_results=10&filter=" + url_encode("name LIKE '" + prefix + "%'") +
                      "&order_by=name+DESC&order_by=creation_time"),
            (std::vector<std::string>{prefix + " two", prefix + " one"}));
  EXPECT_EQ(names_for("max_results=1&filter=" + url_encode("name LIKE '" + prefix + "%'") + "&order_by=name"),
            std::vector<std::string>{prefix + " one"});
  // Enum names and numbers both work in a query string.
  EXPECT_EQ(names_for("max_results=10&view_type=DELETED_ONLY&filter=" + url_encode("name LIKE '" + prefix + "%'")),
            std::vector<std::string>{});
  EXPECT_EQ(names_for("max_results=10&view_type=3&filter=" + url_encode("name LIKE '" + prefix + "%'")).size(), 2u);
}

TEST_F(ExperimentsTest, AjaxApiMirrorsTheRestApi) {
  const std::string id = api_.create_experiment(unique_name("e"));
  auto rest = http_.get(kApi + "/experiments/get?experiment_id=" + id);
  auto ajax = http_.get(kAjax + "/experiments/get?experiment_id=" + id);
  ASSERT_TRUE(IsOk(ajax));
  EXPECT_EQ(ajax.json, rest.json);
  auto created = http_.post(kAjax + "/experiments/create", {{"name", unique_name("via-ajax")}});
  ASSERT_TRUE(IsOk(created));
  EXPECT_TRUE(created.json.contains("experiment_id"));
  // The web UI sends a JSON content type even on GETs.
  auto ui_get = http_.request("GET", kAjax + "/experiments/get?experiment_id=" + id, "", "application/json");
  EXPECT_TRUE(IsOk(ui_get));
}

// Every tracking route exists under both prefixes with its method: an empty
// request may be refused, but never as an unknown route, a wrong method or a 5xx.
TEST_F(ExperimentsTest, EveryTrackingEndpointIsRoutedUnderBothPrefixes) {
  const std::vector<std::pair<std::string, std::string>> endpoints = {
      {"POST", "/experiments/create"},         {"GET", "/experiments/search"},
      {"POST", "/experiments/search"},         {"GET", "/experiments/get"},
      {"GET", "/experiments/get-by-name"},     {"POST", "/experiments/delete"},
      {"POST", "/experiments/restore"},        {"POST", "/experiments/update"},
      {"POST", "/experiments/set-experiment-tag"}, {"POST", "/experiments/delete-experiment-tag"},
      {"POST", "/runs/create"},                {"POST", "/runs/update"},
      {"POST", "/runs/delete"},                {"POST", "/runs/restore"},
      {"GET", "/runs/get"},                    {"POST", "/runs/search"},
      {"POST", "/runs/log-model"},             {"POST", "/runs/log-metric"},
      {"POST", "/runs/log-parameter"},         {"POST", "/runs/set-tag"},
      {"POST", "/runs/delete-tag"},            {"POST", "/runs/log-batch"},
      {"POST", "/runs/log-inputs"},            {"GET", "/metrics/get-history"},
      {"GET", "/metrics/get-history-bulk-interval"}, {"GET", "/artifacts/list"},
  };
  const auto routed = [](const HttpResponse& response) {
    return response.status != 0 && response.status != 405 && response.status < 500 &&
           response.error_code() != "ENDPOINT_NOT_FOUND";
  };
  for (const auto& base : {kApi, kAjax}) {
    for (const auto& [method, path] : endpoints) {
      auto response = method == "GET" ? http_.get(base + path) : http_.post(base + path, Json::object());
      EXPECT_TRUE(routed(response)) << method << " " << base << path << ": " << response.describe();
    }
  }
  // Routes the web UI calls that exist on the ajax prefix only.
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"POST", "/experiments/search-datasets"}, {"GET", "/metrics/get-history-bulk"}, {"GET", "/gateway-proxy"}}) {
    auto response = method == "GET" ? http_.get(kAjax + path) : http_.post(kAjax + path, Json::object());
    EXPECT_TRUE(routed(response)) << method << " " << kAjax << path << ": " << response.describe();
  }
}

TEST_F(ExperimentsTest, GatewayProxyAnswersNoEndpoints) {
  auto response = http_.get(kAjax + "/gateway-proxy?gateway_path=api/2.0/endpoints/");
  ASSERT_TRUE(IsOk(response));
  EXPECT_EQ(response.json, Json::parse(R"({"endpoints": []})"));
}

}  // namespace
}  // namespace mlflowcpp::integration
