// runs/search over real HTTP: the filter grammar, order_by, view types and paging.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "integration/tracking_api.hpp"

namespace mlflowcpp::integration {
namespace {

// Four runs with known data; names index them.
class SearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<testing::ServerProcess>();
    HttpClient http = server_->client();
    TrackingApi api(http);
    experiment_id_ = api.create_experiment("search");
    auto make_run = [&](const std::string& name, int64_t start_time, const Json& batch, const std::string& status) {
      std::string id = api.create_run(experiment_id_, {{"run_name", name}, {"start_time", start_time}});
      Json body = batch;
      body["run_id"] = id;
      EXPECT_TRUE(IsOk(http.post(kApi + "/runs/log-batch", body)));
      if (!status.empty()) {
        EXPECT_TRUE(IsOk(http.post(kApi + "/runs/update", {{"run_id", id}, {"status", status}})));
      }
      ids_[name] = id;
    };
    make_run("alpha", 1000, Json::parse(R"({
        "metrics": [{"key":"acc","value":0.9,"timestamp":1},{"key":"loss","value":0.3,"timestamp":1}],
        "params": [{"key":"model","value":"lr"},{"key":"opt","value":"SGD"}],
        "tags": [{"key":"team","value":"ML-core"}]})"),
             "FINISHED");
    make_run("beta", 2000, Json::parse(R"({
        "metrics": [{"key":"acc","value":0.8,"timestamp":1}],
        "params": [{"key":"model","value":"rf"}],
        "tags": [{"key":"team","value":"ml-edge"}]})"),
             "");
    make_run("gamma", 3000, Json::parse(R"({
        "params": [{"key":"model","value":"lr"}],
        "tags": [{"key":"my-key","value":"x"}]})"),
             "FAILED");
    make_run("delta", 3000, Json::parse(R"({
        "metrics": [{"key":"acc","value":0.95,"timestamp":1},{"key":"a.b","value":1,"timestamp":1}]})"),
             "");
    // A deleted run and a run in another experiment must never show up by default.
    std::string deleted = api.create_run(experiment_id_, {{"run_name", "deleted"}, {"start_time", 500}});
    EXPECT_TRUE(IsOk(http.post(kApi + "/runs/delete", {{"run_id", deleted}})));
    ids_["deleted"] = deleted;
    api.create_run(api.create_experiment("search-other"), {{"run_name", "other"}, {"start_time", 4000}});
  }
  static void TearDownTestSuite() { server_.reset(); }

  // Run names in answer order, for a search in the fixture experiment.
  std::vector<std::string> names(Json body) {
    if (!body.contains("experiment_ids")) body["experiment_ids"] = {experiment_id_};
    auto response = http_.post(kApi + "/runs/search", body);
    EXPECT_TRUE(IsOk(response)) << body.dump();
    std::vector<std::string> result;
    for (const auto& run : response.json.value("runs", Json::array())) result.push_back(run["info"]["run_name"]);
    return result;
  }
  std::vector<std::string> filtered(const std::string& filter) { return names({{"filter", filter}}); }
  std::vector<std::string> sorted(std::vector<std::string> values) {
    std::sort(values.begin(), values.end());
    return values;
  }
  // gamma and delta share a start_time: the tie goes to the smaller run_id.
  std::vector<std::string> tie_pair() {
    return ids_["gamma"] < ids_["delta"] ? std::vector<std::string>{"gamma", "delta"}
                                         : std::vector<std::string>{"delta", "gamma"};
  }

  HttpClient http_ = server_->client();
  static std::unique_ptr<testing::ServerProcess> server_;
  static std::string experiment_id_;
  static std::map<std::string, std::string> ids_;
};

std::unique_ptr<testing::ServerProcess> SearchTest::server_;
std::string SearchTest::experiment_id_;
std::map<std::string, std::string> SearchTest::ids_;

using Names = std::vector<std::string>;

TEST_F(SearchTest, DefaultOrderIsStartTimeDescThenRunId) {
  Names expected = tie_pair();
  expected.push_back("beta");
  expected.push_back("alpha");
  EXPECT_EQ(names(Json::object()), expected);
}

TEST_F(SearchTest, RunsCarryFullDataAndInputs) {
  auto response = http_.post(kApi + "/runs/search",
                             {{"experiment_ids", {experiment_id_}}, {"filter", "attributes.run_name = 'alpha'"}});
  ASSERT_TRUE(IsOk(response));
  ASSERT_EQ(response.json["runs"].size(), 1u) << response.body;
  const Json& run = response.json["runs"][0];
  EXPECT_EQ(run["info"]["status"], "FINISHED");
  EXPECT_EQ(key_values(run["data"], "params"), (std::map<std::string, std::string>{{"model", "lr"}, {"opt", "SGD"}}));
  EXPECT_EQ(find_metric(run["data"], "acc"), Json::parse(R"({"key":"acc","value":0.9,"timestamp":1,"step":0})"));
  EXPECT_EQ(key_values(run["data"], "tags")["team"], "ML-core");
  EXPECT_EQ(run["inputs"], Json::object());
}

TEST_F(SearchTest, MetricComparisons) {
  EXPECT_EQ(sorted(filtered("metrics.acc > 0.85")), sorted({"alpha", "delta"}));
  EXPECT_EQ(sorted(filtered("metrics.acc >= 0.8")), sorted({"alpha", "beta", "delta"}));
  EXPECT_EQ(filtered("metrics.acc < 0.85"), Names{"beta"});
  EXPECT_EQ(filtered("metrics.acc = 0.95"), Names{"delta"});
  // A run without the metric is excluded, even for !=.
  EXPECT_EQ(sorted(filtered("metrics.acc != 0.8")), sorted({"alpha", "delta"}));
}

TEST_F(SearchTest, ParamAndTagComparisons) {
  EXPECT_EQ(sorted(filtered("params.model = 'lr'")), sorted({"alpha", "gamma"}));
  EXPECT_EQ(filtered("params.model != 'lr'"), Names{"beta"});
  EXPECT_EQ(filtered("params.opt LIKE 'S%'"), Names{"alpha"});
  EXPECT_EQ(filtered("params.opt LIKE 's%'"), Names{});
  EXPECT_EQ(filtered("params.opt ILIKE 's_d'"), Names{"alpha"});
  // LIKE is case-sensitive, ILIKE is not.
  EXPECT_EQ(filtered("tags.team LIKE 'ml%'"), Names{"beta"});
  EXPECT_EQ(sorted(filtered("tags.team ILIKE 'ml%'")), sorted({"alpha", "beta"}));
  EXPECT_EQ(filtered("tags.team = 'ML-core'"), Names{"alpha"});
}

TEST_F(SearchTest, QuotedKeysAndEntityAliases) {
  EXPECT_EQ(filtered("tags.\"my-key\" = 'x'"), Names{"gamma"});
  EXPECT_EQ(filtered("tags.`my-key` = 'x'"), Names{"gamma"});
  EXPECT_EQ(filtered("metrics.\"a.b\" = 1"), Names{"delta"});
  EXPECT_EQ(filtered("metric.`a.b` >= 1"), Names{"delta"});
  EXPECT_EQ(sorted(filtered("param.model = \"lr\"")), sorted({"alpha", "gamma"}));
  EXPECT_EQ(filtered("tag.team = 'ml-edge'"), Names{"beta"});
}

TEST_F(SearchTest, AttributeComparisons) {
  EXPECT_EQ(filtered("attributes.status = 'FINISHED'"), Names{"alpha"});
  EXPECT_EQ(filtered("attribute.status = 'FAILED'"), Names{"gamma"});
  EXPECT_EQ(filtered("attributes.run_name = 'beta'"), Names{"beta"});
  EXPECT_EQ(filtered("attributes.run_name LIKE 'al%'"), Names{"alpha"});
  EXPECT_EQ(sorted(filtered("attributes.start_time >= 2000")), sorted({"beta", "gamma", "delta"}));
  EXPECT_EQ(filtered("attributes.start_time < 2000"), Names{"alpha"});
  EXPECT_EQ(sorted(filtered("attributes.run_id IN ('" + ids_["alpha"] + "', '" + ids_["beta"] + "')")),
            sorted({"alpha", "beta"}));
  EXPECT_EQ(sorted(filtered("attributes.run_id NOT IN ('" + ids_["alpha"] + "')")), sorted({"beta", "gamma", "delta"}));
  EXPECT_EQ(filtered("attributes.run_id = '" + ids_["delta"] + "'"), Names{"delta"});
}

TEST_F(SearchTest, AndCombinesClauses) {
  EXPECT_EQ(filtered("metrics.acc > 0.5 and params.model = 'lr'"), Names{"alpha"});
  EXPECT_EQ(filtered("metrics.acc > 0.5 AND params.model = 'lr' AND tags.team = 'nobody'"), Names{});
}

TEST_F(SearchTest, DatasetFilter) {
  auto logged = http_.post(kApi + "/runs/log-inputs", {{"run_id", ids_["beta"]}, {"datasets", Json::parse(R"([{
      "tags": [{"key": "mlflow.data.context", "value": "eval"}],
      "dataset": {"name": "holdout", "digest": "d1", "source_type": "local", "source": "{}"}}])")}});
  ASSERT_TRUE(IsOk(logged));
  EXPECT_EQ(filtered("dataset.name = 'holdout'"), Names{"beta"});
  EXPECT_EQ(filtered("dataset.context = 'eval'"), Names{"beta"});
  EXPECT_EQ(filtered("dataset.digest IN ('d1', 'd2')"), Names{"beta"});
}

TEST_F(SearchTest, OrderBy) {
  EXPECT_EQ(names({{"order_by", {"metrics.acc DESC"}}}), (Names{"delta", "alpha", "beta", "gamma"}));
  // Rows lacking the key sort last in both directions.
  EXPECT_EQ(names({{"order_by", {"metrics.acc ASC"}}}), (Names{"beta", "alpha", "delta", "gamma"}));
  EXPECT_EQ(names({{"order_by", {"metrics.acc"}}}), (Names{"beta", "alpha", "delta", "gamma"}));
  // Ties fall back to start_time DESC.
  EXPECT_EQ(names({{"order_by", {"params.model ASC"}}}), (Names{"gamma", "alpha", "beta", "delta"}));
  Names by_start = {"alpha", "beta"};
  for (const auto& name : tie_pair()) by_start.push_back(name);
  EXPECT_EQ(names({{"order_by", {"attributes.start_time ASC"}}}), by_start);
  EXPECT_EQ(names({{"order_by", {"attributes.run_name"}}}), (Names{"alpha", "beta", "delta", "gamma"}));
  EXPECT_EQ(names({{"order_by", {"tags.team DESC"}}}).front(), "beta");
}

TEST_F(SearchTest, ViewTypes) {
  EXPECT_EQ(names({{"run_view_type", "DELETED_ONLY"}}), Names{"deleted"});
  EXPECT_EQ(names({{"run_view_type", "ALL"}}).size(), 5u);
  EXPECT_EQ(names({{"run_view_type", "ACTIVE_ONLY"}}).size(), 4u);
}

TEST_F(SearchTest, PagesCarryATokenWheneverFull) {
  std::vector<size_t> page_sizes;
  std::vector<std::string> seen;
  std::string token;
  for (int page = 0; page < 6; ++page) {
    Json body = {{"experiment_ids", {experiment_id_}}, {"max_results", 2}};
    if (!token.empty()) body["page_token"] = token;
    auto response = http_.post(kApi + "/runs/search", body);
    ASSERT_TRUE(IsOk(response));
    Json runs = response.json.value("runs", Json::array());
    page_sizes.push_back(runs.size());
    for (const auto& run : runs) seen.push_back(run["info"]["run_name"]);
    token = response.json.value("next_page_token", "");
    if (token.empty()) {
      if (runs.empty()) {
        EXPECT_EQ(response.json, Json::object());
      }
      break;
    }
  }
  // 4 runs in pages of 2: both full pages have a token, then an empty {} page.
  EXPECT_EQ(page_sizes, (std::vector<size_t>{2, 2, 0}));
  Names expected = tie_pair();
  expected.push_back("beta");
  expected.push_back("alpha");
  EXPECT_EQ(seen, expected);

  // 4 runs in pages of 3: the short last page has no token.
  auto first = http_.post(kApi + "/runs/search", {{"experiment_ids", {experiment_id_}}, {"max_results", 3}});
  ASSERT_TRUE(IsOk(first));
  ASSERT_TRUE(first.json.contains("next_page_token"));
  auto second = http_.post(kApi + "/runs/search", {{"experiment_ids", {experiment_id_}},
                                                   {"max_results", 3},
                                                   {"page_token", first.json["next_page_token"]}});
  ASSERT_TRUE(IsOk(second));
  EXPECT_EQ(second.json.value("runs", Json::array()).size(), 1u);
  EXPECT_FALSE(second.json.contains("next_page_token")) << second.body;
}

TEST_F(SearchTest, EmptyAndUnknownExperimentsAnswerEmptyObject) {
  auto none = http_.post(kApi + "/runs/search", Json::object());
  ASSERT_TRUE(IsOk(none));
  EXPECT_EQ(none.json, Json::object());
  auto unknown = http_.post(kApi + "/runs/search", {{"experiment_ids", {"987654321"}}});
  ASSERT_TRUE(IsOk(unknown));
  EXPECT_EQ(unknown.json, Json::object());
  auto nothing_matches = http_.post(kApi + "/runs/search",
                                    {{"experiment_ids", {experiment_id_}}, {"filter", "params.model = 'none'"}});
  ASSERT_TRUE(IsOk(nothing_matches));
  EXPECT_EQ(nothing_matches.json, Json::object());
}

TEST_F(SearchTest, RejectsBadRequests) {
  auto search = [&](const Json& extra) {
    Json body = {{"experiment_ids", {experiment_id_}}};
    body.update(extra);
    return http_.post(kApi + "/runs/search", body);
  };
  EXPECT_TRUE(IsError(search({{"page_token", "garbage!!"}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(search({{"page_token", "eyJub3QiOiAib2Zmc2V0In0="}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(search({{"max_results", 50001}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsOk(search({{"max_results", 50000}})));
  for (const std::string bad : {"metrics.acc > 'abc'", "params.model > 'a'", "metrics.acc > 1 OR metrics.acc < 0",
                                "bogus.x = 1", "attributes.nonexistent = 'x'", "metrics.acc >", "metrics.acc",
                                "params.model = 'lr'; DROP TABLE runs", "attributes.run_id IN ()",
                                "(metrics.acc > 1)", "tags.team = 'unterminated"}) {
    EXPECT_TRUE(IsError(search({{"filter", bad}}), 400, "INVALID_PARAMETER_VALUE")) << bad;
  }
  EXPECT_TRUE(IsError(search({{"order_by", {"bogus_column"}}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(search({{"order_by", {"metrics.acc SIDEWAYS"}}}), 400, "INVALID_PARAMETER_VALUE"));
}

TEST_F(SearchTest, SearchIsPostOnly) {
  auto response = http_.get(kApi + "/runs/search?experiment_ids=" + experiment_id_);
  EXPECT_EQ(response.status, 405) << response.describe();
}

// Searches beyond the limits of search_limits.hpp answer 400 naming the limit, never a database error.
TEST_F(SearchTest, SearchesBeyondTheLimitsAreInvalid) {
  const auto anded = [](const std::string& clause, int count) {
    std::string filter;
    for (int i = 0; i < count; ++i) filter += (i == 0 ? "" : " AND ") + clause;
    return filter;
  };
  const Json ids = Json::array({"0"});
  EXPECT_TRUE(IsOk(http_.post(kApi + "/runs/search", {{"experiment_ids", ids}, {"filter", anded("params.p = 'v'", 100)}})));
  const std::vector<std::pair<std::string, Json>> too_large = {
      {"/runs/search", {{"experiment_ids", ids}, {"filter", anded("params.p = 'v'", 3000)}}},
      {"/runs/search", {{"experiment_ids", ids}, {"filter", "params.p = '" + std::string(100000, 'x') + "'"}}},
      {"/runs/search", {{"experiment_ids", ids}, {"order_by", Json(std::vector<std::string>(300, "metrics.m"))}}},
      {"/runs/search", {{"experiment_ids", Json(std::vector<std::string>(40000, "1"))}}},
      {"/experiments/search", {{"max_results", 10}, {"filter", anded("tags.t = 'v'", 3000)}}},
      {"/logged-models/search", {{"experiment_ids", ids}, {"filter", anded("params.p = 'v'", 3000)}}},
  };
  for (const auto& [path, body] : too_large) {
    auto response = http_.post(kApi + path, body);
    EXPECT_TRUE(IsError(response, 400, "INVALID_PARAMETER_VALUE")) << path << ": " << response.describe();
    EXPECT_NE(response.json.value("message", "").find("exceeds the limit"), std::string::npos) << path << response.body;
  }
  // The registry's searches are GETs.
  for (const std::string path : {"/registered-models/search", "/model-versions/search"}) {
    auto response = http_.get(kApi + path + "?filter=" + testing::url_encode(anded("tags.t = 'v'", 101)));
    EXPECT_TRUE(IsError(response, 400, "INVALID_PARAMETER_VALUE")) << path << ": " << response.describe();
    EXPECT_NE(response.json.value("message", "").find("exceeds the limit"), std::string::npos) << path;
  }
}

}  // namespace
}  // namespace mlflowcpp::integration
