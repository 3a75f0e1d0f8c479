#include "protocol/json_codec.hpp"
#include "protocol/json_lists.hpp"

#include <mlflowcpp/errors.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>

namespace mlflowcpp::protocol {
namespace {

Json load_fixture_answers() {
  std::ifstream in(std::string(MLFLOWCPP_FIXTURES_DIR) + "/mlflow-2.9.2-sample.answers.json");
  return Json::parse(in);
}

// The official server's answers, read into the model and written back, must
// come out exactly as they went in: this pins our JSON form to MLflow's.
TEST(JsonCodec, FixtureRunsRoundTripExactly) {
  int runs_checked = 0;
  const Json answers = load_fixture_answers();
  for (const auto& call : answers["calls"]) {
    const Json& response = call["response"];
    if (response.contains("run")) {
      EXPECT_EQ(to_json(run_from_json(response["run"])), response["run"]) << call["path"];
      ++runs_checked;
    }
    if (response.contains("runs")) {
      for (const auto& run : response["runs"]) {
        EXPECT_EQ(to_json(run_from_json(run)), run) << call["path"];
        ++runs_checked;
      }
    }
  }
  EXPECT_GE(runs_checked, 5);
}

TEST(JsonCodec, FixtureExperimentsRoundTripExactly) {
  int checked = 0;
  const Json answers = load_fixture_answers();
  for (const auto& call : answers["calls"]) {
    const Json& response = call["response"];
    if (response.contains("experiment")) {
      EXPECT_EQ(to_json(experiment_from_json(response["experiment"])), response["experiment"]);
      ++checked;
    }
    for (const auto& experiment : response.value("experiments", Json::array())) {
      EXPECT_EQ(to_json(experiment_from_json(experiment)), experiment);
      ++checked;
    }
  }
  EXPECT_GE(checked, 5);
}

TEST(JsonCodec, FixtureMetricHistoryRoundTripsIncludingNaN) {
  const Json answers = load_fixture_answers();
  for (const auto& call : answers["calls"]) {
    for (const auto& metric : call["response"].value("metrics", Json::array())) {
      EXPECT_EQ(to_json(metric_from_json(metric)), metric);
    }
  }
}

TEST(JsonCodec, DefaultValuedFieldsAreLeftOut) {
  mlflowcpp::Run run;
  run.info.run_id = "abc";
  Json json = to_json(run, /*with_inputs=*/false);
  EXPECT_FALSE(json.contains("inputs"));
  EXPECT_EQ(json["data"], Json::object());
  EXPECT_FALSE(json["info"].contains("end_time"));
  // The official server keeps these empty strings.
  EXPECT_EQ(json["info"]["user_id"], "");
  EXPECT_EQ(json["info"]["run_uuid"], "abc");
  EXPECT_EQ(to_json(run)["inputs"], Json::object());

  FileInfo directory{"dir", true, std::nullopt};
  EXPECT_EQ(to_json(directory), (Json{{"path", "dir"}, {"is_dir", true}}));
}

TEST(JsonCodec, SpecialDoubles) {
  EXPECT_EQ(double_to_json(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(double_to_json(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(double_to_json(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(double_to_json(0.25), 0.25);

  EXPECT_TRUE(std::isnan(*double_from_json("NaN")));
  EXPECT_EQ(*double_from_json("Infinity"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(*double_from_json("-Infinity"), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(*double_from_json("1.5"), 1.5);
  EXPECT_EQ(*double_from_json(3), 3.0);
  EXPECT_FALSE(double_from_json(true));
  EXPECT_FALSE(double_from_json("abc"));
  EXPECT_FALSE(double_from_json(" 1"));
  EXPECT_FALSE(double_from_json("1e999"));
  EXPECT_FALSE(double_from_json(Json::array()));
}

TEST(JsonCodec, Int64AcceptsNumbersAndDecimalStrings) {
  EXPECT_EQ(*int64_from_json(1700000000000), 1700000000000);
  EXPECT_EQ(*int64_from_json("1700000000000"), 1700000000000);
  EXPECT_EQ(*int64_from_json("-5"), -5);
  EXPECT_EQ(*int64_from_json(2.0), 2);
  EXPECT_EQ(*int64_from_json("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_FALSE(int64_from_json("9223372036854775808"));
  EXPECT_FALSE(int64_from_json(Json(uint64_t{18446744073709551615ULL})));
  EXPECT_FALSE(int64_from_json(1e300));
  EXPECT_FALSE(int64_from_json(2.5));
  EXPECT_FALSE(int64_from_json("12a"));
  EXPECT_FALSE(int64_from_json(""));
  EXPECT_FALSE(int64_from_json("-"));
  EXPECT_FALSE(int64_from_json(true));
}

TEST(JsonCodec, ReadersIgnoreUnknownFieldsAndRejectWrongTypes) {
  Json run_info{{"run_id", "r1"}, {"status", "FINISHED"}, {"some_3x_field", {{"a", 1}}}};
  EXPECT_EQ(run_info_from_json(run_info).status, RunStatus::kFinished);
  EXPECT_THROW(run_info_from_json(Json{{"run_id", 5}}), MlflowException);
  EXPECT_THROW(run_from_json(Json::array()), MlflowException);
}

TEST(JsonCodec, DumpReplacesInvalidUtf8) {
  Json value = std::string("bad \xff byte");
  EXPECT_NO_THROW(dump(value));
}

TEST(Errors, NamesAndStatuses) {
  EXPECT_EQ(error_code_name(ErrorCode::kResourceAlreadyExists), "RESOURCE_ALREADY_EXISTS");
  EXPECT_EQ(http_status_for(ErrorCode::kResourceAlreadyExists), 400);
  EXPECT_EQ(http_status_for(ErrorCode::kResourceDoesNotExist), 404);
  EXPECT_EQ(http_status_for(ErrorCode::kInvalidState), 500);
  EXPECT_EQ(parse_error_code("NOT_IMPLEMENTED"), ErrorCode::kNotImplemented);
  EXPECT_FALSE(parse_error_code("SOMETHING_NEW"));
  MlflowException unknown("SOMETHING_NEW", 418, "teapot");
  EXPECT_EQ(unknown.error_code(), "SOMETHING_NEW");
  EXPECT_FALSE(unknown.code());
}

TEST(Entities, EnumNamesAndNumbers) {
  EXPECT_EQ(parse_run_status("KILLED"), RunStatus::kKilled);
  EXPECT_EQ(parse_run_status("3"), RunStatus::kFinished);
  EXPECT_FALSE(parse_run_status("finished"));
  EXPECT_EQ(parse_view_type("ALL"), ViewType::kAll);
  EXPECT_EQ(parse_view_type("2"), ViewType::kDeletedOnly);
  EXPECT_EQ(to_string(LifecycleStage::kDeleted), "deleted");
}

}  // namespace
}  // namespace mlflowcpp::protocol

namespace mlflowcpp::protocol {
namespace {

// The text writer for metric series must give the DOM's JSON, value for value.
TEST(JsonCodec, MetricSeriesTextEqualsTheDomForm) {
  const double values[] = {0.0,     1.0,    -2.0,   0.1,   1e-05,  0.3333333333333333, 1.7976931348623157e308,
                           -1e300,  5e-324, 123456789012345680.0, std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  std::vector<Metric> series;
  std::vector<MetricWithRunId> bulk;
  int64_t step = -3;
  for (double value : values) {
    series.push_back({"loss \"quoted\" \xc3\xa9", value, 1700000000000 + step, step});
    bulk.push_back({step % 2 ? "a" : "b/c", value, 1, step, step % 2 ? "run1" : "run\"2"});
    ++step;
  }
  Json expected = Json::object();
  put_list(expected, "metrics", series);
  EXPECT_EQ(Json::parse(metrics_response(series).text), expected);

  Json expected_bulk = Json::object();
  put_list(expected_bulk, "metrics", bulk);
  EXPECT_EQ(Json::parse(metrics_response(bulk).text), expected_bulk);
  // Whole numbers keep their decimal point, as in the DOM's text.
  EXPECT_NE(metrics_response(series).text.find(R"("value":1.0,)"), std::string::npos);

  EXPECT_EQ(metrics_response(std::vector<Metric>{}).text, "{}");
  EXPECT_EQ(metrics_response(std::vector<MetricWithRunId>{}, /*omit_when_empty=*/false).text, R"({"metrics":[]})");
}

}  // namespace
}  // namespace mlflowcpp::protocol
