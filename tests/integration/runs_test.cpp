// Runs endpoints over real HTTP: create/get/update/delete/restore, names,
// the run_uuid alias, inputs and datasets, and artifact listing.

#include <gtest/gtest.h>

#include <memory>
#include <regex>

#include "integration/tracking_api.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

const std::string kMissingRunId = "0123456789abcdef0123456789abcdef";

class RunsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<testing::ServerProcess>(); }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    experiment_id_ = api_.create_experiment(std::string("runs-") + info->name());
    ASSERT_FALSE(experiment_id_.empty());
  }

  HttpClient http_ = server_->client();
  TrackingApi api_{http_};
  std::string experiment_id_;
  static std::unique_ptr<testing::ServerProcess> server_;
};

std::unique_ptr<testing::ServerProcess> RunsTest::server_;

TEST_F(RunsTest, CreateAnswersRunWithInfoAndDataOnly) {
  auto response = http_.post(kApi + "/runs/create", {{"experiment_id", experiment_id_},
                                                     {"run_name", "first"},
                                                     {"start_time", 1700000000123},
                                                     {"user_id", "alice"},
                                                     {"tags", {{{"key", "stage"}, {"value", "dev"}}}}});
  ASSERT_TRUE(IsOk(response));
  ASSERT_TRUE(response.json.contains("run")) << response.body;
  const Json& run = response.json["run"];
  EXPECT_TRUE(run.contains("info"));
  EXPECT_TRUE(run.contains("data"));
  EXPECT_FALSE(run.contains("inputs")) << "runs/create has no inputs on 2.9.2: " << response.body;

  const Json& info = run["info"];
  const std::string run_id = info.value("run_id", "");
  EXPECT_TRUE(std::regex_match(run_id, std::regex("[0-9a-f]{32}"))) << run_id;
  EXPECT_EQ(info.value("run_uuid", ""), run_id);
  EXPECT_EQ(info["experiment_id"], experiment_id_);
  EXPECT_EQ(info["run_name"], "first");
  EXPECT_EQ(info["user_id"], "alice");
  EXPECT_EQ(info["status"], "RUNNING");
  EXPECT_EQ(info["start_time"], 1700000000123);
  EXPECT_TRUE(info["start_time"].is_number_integer());
  EXPECT_FALSE(info.contains("end_time")) << response.body;
  EXPECT_EQ(info["artifact_uri"], "mlflow-artifacts:/" + experiment_id_ + "/" + run_id + "/artifacts");
  EXPECT_EQ(info["lifecycle_stage"], "active");

  auto tags = key_values(run["data"], "tags");
  EXPECT_EQ(tags["stage"], "dev");
  EXPECT_EQ(tags["mlflow.runName"], "first");
}

TEST_F(RunsTest, GetAddsEmptyInputsAndKeepsUserIdEmptyString) {
  const std::string run_id = api_.create_run(experiment_id_, {{"start_time", 5}});
  auto response = http_.get(kApi + "/runs/get?run_id=" + run_id);
  ASSERT_TRUE(IsOk(response));
  const Json& run = response.json["run"];
  EXPECT_EQ(run["inputs"], Json::object()) << response.body;
  EXPECT_EQ(run["info"]["user_id"], "") << response.body;
  EXPECT_EQ(run["info"]["start_time"], 5);
}

TEST_F(RunsTest, CreateWithoutStartTimeStoresZero) {
  Json created = api_.create_run_json(experiment_id_);
  EXPECT_EQ(created["run"]["info"]["start_time"], 0) << created.dump();
}

TEST_F(RunsTest, RunNameAndRunNameTagStayInSync) {
  // Generated name when neither is given.
  Json generated = api_.create_run_json(experiment_id_, {{"start_time", 1}});
  const std::string name = generated["run"]["info"].value("run_name", "");
  EXPECT_FALSE(name.empty()) << generated.dump();
  EXPECT_EQ(key_values(generated["run"]["data"], "tags")["mlflow.runName"], name);

  // Name from the tag alone.
  Json from_tag = api_.create_run_json(experiment_id_, {{"tags", {{{"key", "mlflow.runName"}, {"value", "tagged"}}}}});
  EXPECT_EQ(from_tag["run"]["info"]["run_name"], "tagged");

  // Both, disagreeing: 400.
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/create", {{"experiment_id", experiment_id_},
                                                        {"run_name", "a"},
                                                        {"tags", {{{"key", "mlflow.runName"}, {"value", "b"}}}}}),
                      400, "INVALID_PARAMETER_VALUE"));

  // Renaming by tag renames the run; renaming by update rewrites the tag.
  const std::string run_id = from_tag["run"]["info"]["run_id"];
  ASSERT_TRUE(IsOk(http_.post(kApi + "/runs/set-tag", {{"run_id", run_id}, {"key", "mlflow.runName"}, {"value", "by-tag"}})));
  EXPECT_EQ(api_.get_run(run_id)["info"]["run_name"], "by-tag");
  ASSERT_TRUE(IsOk(http_.post(kApi + "/runs/update", {{"run_id", run_id}, {"run_name", "by-update"}})));
  Json run = api_.get_run(run_id);
  EXPECT_EQ(run["info"]["run_name"], "by-update");
  EXPECT_EQ(key_values(run["data"], "tags")["mlflow.runName"], "by-update");
}

TEST_F(RunsTest, CreateInUnknownExperimentIsNotFound) {
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/create", {{"experiment_id", "987654321"}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));
}

TEST_F(RunsTest, UnknownAndMalformedRunIdsAreNotFound) {
  EXPECT_TRUE(IsError(http_.get(kApi + "/runs/get?run_id=" + kMissingRunId), 404, "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(http_.get(kApi + "/runs/get?run_id=not-a-run"), 404, "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/update", {{"run_id", kMissingRunId}, {"status", "FINISHED"}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/delete", {{"run_id", kMissingRunId}}), 404, "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/restore", {{"run_id", kMissingRunId}}), 404, "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/delete", Json::object()), 400, "INVALID_PARAMETER_VALUE"));
}

TEST_F(RunsTest, UpdateAnswersRunInfo) {
  const std::string run_id = api_.create_run(experiment_id_, {{"start_time", 10}});
  auto response = http_.post(kApi + "/runs/update", {{"run_id", run_id}, {"status", "FINISHED"}, {"end_time", 20}});
  ASSERT_TRUE(IsOk(response));
  ASSERT_TRUE(response.json.contains("run_info")) << response.body;
  EXPECT_EQ(response.json.size(), 1u) << response.body;
  EXPECT_EQ(response.json["run_info"]["status"], "FINISHED");
  EXPECT_EQ(response.json["run_info"]["end_time"], 20);
  EXPECT_EQ(response.json["run_info"]["run_id"], run_id);

  // Only present fields change; an unknown status is ignored with 200 (2.9.2).
  ASSERT_TRUE(IsOk(http_.post(kApi + "/runs/update", {{"run_id", run_id}, {"status", "BOGUS"}})));
  Json info = api_.get_run(run_id)["info"];
  EXPECT_EQ(info["status"], "FINISHED");
  EXPECT_EQ(info["end_time"], 20);

  // Status by enum number, run addressed by the legacy run_uuid.
  auto by_uuid = http_.post(kApi + "/runs/update", {{"run_uuid", run_id}, {"status", 4}});
  ASSERT_TRUE(IsOk(by_uuid));
  EXPECT_EQ(by_uuid.json["run_info"]["status"], "FAILED");
}

TEST_F(RunsTest, RunUuidIsAcceptedWhereRunIdIs) {
  const std::string run_id = api_.create_run(experiment_id_, {{"start_time", 1}});
  auto got = http_.get(kApi + "/runs/get?run_uuid=" + run_id);
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(got.json["run"]["info"]["run_id"], run_id);
  EXPECT_TRUE(IsOk(http_.post(kApi + "/runs/log-metric",
                              {{"run_uuid", run_id}, {"key", "m"}, {"value", 1.0}, {"timestamp", 1}, {"step", 0}})));
  EXPECT_TRUE(IsOk(http_.post(kApi + "/runs/log-parameter", {{"run_uuid", run_id}, {"key", "p"}, {"value", "v"}})));
  EXPECT_TRUE(IsOk(http_.post(kApi + "/runs/set-tag", {{"run_uuid", run_id}, {"key", "t"}, {"value", "v"}})));
  auto history = http_.get(kApi + "/metrics/get-history?run_uuid=" + run_id + "&metric_key=m");
  ASSERT_TRUE(IsOk(history));
  EXPECT_EQ(history.json.value("metrics", Json::array()).size(), 1u) << history.body;
  auto listed = http_.get(kApi + "/artifacts/list?run_uuid=" + run_id);
  EXPECT_TRUE(IsOk(listed));
}

TEST_F(RunsTest, DeleteAndRestore) {
  const std::string run_id = api_.create_run(experiment_id_, {{"start_time", 1}});
  auto deleted = http_.post(kApi + "/runs/delete", {{"run_id", run_id}});
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_EQ(deleted.json, Json::object());
  EXPECT_EQ(api_.get_run(run_id)["info"]["lifecycle_stage"], "deleted");

  // Writes to a deleted run: 400.
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/log-metric",
                                 {{"run_id", run_id}, {"key", "m"}, {"value", 1}, {"timestamp", 1}}),
                      400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/log-parameter", {{"run_id", run_id}, {"key", "p"}, {"value", "v"}}),
                      400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/set-tag", {{"run_id", run_id}, {"key", "t"}, {"value", "v"}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/log-batch",
                                 {{"run_id", run_id}, {"params", {{{"key", "p"}, {"value", "v"}}}}}),
                      400, "INVALID_PARAMETER_VALUE"));

  // Search sees it only as deleted.
  auto active = http_.post(kApi + "/runs/search", {{"experiment_ids", {experiment_id_}}});
  ASSERT_TRUE(IsOk(active));
  EXPECT_FALSE(active.json.contains("runs")) << active.body;
  auto gone = http_.post(kApi + "/runs/search", {{"experiment_ids", {experiment_id_}}, {"run_view_type", "DELETED_ONLY"}});
  ASSERT_TRUE(IsOk(gone));
  ASSERT_EQ(gone.json.value("runs", Json::array()).size(), 1u) << gone.body;

  ASSERT_TRUE(IsOk(http_.post(kApi + "/runs/restore", {{"run_id", run_id}})));
  EXPECT_EQ(api_.get_run(run_id)["info"]["lifecycle_stage"], "active");
}

TEST_F(RunsTest, ArtifactsListOnAnEmptyRunIsOnlyTheRoot) {
  Json run = api_.create_run_json(experiment_id_, {{"start_time", 1}});
  const std::string run_id = run["run"]["info"]["run_id"];
  auto listed = http_.get(kApi + "/artifacts/list?run_id=" + run_id);
  ASSERT_TRUE(IsOk(listed));
  EXPECT_EQ(listed.json, Json({{"root_uri", run["run"]["info"]["artifact_uri"]}}));
}

TEST_F(RunsTest, ArtifactsListShowsFilesFromTheArtifactsDestination) {
  const std::string run_id = api_.create_run(experiment_id_, {{"start_time", 1}});
  const auto root = server_->artifacts_dir() / experiment_id_ / run_id / "artifacts";
  testing::write_file(root / "notes.txt", "hello");
  testing::write_file(root / "model" / "MLmodel", "flavors: {}\n");

  auto listed = http_.get(kApi + "/artifacts/list?run_id=" + run_id);
  ASSERT_TRUE(IsOk(listed));
  EXPECT_EQ(listed.json["root_uri"], "mlflow-artifacts:/" + experiment_id_ + "/" + run_id + "/artifacts");
  Json files = listed.json.value("files", Json::array());
  std::sort(files.begin(), files.end(), [](const Json& a, const Json& b) { return a["path"] < b["path"]; });
  EXPECT_EQ(files, Json::parse(R"([{"path":"model","is_dir":true},{"path":"notes.txt","is_dir":false,"file_size":5}])"))
      << listed.body;

  auto nested = http_.get(kApi + "/artifacts/list?run_id=" + run_id + "&path=model");
  ASSERT_TRUE(IsOk(nested));
  EXPECT_EQ(nested.json.value("files", Json::array()),
            Json::parse(R"([{"path":"model/MLmodel","is_dir":false,"file_size":12}])"))
      << nested.body;

  auto missing_dir = http_.get(kApi + "/artifacts/list?run_id=" + run_id + "&path=nothing-here");
  ASSERT_TRUE(IsOk(missing_dir));
  EXPECT_FALSE(missing_dir.json.contains("files")) << missing_dir.body;

  EXPECT_TRUE(IsError(http_.get(kApi + "/artifacts/list?run_id=" + run_id + "&path=..%2F..%2F.."), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_.get(kApi + "/artifacts/list?run_id=" + run_id + "&path=model%2F..%2F..%2Fx"), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_.get(kApi + "/artifacts/list?run_id=" + kMissingRunId), 404, "RESOURCE_DOES_NOT_EXIST"));
}

Json imagenet_input() {
  return Json::parse(R"({"tags": [{"key": "mlflow.data.context", "value": "training"}],
     "dataset": {"name": "imagenet-mini", "digest": "abc123", "source_type": "local",
                 "source": "{\"uri\": \"/data/imagenet-mini\"}", "profile": "{\"num_rows\": 1000}"}})");
}

TEST_F(RunsTest, LogInputsIsIdempotentAndShowsInGet) {
  const std::string run_id = api_.create_run(experiment_id_, {{"start_time", 1}});
  for (int i = 0; i < 2; ++i) {
    auto logged = http_.post(kApi + "/runs/log-inputs", {{"run_id", run_id}, {"datasets", {imagenet_input()}}});
    ASSERT_TRUE(IsOk(logged));
    EXPECT_EQ(logged.json, Json::object());
  }
  Json run = api_.get_run(run_id);
  EXPECT_EQ(run["inputs"], Json({{"dataset_inputs", {imagenet_input()}}})) << run.dump();

  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/log-inputs", {{"run_id", kMissingRunId}, {"datasets", {imagenet_input()}}}),
                      404, "RESOURCE_DOES_NOT_EXIST"));
  Json no_digest = imagenet_input();
  no_digest["dataset"].erase("digest");
  EXPECT_TRUE(IsError(http_.post(kApi + "/runs/log-inputs", {{"run_id", run_id}, {"datasets", {no_digest}}}), 400,
                      "INVALID_PARAMETER_VALUE"));
}

TEST_F(RunsTest, SearchDatasetsSummarisesAnExperimentsInputs) {
  const std::string run_id = api_.create_run(experiment_id_, {{"start_time", 1}});
  ASSERT_TRUE(IsOk(http_.post(kApi + "/runs/log-inputs", {{"run_id", run_id}, {"datasets", {imagenet_input()}}})));
  auto response = http_.post(kAjax + "/experiments/search-datasets", {{"experiment_ids", {experiment_id_}}});
  ASSERT_TRUE(IsOk(response));
  EXPECT_EQ(response.json, Json::parse(R"({"dataset_summaries": [{"experiment_id": ")" + experiment_id_ +
                                       R"(", "name": "imagenet-mini", "digest": "abc123", "context": "training"}]})"))
      << response.body;

  std::vector<std::string> too_many(21, experiment_id_);
  EXPECT_TRUE(IsError(http_.post(kAjax + "/experiments/search-datasets", {{"experiment_ids", too_many}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(http_.post(kAjax + "/experiments/search-datasets", Json::object()), 400,
                      "INVALID_PARAMETER_VALUE"));
}

TEST_F(RunsTest, AjaxApiMirrorsRunCalls) {
  auto created = http_.post(kAjax + "/runs/create", {{"experiment_id", experiment_id_}, {"start_time", 1}});
  ASSERT_TRUE(IsOk(created));
  const std::string run_id = created.json["run"]["info"]["run_id"];
  auto rest = http_.get(kApi + "/runs/get?run_id=" + run_id);
  auto ajax = http_.get(kAjax + "/runs/get?run_id=" + run_id);
  ASSERT_TRUE(IsOk(ajax));
  EXPECT_EQ(ajax.json, rest.json);
  EXPECT_TRUE(IsOk(http_.post(kAjax + "/runs/search", {{"experiment_ids", {experiment_id_}}})));
}

}  // namespace
}  // namespace mlflowcpp::integration
