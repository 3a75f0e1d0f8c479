// Runs and logged models over HTTP, against the answers the official MLflow 3.6
// server recorded (tests/fixtures/mlflow-3-sample.answers.json) on a copy of
// the database it wrote: a run's model inputs and outputs (calls 24-26),
// the paged metric history (27-29), runs/outputs (49-51), a metric logged on a
// model (52-53, and what 54 shows of it); and how a database with MLflow
// 2.9's schema answers the same calls.

#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "integration/tracking_api.hpp"
#include "testing/recorded_answers.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

// The run the writes of calls 49-53 go to (train-b) and the model they link to it.
constexpr const char* kTrainB = "c0a47b94149d4d98a5fcd68b37d282ca";
constexpr const char* kRecordedModel = "m-6fa18b4215cb45d6b8975f0acd925217";  // created by call 36
// Call 36 creates its model through the logged-model endpoints, which these
// calls do not need: they link the fixture's own `classifier` instead, which is
// not yet an output of train-b (its id sorts where the created one did).
constexpr const char* kClassifier = "m-56cbf5817a4f40f08034bff98bf7df02";

// Call `index` with the created model's id replaced by the classifier's.
Json recorded_call(size_t index) {
  std::string text = testing::mlflow3_recorded_calls().at(index).dump();
  for (size_t at = text.find(kRecordedModel); at != std::string::npos; at = text.find(kRecordedModel, at)) {
    text.replace(at, std::string(kRecordedModel).size(), kClassifier);
  }
  return Json::parse(text);
}

// A server on a copy of `fixture` (a file of tests/fixtures) in `dir`.
std::unique_ptr<testing::ServerProcess> serve_copy(const testing::TempDir& dir, const std::string& fixture) {
  return std::make_unique<testing::ServerProcess>(testing::on_fixture_copy(fixture, dir.path()));
}

class RunModelLinksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = serve_copy(dir_, "mlflow-3-sample.sqlite");
    http_ = std::make_unique<HttpClient>(server_->client());
  }

  // The call's answer as the official server's: status, error code, and for a
  // 200 the same JSON (metric series in their order).
  void expect_recorded_answer(const Json& call) {
    SCOPED_TRACE(call.at("method").get<std::string>() + " " + call.at("path").get<std::string>());
    const HttpResponse response = testing::send_recorded_call(*http_, call);
    const auto difference = testing::recorded_answer_difference(call, response);
    EXPECT_FALSE(difference.has_value()) << difference.value_or("");
    if (call.at("status") == 200 && call.at("response").contains("metrics")) {
      testing::JsonCompareRules in_order;
      in_order.ordered_array_keys = {"metrics"};
      in_order.opaque_string_keys = {"next_page_token"};
      const auto order = testing::first_json_difference(call.at("response"), response.json, in_order);
      EXPECT_FALSE(order.has_value()) << order.value_or("");
    }
  }

  testing::TempDir dir_{"mlflowcpp-run-model-links"};
  std::unique_ptr<testing::ServerProcess> server_;
  std::unique_ptr<HttpClient> http_;
};

TEST_F(RunModelLinksTest, RecordedCallsFindTheSameAnswers) {
  ASSERT_EQ(testing::mlflow3_recorded_calls().size(), 66u);
  for (size_t index : {24, 25, 26, 28, 29}) expect_recorded_answer(recorded_call(index));
  // The tokens are the official server's own ({"offset": 4}).
  EXPECT_EQ(http_->get(recorded_call(29).at("path")).json.value("next_page_token", ""), "eyJvZmZzZXQiOiA0fQ==");

  // Call 27, without max_results: every point and no token, as MLflow 2.x
  // answers (MLflow 3.6 answers only a token that pages nowhere).
  const HttpResponse whole = http_->get(recorded_call(27).at("path"));
  ASSERT_TRUE(IsOk(whole));
  EXPECT_EQ(whole.json, recorded_call(28).at("response"));

  for (size_t index = 49; index <= 53; ++index) expect_recorded_answer(recorded_call(index));

  // Call 54 shows the metric of call 52 among the model's metrics, with its
  // run and dataset: the row as MLflow's SQL store writes it.
  SQLite::Database db((dir_.path() / "mlflow.db").string(), SQLite::OPEN_READONLY);
  SQLite::Statement row(db,
                        "SELECT metric_value, metric_timestamp_ms, metric_step, experiment_id, dataset_uuid IS NULL, "
                        "dataset_name, dataset_digest FROM logged_model_metrics "
                        "WHERE model_id = ? AND run_id = ? AND metric_name = 'accuracy'");
  row.bind(1, kClassifier);
  row.bind(2, kTrainB);
  ASSERT_TRUE(row.executeStep());
  EXPECT_EQ(row.getColumn(0).getDouble(), 0.88);
  EXPECT_EQ(row.getColumn(1).getInt64(), 1700000009000);
  EXPECT_EQ(row.getColumn(2).getInt64(), 1);
  EXPECT_EQ(row.getColumn(3).getInt64(), 1);
  EXPECT_EQ(row.getColumn(4).getInt(), 1);
  EXPECT_EQ(row.getColumn(5).getString(), "iris-eval");
  EXPECT_EQ(row.getColumn(6).getString(), "d1g3st");
  EXPECT_FALSE(row.executeStep());
}

TEST_F(RunModelLinksTest, ModelInputsAndOutputsOverBothPrefixes) {
  EXPECT_TRUE(IsOk(http_->post(kAjax + "/runs/outputs",
                               {{"run_id", kTrainB}, {"models", {{{"model_id", kClassifier}, {"step", 4}}}}})));
  EXPECT_TRUE(
      IsOk(http_->post(kApi + "/runs/log-inputs", {{"run_id", kTrainB}, {"models", {{{"model_id", kClassifier}}}}})));
  const HttpResponse run = http_->get(kAjax + "/runs/get?run_id=" + std::string(kTrainB));
  ASSERT_TRUE(IsOk(run));
  EXPECT_EQ(run.json["run"]["outputs"]["model_outputs"][1], Json({{"model_id", kClassifier}, {"step", 4}}));
  EXPECT_EQ(run.json["run"]["inputs"], Json({{"model_inputs", {{{"model_id", kClassifier}}}}}));
}

TEST_F(RunModelLinksTest, MistakesGetClearErrors) {
  const std::string missing_model = "m-00000000000000000000000000000000";
  EXPECT_TRUE(
      IsError(http_->post(kApi + "/runs/outputs", {{"run_id", kTrainB}, {"models", {{{"model_id", missing_model}}}}}),
              404, "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(http_->post(kApi + "/runs/outputs", {{"run_id", kTrainB}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_->post(kApi + "/runs/outputs", {{"run_id", kTrainB}, {"models", {{{"step", 1}}}}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(
      http_->post(
          kApi + "/runs/log-metric",
          {{"run_id", kTrainB}, {"key", "accuracy"}, {"value", 0.5}, {"timestamp", 1}, {"model_id", missing_model}}),
      404, "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(
      IsError(http_->post(kApi + "/runs/log-batch",
                          {{"run_id", kTrainB},
                           {"metrics", {{{"key", "a"}, {"value", 1}, {"timestamp", 1}, {"model_id", missing_model}}}}}),
              404, "RESOURCE_DOES_NOT_EXIST"));

  const std::string history = kApi + "/metrics/get-history?run_id=" + kTrainB + "&metric_key=loss";
  EXPECT_TRUE(IsError(http_->get(history + "&max_results=0"), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_->get(history + "&max_results=-1"), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_->get(history + "&max_results=2147483648"), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_->get(history + "&max_results=ten"), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_->get(history + "&max_results=2&page_token=bm9wZQ%3D%3D"), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_->get(history + "&page_token=%25%25"), 400, "INVALID_PARAMETER_VALUE"));
}

TEST(RunModelLinksOnMlflow2Test, OutputsAskForTheUpgradeAndModelFieldsAreIgnored) {
  testing::TempDir dir("mlflowcpp-run-model-links-2");
  const auto server = serve_copy(dir, "mlflow-2.9.2-sample.sqlite");
  HttpClient http = server->client();
  TrackingApi api(http);
  const std::string run_id = api.create_run("0");
  const HttpResponse outputs =
      http.post(kApi + "/runs/outputs", {{"run_id", run_id}, {"models", {{{"model_id", "m-1"}, {"step", 1}}}}});
  EXPECT_TRUE(IsError(outputs, 400, "INVALID_STATE"));
  EXPECT_NE(outputs.json.value("message", "").find("mlflowcpp db upgrade"), std::string::npos) << outputs.describe();

  EXPECT_TRUE(IsOk(http.post(kApi + "/runs/log-metric", {{"run_id", run_id},
                                                         {"key", "accuracy"},
                                                         {"value", 0.5},
                                                         {"timestamp", 1},
                                                         {"model_id", "m-1"},
                                                         {"dataset_name", "eval"}})));
  EXPECT_TRUE(IsOk(http.post(kApi + "/runs/log-inputs", {{"run_id", run_id}, {"models", {{{"model_id", "m-1"}}}}})));
  const HttpResponse run = http.get(kApi + "/runs/get?run_id=" + run_id);
  ASSERT_TRUE(IsOk(run));
  EXPECT_FALSE(run.json["run"].contains("outputs")) << run.describe();
  EXPECT_EQ(run.json["run"]["inputs"], Json::object());
  EXPECT_EQ(run.json["run"]["data"]["metrics"].size(), 1u);
  const HttpResponse page =
      http.get(kApi + "/metrics/get-history?run_id=" + run_id + "&metric_key=accuracy&max_results=1");
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(page.json, Json({{"metrics", {{{"key", "accuracy"}, {"value", 0.5}, {"timestamp", 1}, {"step", 0}}}}}));
}

}  // namespace
}  // namespace mlflowcpp::integration
