// log-metric, log-parameter, set-tag, delete-tag and log-batch over real HTTP:
// success shapes, validation limits (in code points), special doubles.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <algorithm>
#include <map>
#include <memory>

#include "integration/tracking_api.hpp"

namespace mlflowcpp::integration {
namespace {

constexpr double kDoubleMax = std::numeric_limits<double>::max();  // 1.7976931348623157e308

// `count` copies of a multi-byte character: length limits count code points, not bytes.
std::string repeat(const std::string& character, size_t count) {
  std::string text;
  for (size_t i = 0; i < count; ++i) text += character;
  return text;
}

Json metrics_array(size_t count, const std::string& prefix = "m") {
  Json metrics = Json::array();
  for (size_t i = 0; i < count; ++i) {
    metrics.push_back({{"key", prefix + std::to_string(i % 50)}, {"value", static_cast<double>(i)},
                       {"timestamp", 1000 + static_cast<int64_t>(i)}, {"step", static_cast<int64_t>(i)}});
  }
  return metrics;
}

Json key_value_array(size_t count, const std::string& prefix) {
  Json items = Json::array();
  for (size_t i = 0; i < count; ++i) items.push_back({{"key", prefix + std::to_string(i)}, {"value", "v"}});
  return items;
}

class LoggingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<testing::ServerProcess>();
    HttpClient http = server_->client();
    experiment_id_ = TrackingApi(http).create_experiment("logging");
  }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    run_id_ = api_.create_run(experiment_id_, {{"start_time", 1}});
    ASSERT_FALSE(run_id_.empty());
  }

  HttpResponse log_metric(const Json& fields) {
    Json body = fields;
    body["run_id"] = run_id_;
    return http_.post(kApi + "/runs/log-metric", body);
  }
  HttpResponse log_param(const std::string& key, const std::string& value) {
    return http_.post(kApi + "/runs/log-parameter", {{"run_id", run_id_}, {"key", key}, {"value", value}});
  }
  HttpResponse set_tag(const std::string& key, const std::string& value) {
    return http_.post(kApi + "/runs/set-tag", {{"run_id", run_id_}, {"key", key}, {"value", value}});
  }
  HttpResponse log_batch(const Json& fields) {
    Json body = fields;
    body["run_id"] = run_id_;
    return http_.post(kApi + "/runs/log-batch", body);
  }

  HttpClient http_ = server_->client();
  TrackingApi api_{http_};
  std::string run_id_;
  static std::unique_ptr<testing::ServerProcess> server_;
  static std::string experiment_id_;
};

std::unique_ptr<testing::ServerProcess> LoggingTest::server_;
std::string LoggingTest::experiment_id_;

TEST_F(LoggingTest, LogMetricAppendsPoints) {
  auto first = log_metric({{"key", "loss"}, {"value", 0.5}, {"timestamp", 100}, {"step", 1}});
  ASSERT_TRUE(IsOk(first));
  EXPECT_EQ(first.json, Json::object());
  // Points at the same step and time with other values are all kept; an identical
  // point is accepted and stored once (it is the metrics table's primary key).
  ASSERT_TRUE(IsOk(log_metric({{"key", "loss"}, {"value", 0.5}, {"timestamp", 100}, {"step", 1}})));
  ASSERT_TRUE(IsOk(log_metric({{"key", "loss"}, {"value", 0.75}, {"timestamp", 100}, {"step", 1}})));
  ASSERT_TRUE(IsOk(log_metric({{"key", "loss"}, {"value", 0.25}, {"timestamp", 200}})));  // step defaults to 0
  Json history = api_.history(run_id_, "loss");
  std::sort(history.begin(), history.end(), [](const Json& a, const Json& b) { return a.dump() < b.dump(); });
  Json expected = Json::parse(R"([{"key":"loss","value":0.25,"timestamp":200,"step":0},
                                  {"key":"loss","value":0.5,"timestamp":100,"step":1},
                                  {"key":"loss","value":0.75,"timestamp":100,"step":1}])");
  std::sort(expected.begin(), expected.end(), [](const Json& a, const Json& b) { return a.dump() < b.dump(); });
  EXPECT_EQ(history, expected);
  // Steps may be negative; int64 fields may come as decimal strings.
  EXPECT_TRUE(IsOk(log_metric({{"key", "neg"}, {"value", 1}, {"timestamp", "300"}, {"step", -5}})));
  EXPECT_EQ(api_.history(run_id_, "neg"), Json::parse(R"([{"key":"neg","value":1.0,"timestamp":300,"step":-5}])"));
}

TEST_F(LoggingTest, LogMetricRequiresKeyValueTimestamp) {
  EXPECT_TRUE(IsError(log_metric({{"key", "m"}, {"value", 1.0}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(log_metric({{"key", "m"}, {"timestamp", 1}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(log_metric({{"value", 1.0}, {"timestamp", 1}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(log_metric({{"key", "m"}, {"value", true}, {"timestamp", 1}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(log_metric({{"key", "m"}, {"value", "abc"}, {"timestamp", 1}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/log-metric", {{"key", "m"}, {"value", 1.0}, {"timestamp", 1}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/log-metric", {{"run_id", "0123456789abcdef0123456789abcdef"},
                                                             {"key", "m"},
                                                             {"value", 1.0},
                                                             {"timestamp", 1}}),
                      404, "RESOURCE_DOES_NOT_EXIST"));
}

TEST_F(LoggingTest, SpecialDoublesRoundTrip) {
  ASSERT_TRUE(IsOk(log_metric({{"key", "x"}, {"value", "NaN"}, {"timestamp", 1}, {"step", 0}})));
  ASSERT_TRUE(IsOk(log_metric({{"key", "x"}, {"value", "Infinity"}, {"timestamp", 1}, {"step", 1}})));
  ASSERT_TRUE(IsOk(log_metric({{"key", "x"}, {"value", "-Infinity"}, {"timestamp", 1}, {"step", 2}})));
  ASSERT_TRUE(IsOk(log_metric({{"key", "x"}, {"value", kDoubleMax}, {"timestamp", 1}, {"step", 3}})));
  ASSERT_TRUE(IsOk(log_metric({{"key", "x"}, {"value", -kDoubleMax}, {"timestamp", 1}, {"step", 4}})));
  ASSERT_TRUE(IsOk(log_metric({{"key", "x"}, {"value", 5e-324}, {"timestamp", 1}, {"step", 5}})));

  auto response = http_.get(kApi + "/metrics/get-history?run_id=" + run_id_ + "&metric_key=x");
  ASSERT_TRUE(IsOk(response));
  std::map<int64_t, Json> by_step;
  for (const auto& point : response.json.value("metrics", Json::array())) by_step[point["step"]] = point["value"];
  ASSERT_EQ(by_step.size(), 6u) << response.body;
  EXPECT_EQ(by_step[0], "NaN");
  // ±inf are stored and answered as ±DBL_MAX by 2.9.2.
  EXPECT_TRUE(by_step[1].is_number() && by_step[1].get<double>() == kDoubleMax) << response.body;
  EXPECT_TRUE(by_step[2].is_number() && by_step[2].get<double>() == -kDoubleMax) << response.body;
  EXPECT_TRUE(by_step[3].is_number() && by_step[3].get<double>() == kDoubleMax) << response.body;
  EXPECT_TRUE(by_step[4].is_number() && by_step[4].get<double>() == -kDoubleMax) << response.body;
  EXPECT_TRUE(by_step[5].is_number() && by_step[5].get<double>() == 5e-324) << response.body;
  // The raw text carries the full precision.
  EXPECT_NE(response.body.find("1.7976931348623157e+308"), std::string::npos) << response.body;

  // The latest value in run data is the highest step, NaN included.
  ASSERT_TRUE(IsOk(log_metric({{"key", "y"}, {"value", 1.0}, {"timestamp", 9}, {"step", 1}})));
  ASSERT_TRUE(IsOk(log_metric({{"key", "y"}, {"value", "NaN"}, {"timestamp", 1}, {"step", 2}})));
  EXPECT_EQ(find_metric(api_.get_run(run_id_)["data"], "y"),
            Json::parse(R"({"key":"y","value":"NaN","timestamp":1,"step":2})"));
}

TEST_F(LoggingTest, LatestMetricIsHighestStepThenTimestampThenValue) {
  ASSERT_TRUE(IsOk(log_metric({{"key", "m"}, {"value", 9.0}, {"timestamp", 999}, {"step", 3}})));
  ASSERT_TRUE(IsOk(log_metric({{"key", "m"}, {"value", 1.0}, {"timestamp", 100}, {"step", 5}})));
  ASSERT_TRUE(IsOk(log_metric({{"key", "m"}, {"value", 2.0}, {"timestamp", 200}, {"step", 5}})));
  ASSERT_TRUE(IsOk(log_metric({{"key", "m"}, {"value", 1.5}, {"timestamp", 200}, {"step", 5}})));
  EXPECT_EQ(find_metric(api_.get_run(run_id_)["data"], "m"),
            Json::parse(R"({"key":"m","value":2.0,"timestamp":200,"step":5})"));
}

TEST_F(LoggingTest, ParamsAreWriteOnce) {
  auto logged = log_param("lr", "0.1");
  ASSERT_TRUE(IsOk(logged));
  EXPECT_EQ(logged.json, Json::object());
  EXPECT_TRUE(IsOk(log_param("lr", "0.1")));  // same value: fine
  EXPECT_TRUE(IsError(log_param("lr", "0.2"), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsOk(log_param("empty", "")));
  auto params = key_values(api_.get_run(run_id_)["data"], "params");
  EXPECT_EQ(params, (std::map<std::string, std::string>{{"empty", ""}, {"lr", "0.1"}}));
  // In a batch too.
  EXPECT_TRUE(IsOk(log_batch({{"params", {{{"key", "lr"}, {"value", "0.1"}}}}})));
  EXPECT_TRUE(IsError(log_batch({{"params", {{{"key", "lr"}, {"value", "0.3"}}}}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/log-parameter", {{"run_id", run_id_}, {"value", "v"}}), 400,
                      "INVALID_PARAMETER_VALUE"));
}

TEST_F(LoggingTest, TagsAreLastWriterWinsAndDeletable) {
  auto set = set_tag("t", "1");
  ASSERT_TRUE(IsOk(set));
  EXPECT_EQ(set.json, Json::object());
  ASSERT_TRUE(IsOk(set_tag("t", "2")));
  ASSERT_TRUE(IsOk(set_tag("t", "2")));
  EXPECT_EQ(key_values(api_.get_run(run_id_)["data"], "tags")["t"], "2");

  auto deleted = http_.post(kApi + "/runs/delete-tag", {{"run_id", run_id_}, {"key", "t"}});
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(deleted.json, Json::object());
  EXPECT_EQ(key_values(api_.get_run(run_id_)["data"], "tags").count("t"), 0u);
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/delete-tag", {{"run_id", run_id_}, {"key", "t"}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));
}

TEST_F(LoggingTest, KeyLengthIsCountedInCodePoints) {
  const std::string key_250 = repeat("é", 250);  // 500 bytes
  EXPECT_TRUE(IsOk(log_metric({{"key", key_250}, {"value", 1}, {"timestamp", 1}})));
  EXPECT_TRUE(IsOk(log_param(key_250, "v")));
  EXPECT_TRUE(IsOk(set_tag(key_250, "v")));
  const std::string key_251 = key_250 + "é";
  EXPECT_TRUE(IsError(log_metric({{"key", key_251}, {"value", 1}, {"timestamp", 1}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(log_param(key_251, "v"), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(set_tag(key_251, "v"), 400, "INVALID_PARAMETER_VALUE"));
  // Four-byte characters count once too (U+20000, a CJK letter).
  EXPECT_TRUE(IsOk(set_tag(repeat("\xF0\xA0\x80\x80", 250), "v")));
  EXPECT_TRUE(IsError(set_tag(repeat("\xF0\xA0\x80\x80", 251), "v"), 400, "INVALID_PARAMETER_VALUE"));
}

TEST_F(LoggingTest, ValueLengthsAreCountedInCodePoints) {
  const std::string param_6000 = repeat("ж", 6000);  // 12000 bytes
  EXPECT_TRUE(IsOk(log_param("long", param_6000)));
  EXPECT_EQ(key_values(api_.get_run(run_id_)["data"], "params")["long"], param_6000);
  EXPECT_TRUE(IsError(log_param("longer", param_6000 + "ж"), 400, "INVALID_PARAMETER_VALUE"));

  const std::string tag_5000 = repeat("€", 5000);  // 15000 bytes
  EXPECT_TRUE(IsOk(set_tag("long", tag_5000)));
  EXPECT_EQ(key_values(api_.get_run(run_id_)["data"], "tags")["long"], tag_5000);
  EXPECT_TRUE(IsError(set_tag("longer", tag_5000 + "€"), 400, "INVALID_PARAMETER_VALUE"));

  EXPECT_TRUE(IsError(log_batch({{"params", {{{"key", "b"}, {"value", param_6000 + "x"}}}}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(log_batch({{"tags", {{{"key", "b"}, {"value", tag_5000 + "x"}}}}}), 400,
                      "INVALID_PARAMETER_VALUE"));
}

TEST_F(LoggingTest, KeysMustBeSafeNames) {
  for (const std::string bad : {"bad!key", "a//b", "/abs", "../up", "a/./b", "trail/", ".", "a\nb"}) {
    EXPECT_TRUE(IsError(log_metric({{"key", bad}, {"value", 1}, {"timestamp", 1}}), 400, "INVALID_PARAMETER_VALUE"))
        << "metric key " << bad;
    EXPECT_TRUE(IsError(log_param(bad, "v"), 400, "INVALID_PARAMETER_VALUE")) << "param key " << bad;
    EXPECT_TRUE(IsError(set_tag(bad, "v"), 400, "INVALID_PARAMETER_VALUE")) << "tag key " << bad;
  }
  for (const std::string good : {"a/b", "train loss", "x.y-z_1", "ключ"}) {
    EXPECT_TRUE(IsOk(log_metric({{"key", good}, {"value", 1}, {"timestamp", 1}}))) << good;
  }
}

TEST_F(LoggingTest, LogBatchWritesEverything) {
  auto response = log_batch({{"metrics", Json::parse(R"([{"key":"a","value":1,"timestamp":5,"step":1},
                                                         {"key":"a","value":"NaN","timestamp":6,"step":2},
                                                         {"key":"b","value":3.5,"timestamp":7}])")},
                             {"params", Json::parse(R"([{"key":"p1","value":"x"},{"key":"p2","value":""}])")},
                             {"tags", Json::parse(R"([{"key":"t","value":"first"},{"key":"t","value":"second"}])")}});
  ASSERT_TRUE(IsOk(response));
  EXPECT_EQ(response.json, Json::object());
  Json data = api_.get_run(run_id_)["data"];
  EXPECT_EQ(find_metric(data, "a"), Json::parse(R"({"key":"a","value":"NaN","timestamp":6,"step":2})"));
  EXPECT_EQ(find_metric(data, "b"), Json::parse(R"({"key":"b","value":3.5,"timestamp":7,"step":0})"));
  EXPECT_EQ(key_values(data, "params"), (std::map<std::string, std::string>{{"p1", "x"}, {"p2", ""}}));
  // Later duplicates in one batch win.
  EXPECT_EQ(key_values(data, "tags")["t"], "second");
  EXPECT_EQ(api_.history(run_id_, "a").size(), 2u);
  EXPECT_TRUE(IsOk(log_batch(Json::object())));  // an empty batch is fine
}

TEST_F(LoggingTest, LogBatchCapsAreExact) {
  EXPECT_TRUE(IsOk(log_batch({{"metrics", metrics_array(1000)}})));
  EXPECT_TRUE(IsError(log_batch({{"metrics", metrics_array(1001)}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsOk(log_batch({{"params", key_value_array(100, "p")}})));
  EXPECT_TRUE(IsError(log_batch({{"params", key_value_array(101, "q")}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsOk(log_batch({{"tags", key_value_array(100, "t")}})));
  EXPECT_TRUE(IsError(log_batch({{"tags", key_value_array(101, "u")}}), 400, "INVALID_PARAMETER_VALUE"));
  // 1000 entities in total are fine, 1001 are not.
  EXPECT_TRUE(IsOk(log_batch({{"metrics", metrics_array(900, "n")},
                              {"params", key_value_array(50, "r")},
                              {"tags", key_value_array(50, "s")}})));
  EXPECT_TRUE(IsError(log_batch({{"metrics", metrics_array(901, "o")},
                                 {"params", key_value_array(50, "w")},
                                 {"tags", key_value_array(50, "x")}}),
                      400, "INVALID_PARAMETER_VALUE"));
  // The rejected batches wrote nothing.
  auto params = key_values(api_.get_run(run_id_)["data"], "params");
  EXPECT_EQ(params.count("q0"), 0u);
  EXPECT_EQ(params.count("w0"), 0u);
  EXPECT_EQ(api_.history(run_id_, "o0").size(), 0u);
}

TEST_F(LoggingTest, LogBatchRejectsBadItems) {
  EXPECT_TRUE(IsError(log_batch({{"params", Json::parse(R"([{"key":"d","value":"1"},{"key":"d","value":"1"}])")}}),
                      400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(log_batch({{"metrics", Json::parse(R"([{"key":"m","value":1}])")}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(log_batch({{"metrics", Json::parse(R"([{"value":1,"timestamp":1}])")}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(log_batch({{"tags", Json::parse(R"([{"value":"v"}])")}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(log_batch({{"metrics", "not-an-array"}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/log-batch", {{"run_id", "0123456789abcdef0123456789abcdef"},
                                                            {"params", {{{"key", "k"}, {"value", "v"}}}}}),
                      404, "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/log-batch", Json::object()), 400, "INVALID_PARAMETER_VALUE"));
}

TEST_F(LoggingTest, LogModelAppendsToHistoryTag) {
  const Json model = {{"artifact_path", "model"},
                      {"flavors", {{"python_function", Json::object()}}},
                      {"utc_time_created", "2024-01-01 00:00:00.000000"},
                      {"run_id", run_id_}};
  ASSERT_TRUE(IsOk(http_.post(kApi + "/runs/log-model", {{"run_id", run_id_}, {"model_json", model.dump()}})));
  auto history = key_values(api_.get_run(run_id_)["data"], "tags")["mlflow.log-model.history"];
  Json parsed = Json::parse(history, nullptr, false);
  ASSERT_TRUE(parsed.is_array()) << history;
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0]["artifact_path"], "model");
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/log-model", {{"run_id", run_id_}, {"model_json", "{}"}}), 400,
                      "INVALID_PARAMETER_VALUE"));
}

}  // namespace
}  // namespace mlflowcpp::integration
