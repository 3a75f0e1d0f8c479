// Metric history endpoints over real HTTP: get-history (2.9.2 rules),
// get-history-bulk-interval and the ajax-only get-history-bulk.

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <set>

#include "integration/tracking_api.hpp"

namespace mlflowcpp::integration {
namespace {

using testing::query_string;

// 32-hex run ids that differ from each other (need not exist): limits count ids.
std::string distinct_run_id(int index) {
  char id[33];
  std::snprintf(id, sizeof(id), "%032x", index + 1);
  return id;
}

class HistoryTest : public ::testing::Test {
 protected:
  // Two runs; "loss" over steps 0..149 (value = step / 10, timestamp = 1000 + step),
  // run_b also has "acc" over steps 0..49.
  static void SetUpTestSuite() {
    server_ = std::make_unique<testing::ServerProcess>();
    HttpClient http = server_->client();
    TrackingApi api(http);
    experiment_id_ = api.create_experiment("history");
    run_a_ = api.create_run(experiment_id_, {{"start_time", 1}});
    run_b_ = api.create_run(experiment_id_, {{"start_time", 2}});
    for (const auto& run : {run_a_, run_b_}) {
      Json metrics = Json::array();
      for (int step = 0; step < kSteps; ++step) {
        metrics.push_back({{"key", "loss"}, {"value", step / 10.0}, {"timestamp", 1000 + step}, {"step", step}});
      }
      EXPECT_TRUE(IsOk(http.post(kApi + "/runs/log-batch", {{"run_id", run}, {"metrics", metrics}})));
    }
    Json acc = Json::array();
    for (int step = 0; step < 50; ++step) acc.push_back({{"key", "acc"}, {"value", 1}, {"timestamp", 5}, {"step", step}});
    EXPECT_TRUE(IsOk(http.post(kApi + "/runs/log-batch", {{"run_id", run_b_}, {"metrics", acc}})));
  }
  static void TearDownTestSuite() { server_.reset(); }

  HttpResponse bulk_interval(const std::vector<std::pair<std::string, std::string>>& fields) {
    return http_.get(kApi + "/metrics/get-history-bulk-interval?" + query_string(fields));
  }

  static constexpr int kSteps = 150;
  HttpClient http_ = server_->client();
  TrackingApi api_{http_};
  static std::unique_ptr<testing::ServerProcess> server_;
  static std::string experiment_id_, run_a_, run_b_;
};

std::unique_ptr<testing::ServerProcess> HistoryTest::server_;
std::string HistoryTest::experiment_id_, HistoryTest::run_a_, HistoryTest::run_b_;

TEST_F(HistoryTest, GetHistoryReturnsEveryPointAndNoToken) {
  // Without max_results (2.x clients, the UI): always the whole series.
  auto response = http_.get(kApi + "/metrics/get-history?run_id=" + run_a_ + "&metric_key=loss");
  ASSERT_TRUE(IsOk(response));
  EXPECT_EQ(response.json.size(), 1u) << "only `metrics`, no next_page_token";
  Json points = response.json.value("metrics", Json::array());
  ASSERT_EQ(points.size(), static_cast<size_t>(kSteps));
  std::set<int64_t> steps;
  for (const auto& point : points) {
    int64_t step = point["step"];
    steps.insert(step);
    EXPECT_EQ(point, Json({{"key", "loss"}, {"value", step / 10.0}, {"timestamp", 1000 + step}, {"step", step}}));
  }
  EXPECT_EQ(steps.size(), static_cast<size_t>(kSteps));
}

TEST_F(HistoryTest, GetHistoryWithMaxResultsIsPagedAsMlflow3PagesIt) {
  std::vector<Json> pages;
  std::string token;
  do {
    std::vector<std::pair<std::string, std::string>> fields = {
        {"run_id", run_a_}, {"metric_key", "loss"}, {"max_results", "60"}};
    if (!token.empty()) fields.emplace_back("page_token", token);
    auto response = http_.get(kApi + "/metrics/get-history?" + query_string(fields));
    ASSERT_TRUE(IsOk(response));
    pages.push_back(response.json);
    token = response.json.value("next_page_token", "");
  } while (!token.empty() && pages.size() < 10);
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_EQ(pages[0].value("next_page_token", ""), "eyJvZmZzZXQiOiA2MH0=");  // {"offset": 60}
  int64_t expected_step = 0;
  for (const Json& page : pages) {
    for (const auto& point : page.value("metrics", Json::array())) EXPECT_EQ(point["step"], expected_step++);
  }
  EXPECT_EQ(expected_step, kSteps);
}

TEST_F(HistoryTest, GetHistoryIsLenientLikeTheOfficialServer) {
  // Unknown key: {}. Missing run or missing metric_key on this GET: 200 {} (2.9.2).
  auto unknown_key = http_.get(kApi + "/metrics/get-history?run_id=" + run_a_ + "&metric_key=nope");
  ASSERT_TRUE(IsOk(unknown_key));
  EXPECT_EQ(unknown_key.json, Json::object());
  auto missing_run = http_.get(kApi + "/metrics/get-history?run_id=0123456789abcdef0123456789abcdef&metric_key=loss");
  ASSERT_TRUE(IsOk(missing_run));
  EXPECT_EQ(missing_run.json, Json::object());
  auto no_key = http_.get(kApi + "/metrics/get-history?run_id=" + run_a_);
  ASSERT_TRUE(IsOk(no_key));
  EXPECT_EQ(no_key.json, Json::object());
}

TEST_F(HistoryTest, GetHistoryIsGetOnlyAndMirroredOnAjax) {
  auto post = http_.post(kApi + "/metrics/get-history", {{"run_id", run_a_}, {"metric_key", "loss"}});
  EXPECT_EQ(post.status, 405) << post.describe();
  auto ajax = http_.get(kAjax + "/metrics/get-history?run_id=" + run_a_ + "&metric_key=loss");
  ASSERT_TRUE(IsOk(ajax));
  EXPECT_EQ(ajax.json.value("metrics", Json::array()).size(), static_cast<size_t>(kSteps));
}

TEST_F(HistoryTest, BulkIntervalReturnsPointsWithRunIds) {
  auto response = bulk_interval({{"run_ids", run_a_}, {"run_ids", run_b_}, {"metric_key", "loss"}});
  ASSERT_TRUE(IsOk(response));
  Json points = response.json.value("metrics", Json::array());
  ASSERT_EQ(points.size(), static_cast<size_t>(2 * kSteps)) << response.describe();
  std::map<std::string, int> per_run;
  for (const auto& point : points) {
    per_run[point.value("run_id", "")]++;
    EXPECT_EQ(point["key"], "loss");
    EXPECT_EQ(point["value"], point["step"].get<int64_t>() / 10.0);
    EXPECT_EQ(point["timestamp"], 1000 + point["step"].get<int64_t>());
  }
  EXPECT_EQ(per_run, (std::map<std::string, int>{{run_a_, kSteps}, {run_b_, kSteps}}));
}

TEST_F(HistoryTest, BulkIntervalHonoursStepRange) {
  auto response = bulk_interval({{"run_ids", run_a_}, {"metric_key", "loss"}, {"start_step", "10"}, {"end_step", "19"}});
  ASSERT_TRUE(IsOk(response));
  std::set<int64_t> steps;
  for (const auto& point : response.json.value("metrics", Json::array())) steps.insert(point["step"].get<int64_t>());
  std::set<int64_t> expected;
  for (int64_t step = 10; step <= 19; ++step) expected.insert(step);
  EXPECT_EQ(steps, expected);
}

TEST_F(HistoryTest, BulkIntervalDownSamplesKeepingFirstAndLastStep) {
  auto response = bulk_interval({{"run_ids", run_a_}, {"metric_key", "loss"}, {"max_results", "10"}});
  ASSERT_TRUE(IsOk(response));
  std::set<int64_t> steps;
  for (const auto& point : response.json.value("metrics", Json::array())) steps.insert(point["step"].get<int64_t>());
  EXPECT_LE(steps.size(), 10u);
  EXPECT_GE(steps.size(), 2u);
  EXPECT_EQ(steps.count(0), 1u);
  EXPECT_EQ(steps.count(kSteps - 1), 1u);
}

TEST_F(HistoryTest, BulkIntervalRejectsBadArguments) {
  EXPECT_TRUE(IsError(bulk_interval({{"metric_key", "loss"}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(bulk_interval({{"run_ids", run_a_}}), 400, "INVALID_PARAMETER_VALUE"));
  std::vector<std::pair<std::string, std::string>> too_many = {{"metric_key", "loss"}};
  for (int i = 0; i < 101; ++i) too_many.emplace_back("run_ids", distinct_run_id(i));
  EXPECT_TRUE(IsError(bulk_interval(too_many), 400, "INVALID_PARAMETER_VALUE"));
  too_many.pop_back();
  EXPECT_TRUE(IsOk(bulk_interval(too_many)));  // exactly 100
  // start_step and end_step come together, in order.
  EXPECT_TRUE(IsError(bulk_interval({{"run_ids", run_a_}, {"metric_key", "loss"}, {"start_step", "3"}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(bulk_interval({{"run_ids", run_a_}, {"metric_key", "loss"}, {"end_step", "3"}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(
      bulk_interval({{"run_ids", run_a_}, {"metric_key", "loss"}, {"start_step", "9"}, {"end_step", "3"}}), 400,
      "INVALID_PARAMETER_VALUE"));
  // max_results in 1..2500.
  EXPECT_TRUE(IsError(bulk_interval({{"run_ids", run_a_}, {"metric_key", "loss"}, {"max_results", "0"}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(bulk_interval({{"run_ids", run_a_}, {"metric_key", "loss"}, {"max_results", "2501"}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsOk(bulk_interval({{"run_ids", run_a_}, {"metric_key", "loss"}, {"max_results", "2500"}})));
  EXPECT_TRUE(IsError(bulk_interval({{"run_ids", run_a_}, {"metric_key", "loss"}, {"max_results", "ten"}}), 400,
                      "INVALID_PARAMETER_VALUE"));
}

TEST_F(HistoryTest, AjaxGetHistoryBulk) {
  auto response = http_.get(kAjax + "/metrics/get-history-bulk?" +
                            query_string({{"run_id", run_a_}, {"run_id", run_b_}, {"metric_key", "acc"}}));
  ASSERT_TRUE(IsOk(response));
  Json points = response.json.value("metrics", Json::array());
  ASSERT_EQ(points.size(), 50u) << response.describe();  // only run_b has "acc"
  for (const auto& point : points) {
    EXPECT_EQ(point["run_id"], run_b_);
    EXPECT_EQ(point["key"], "acc");
    EXPECT_TRUE(point.contains("step") && point.contains("timestamp") && point.contains("value")) << point.dump();
  }
  auto capped = http_.get(kAjax + "/metrics/get-history-bulk?" +
                          query_string({{"run_id", run_a_}, {"metric_key", "loss"}, {"max_results", "7"}}));
  ASSERT_TRUE(IsOk(capped));
  EXPECT_EQ(capped.json.value("metrics", Json::array()).size(), 7u);

  EXPECT_TRUE(IsError(http_.get(kAjax + "/metrics/get-history-bulk?metric_key=loss"), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_.get(kAjax + "/metrics/get-history-bulk?run_id=" + run_a_), 400, "INVALID_PARAMETER_VALUE"));
  std::vector<std::pair<std::string, std::string>> too_many = {{"metric_key", "loss"}};
  for (int i = 0; i < 101; ++i) too_many.emplace_back("run_id", distinct_run_id(i));
  EXPECT_TRUE(IsError(http_.get(kAjax + "/metrics/get-history-bulk?" + query_string(too_many)), 400,
                      "INVALID_PARAMETER_VALUE"));
}

}  // namespace
}  // namespace mlflowcpp::integration
