// Search limits on PostgreSQL: searches beyond the limits of
// server/search/search_limits.hpp (thousands of ANDed clauses, hundreds of
// order_by keys, huge IN lists and id lists) answer 400 INVALID_PARAMETER_VALUE
// naming the limit, never a database error or a 500; searches at the limits
// still run, which shows the limits sit inside what PostgreSQL accepts.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "integration/tracking_api.hpp"
#include "testing/postgres_process.hpp"
#include "testing/server_process.hpp"

namespace mlflowcpp::integration {
namespace {

// `count` copies of `clause`, ANDed.
std::string anded(const std::string& clause, int count) {
  std::string filter;
  for (int i = 0; i < count; ++i) filter += (i == 0 ? "" : " AND ") + clause;
  return filter;
}

// An IN list of `count` distinct quoted values.
std::string in_list(int count) {
  std::string list = "(";
  for (int i = 0; i < count; ++i) list += (i == 0 ? "'v" : ", 'v") + std::to_string(i) + "'";
  return list + ")";
}

Json repeated(const Json& item, int count) { return Json(std::vector<Json>(static_cast<std::size_t>(count), item)); }

class PostgresSearchLimits : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    postgres_ = std::make_unique<testing::PostgresProcess>();
    testing::ServerOptions options;
    options.backend_store_uri = postgres_->create_database("search_limits");
    server_ = std::make_unique<testing::ServerProcess>(options);
    HttpClient http = server_->client();
    const HttpResponse created = http.post(kApi + "/experiments/create", Json{{"name", "limits"}});
    ASSERT_TRUE(IsOk(created));
    experiment_id_ = created.json["experiment_id"];
    const HttpResponse run = http.post(kApi + "/runs/create", Json{{"experiment_id", experiment_id_}});
    ASSERT_TRUE(IsOk(run));
  }
  static void TearDownTestSuite() {
    server_.reset();
    postgres_.reset();
  }

  // A 400 INVALID_PARAMETER_VALUE whose message names `limit`.
  static ::testing::AssertionResult RefusedNaming(const HttpResponse& response, const std::string& limit) {
    auto shaped = IsError(response, 400, "INVALID_PARAMETER_VALUE");
    if (!shaped) return shaped;
    const std::string message = response.json.value("message", "");
    if (message.find("exceeds the limit") != std::string::npos && message.find(limit) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "the message does not name " << limit << ": " << message;
  }

  static Json ids() { return Json::array({experiment_id_}); }

  static std::unique_ptr<testing::PostgresProcess> postgres_;
  static std::unique_ptr<testing::ServerProcess> server_;
  static std::string experiment_id_;
  HttpClient http_ = server_->client();
};

std::unique_ptr<testing::PostgresProcess> PostgresSearchLimits::postgres_;
std::unique_ptr<testing::ServerProcess> PostgresSearchLimits::server_;
std::string PostgresSearchLimits::experiment_id_;

constexpr const char* kClauses = "the number of clauses in the filter";
constexpr const char* kOrderBy = "the number of order_by keys";

TEST_F(PostgresSearchLimits, ThousandsOfAndedClausesAreRefused) {
  const std::vector<std::pair<std::string, Json>> searches = {
      {"/runs/search", {{"experiment_ids", ids()}, {"filter", anded("params.p = 'v'", 3000)}}},
      {"/runs/search", {{"experiment_ids", ids()}, {"filter", anded("metrics.m > 0", 3000)}}},
      {"/experiments/search", {{"max_results", 10}, {"filter", anded("tags.t = 'v'", 3000)}}},
      {"/logged-models/search", {{"experiment_ids", ids()}, {"filter", anded("params.p = 'v'", 3000)}}},
  };
  for (const auto& [path, body] : searches) {
    EXPECT_TRUE(RefusedNaming(http_.post(kApi + path, body), kClauses)) << path;
  }
  // The registry's searches are GETs, whose URL cpp-httplib caps at 8 KiB: just beyond the limit.
  for (const std::string path : {"/registered-models/search", "/model-versions/search"}) {
    const HttpResponse response =
        http_.get(kApi + path + "?" + testing::query_string({{"filter", anded("tags.t = 'v'", 101)}}));
    EXPECT_TRUE(RefusedNaming(response, kClauses)) << path;
  }
  EXPECT_TRUE(server_->running());
}

TEST_F(PostgresSearchLimits, HundredsOfOrderByKeysAreRefused) {
  const std::vector<std::pair<std::string, Json>> searches = {
      {"/runs/search", {{"experiment_ids", ids()}, {"order_by", repeated("metrics.m DESC", 300)}}},
      {"/runs/search", {{"experiment_ids", ids()}, {"order_by", repeated("params.p", 500)}}},
      {"/experiments/search", {{"max_results", 10}, {"order_by", repeated("name", 300)}}},
      {"/logged-models/search",
       {{"experiment_ids", ids()}, {"order_by", repeated(Json{{"field_name", "metrics.m"}}, 300)}}},
  };
  for (const auto& [path, body] : searches) {
    EXPECT_TRUE(RefusedNaming(http_.post(kApi + path, body), kOrderBy)) << path;
  }
  // In a URL, under cpp-httplib's 8 KiB, and distinct: cpp-httplib keeps one of identical query pairs.
  std::vector<std::pair<std::string, std::string>> order_by;
  for (const std::string key : {"name", "creation_timestamp", "last_updated_timestamp"}) {
    for (const std::string direction : {"", " ASC", " DESC", " asc", " desc"}) {
      for (int spaces = 0; spaces < 4; ++spaces) {
        order_by.emplace_back("order_by", std::string(spaces, ' ') + key + direction);
      }
    }
  }
  for (const std::string path : {"/registered-models/search", "/model-versions/search"}) {
    EXPECT_TRUE(RefusedNaming(http_.get(kApi + path + "?" + testing::query_string(order_by)), kOrderBy)) << path;
  }
  EXPECT_TRUE(server_->running());
}

TEST_F(PostgresSearchLimits, HugeInListsAndIdListsAreRefused) {
  EXPECT_TRUE(RefusedNaming(http_.post(kApi + "/runs/search", {{"experiment_ids", ids()},
                                                               {"filter", "attributes.run_id IN " + in_list(5000)}}),
                            "the number of values in an IN list"));
  EXPECT_TRUE(RefusedNaming(
      http_.post(kApi + "/runs/search", {{"experiment_ids", Json(std::vector<std::string>(40000, experiment_id_))}}),
      "the number of values the query compares"));
}

// At the limits, PostgreSQL runs the query: the limits, not the database, decide.
TEST_F(PostgresSearchLimits, SearchesAtTheLimitsRun) {
  Json order_by = Json::array();
  for (int i = 0; i < 20; ++i) order_by.push_back("metrics.m" + std::to_string(i) + " DESC");
  const std::vector<std::pair<std::string, Json>> searches = {
      {"/runs/search", {{"experiment_ids", ids()}, {"filter", anded("params.p != 'v'", 100)}}},
      {"/runs/search", {{"experiment_ids", ids()}, {"order_by", order_by}}},
      {"/runs/search", {{"experiment_ids", ids()}, {"filter", "attributes.run_id IN " + in_list(1000)}}},
      {"/experiments/search", {{"max_results", 10}, {"filter", anded("tags.t != 'v'", 100)}}},
      {"/logged-models/search", {{"experiment_ids", ids()}, {"filter", anded("params.p = 'v'", 100)}}},
  };
  for (const auto& [path, body] : searches) {
    EXPECT_TRUE(IsOk(http_.post(kApi + path, body))) << path;
  }
}

}  // namespace
}  // namespace mlflowcpp::integration
