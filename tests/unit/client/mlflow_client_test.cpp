#include <mlflowcpp/client.hpp>

#include "protocol/json_codec.hpp"
#include "recording_connection.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace mlflowcpp {
namespace {

using protocol::Json;
using testing::json_response;
using testing::RecordingConnection;

std::shared_ptr<RecordingConnection> answering(int status, std::string body) {
  return std::make_shared<RecordingConnection>(
      [status, body](const HttpRequest&) { return json_response(status, body); });
}

Json body_of(const HttpRequest& request) { return Json::parse(request.body); }

TEST(MlflowClient, CreateExperimentPostsNameAndTags) {
  auto connection = answering(200, R"({"experiment_id":"7"})");
  MlflowClient client(connection);
  EXPECT_EQ(client.create_experiment("exp", "s3://bucket/x", {{"team", "a"}}), "7");
  auto request = connection->requests().at(0);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/api/2.0/mlflow/experiments/create");
  Json body = body_of(request);
  EXPECT_EQ(body["name"], "exp");
  EXPECT_EQ(body["artifact_location"], "s3://bucket/x");
  EXPECT_EQ(body["tags"][0]["key"], "team");
}

TEST(MlflowClient, GetExperimentUsesTheQueryString) {
  auto connection = answering(200, R"({"experiment":{"experiment_id":"3","name":"e","lifecycle_stage":"deleted",
      "creation_time":5,"tags":[{"key":"a","value":"b"}],"workspace":"default","new_3x_field":{"x":1}}})");
  MlflowClient client(connection);
  Experiment experiment = client.get_experiment("3");
  EXPECT_EQ(experiment.name, "e");
  EXPECT_EQ(experiment.lifecycle_stage, LifecycleStage::kDeleted);
  EXPECT_EQ(experiment.creation_time, 5);
  ASSERT_EQ(experiment.tags.size(), 1u);
  auto request = connection->requests().at(0);
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.path, "/api/2.0/mlflow/experiments/get");
  ASSERT_EQ(request.query.size(), 1u);
  EXPECT_EQ(request.query[0], (std::pair<std::string, std::string>("experiment_id", "3")));
}

TEST(MlflowClient, GetExperimentByNameGivesNulloptWhenMissing) {
  MlflowClient missing(answering(404, R"({"error_code":"RESOURCE_DOES_NOT_EXIST","message":"no"})"));
  EXPECT_FALSE(missing.get_experiment_by_name("nope"));
  MlflowClient failing(answering(500, R"({"error_code":"INTERNAL_ERROR","message":"db down"})"));
  EXPECT_THROW(failing.get_experiment_by_name("x"), MlflowException);
}

TEST(MlflowClient, ServerErrorsCarryCodeStatusAndMessage) {
  MlflowClient client(answering(400, R"({"error_code":"INVALID_PARAMETER_VALUE","message":"bad key","extra":1})"));
  try {
    client.log_param("r", "k", "v");
    FAIL();
  } catch (const TransportError&) {
    FAIL() << "a server error is not a transport error";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.error_code(), "INVALID_PARAMETER_VALUE");
    EXPECT_EQ(error.code(), ErrorCode::kInvalidParameterValue);
    EXPECT_EQ(error.http_status(), 400);
    EXPECT_STREQ(error.what(), "bad key");
  }
}

TEST(MlflowClient, UnknownErrorCodesSurvive) {
  MlflowClient client(answering(418, R"({"error_code":"SOMETHING_NEW","message":"m"})"));
  try {
    client.delete_run("r");
    FAIL();
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.error_code(), "SOMETHING_NEW");
    EXPECT_FALSE(error.code());
    EXPECT_EQ(error.http_status(), 418);
  }
}

TEST(MlflowClient, NonJsonErrorsAreMappedByStatus) {
  struct Case {
    int status;
    ErrorCode code;
  };
  for (Case c : {Case{404, ErrorCode::kEndpointNotFound}, Case{401, ErrorCode::kUnauthenticated},
                 Case{403, ErrorCode::kPermissionDenied}, Case{400, ErrorCode::kBadRequest},
                 Case{503, ErrorCode::kTemporarilyUnavailable}, Case{502, ErrorCode::kInternalError}}) {
    MlflowClient client(answering(c.status, "<html>nope</html>"));
    try {
      client.get_run("r");
      FAIL();
    } catch (const MlflowException& error) {
      EXPECT_EQ(error.code(), c.code) << c.status;
      EXPECT_EQ(error.http_status(), c.status);
    }
  }
}

TEST(MlflowClient, A200ThatIsNotAJsonObjectIsAnError) {
  MlflowClient client(answering(200, "<html>a proxy login page</html>"));
  EXPECT_THROW(client.get_run("r"), MlflowException);
  MlflowClient empty(answering(200, ""));
  EXPECT_NO_THROW(empty.delete_run("r"));
}

TEST(MlflowClient, ErrorsLeaveTheClientUsable) {
  int calls = 0;
  auto connection = std::make_shared<RecordingConnection>([&](const HttpRequest&) {
    return ++calls == 1 ? json_response(400, R"({"error_code":"BAD_REQUEST","message":"x"})")
                        : json_response(200, "{}");
  });
  MlflowClient client(connection);
  EXPECT_THROW(client.set_tag("r", "k", "v"), MlflowException);
  EXPECT_NO_THROW(client.set_tag("r", "k", "v"));
}

TEST(MlflowClient, LogMetricSendsWhatTheServerRequires) {
  auto connection = answering(200, "{}");
  MlflowClient client(connection);
  client.log_metric("run1", "loss", std::nan(""), MetricOptions{5, 1234});
  client.log_metric("run1", "acc", 0.5);
  Json first = body_of(connection->requests().at(0));
  EXPECT_EQ(connection->requests()[0].path, "/api/2.0/mlflow/runs/log-metric");
  EXPECT_EQ(first["run_id"], "run1");
  EXPECT_EQ(first["key"], "loss");
  EXPECT_EQ(first["value"], "NaN");
  EXPECT_EQ(first["timestamp"], 1234);
  EXPECT_EQ(first["step"], 5);
  Json second = body_of(connection->requests().at(1));
  EXPECT_GT(second["timestamp"].get<int64_t>(), 1600000000000);  // "now"
  EXPECT_EQ(second["step"], 0);
}

TEST(MlflowClient, DeprecatedLogMetricKeepsTimestampBeforeStep) {
  auto connection = answering(200, "{}");
  MlflowClient client(connection);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  client.log_metric("run1", "loss", 0.5, 1234, 5);
#pragma GCC diagnostic pop
  Json body = body_of(connection->requests().at(0));
  EXPECT_EQ(body["timestamp"], 1234);
  EXPECT_EQ(body["step"], 5);
}

TEST(MlflowClient, CallsThatMustNotRunTwiceAreMarkedNonIdempotent) {
  auto connection = answering(200, R"({"experiment_id":"1","run":{"info":{"run_id":"r"}}})");
  MlflowClient client(connection);
  client.create_experiment("e");
  CreateRunRequest run;
  run.experiment_id = "1";
  client.create_run(run);
  client.get_experiment("1");
  client.set_tag("r", "k", "v");
  client.log_metric("r", "m", 1.0);
  client.log_batch("r", {{"m", 1.0, 1, 0}});
  auto requests = connection->requests();
  ASSERT_EQ(requests.size(), 6u);
  EXPECT_EQ(requests[0].idempotency, Idempotency::kNonIdempotent);  // experiments/create
  EXPECT_EQ(requests[1].idempotency, Idempotency::kNonIdempotent);  // runs/create
  EXPECT_EQ(requests[2].idempotency, Idempotency::kIdempotent);     // experiments/get
  EXPECT_EQ(requests[3].idempotency, Idempotency::kIdempotent);     // runs/set-tag
  EXPECT_EQ(requests[4].idempotency, Idempotency::kIdempotent);     // runs/log-metric: a replay repeats its row
  EXPECT_EQ(requests[5].idempotency, Idempotency::kIdempotent);     // runs/log-batch
}

TEST(MlflowClient, ParamTagAndDeleteTagPaths) {
  auto connection = answering(200, "{}");
  MlflowClient client(connection);
  client.log_param("r", "lr", "0.1");
  client.set_tag("r", "t", "v");
  client.delete_tag("r", "t");
  auto requests = connection->requests();
  EXPECT_EQ(requests[0].path, "/api/2.0/mlflow/runs/log-parameter");
  EXPECT_EQ(requests[1].path, "/api/2.0/mlflow/runs/set-tag");
  EXPECT_EQ(requests[2].path, "/api/2.0/mlflow/runs/delete-tag");
  EXPECT_EQ(body_of(requests[0])["value"], "0.1");
}

TEST(MlflowClient, CreateRunSendsStartTimeTagsAndUser) {
  auto connection = answering(200, R"({"run":{"info":{"run_id":"abc","experiment_id":"1","status":"RUNNING",
      "start_time":10,"lifecycle_stage":"active"},"data":{"tags":[{"key":"mlflow.user","value":"bob"}]}}})");
  MlflowClient client(connection);
  CreateRunRequest request;
  request.experiment_id = "1";
  request.run_name = "name";
  request.tags = {{"mlflow.user", "bob"}};
  mlflowcpp::Run run = client.create_run(request);
  EXPECT_EQ(run.info.run_id, "abc");
  EXPECT_EQ(run.info.status, RunStatus::kRunning);
  ASSERT_EQ(run.data.tags.size(), 1u);
  Json body = body_of(connection->requests().at(0));
  EXPECT_EQ(body["experiment_id"], "1");
  EXPECT_EQ(body["run_name"], "name");
  EXPECT_EQ(body["user_id"], "bob");
  EXPECT_TRUE(body["start_time"].is_number_integer());
}

TEST(MlflowClient, SetTerminatedUpdatesStatusAndEndTime) {
  auto connection = answering(200, R"({"run_info":{"run_id":"abc","status":"KILLED","end_time":99}})");
  MlflowClient client(connection);
  RunInfo info = client.set_terminated("abc", RunStatus::kKilled, 99);
  EXPECT_EQ(info.status, RunStatus::kKilled);
  EXPECT_EQ(info.end_time, 99);
  Json body = body_of(connection->requests().at(0));
  EXPECT_EQ(connection->requests()[0].path, "/api/2.0/mlflow/runs/update");
  EXPECT_EQ(body["status"], "KILLED");
  EXPECT_EQ(body["end_time"], 99);
}

TEST(MlflowClient, SearchAllRunsWalksEveryPage) {
  int page = 0;
  auto connection = std::make_shared<RecordingConnection>([&](const HttpRequest&) {
    ++page;
    if (page == 1) return json_response(200, R"({"runs":[{"info":{"run_id":"a"}}],"next_page_token":"t1"})");
    if (page == 2) return json_response(200, R"({"runs":[{"info":{"run_id":"b"}}],"next_page_token":"t2"})");
    return json_response(200, "{}");  // the empty last page the official server sends
  });
  MlflowClient client(connection);
  SearchRunsRequest request;
  request.experiment_ids = {"1", "2"};
  request.filter = "metrics.loss < 1";
  request.order_by = {"start_time DESC"};
  request.max_results = 1;
  auto runs = client.search_all_runs(request);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1].info.run_id, "b");
  auto requests = connection->requests();
  ASSERT_EQ(requests.size(), 3u);
  Json first = body_of(requests[0]);
  EXPECT_EQ(first["experiment_ids"], Json({"1", "2"}));
  EXPECT_EQ(first["filter"], "metrics.loss < 1");
  EXPECT_EQ(first["max_results"], 1);
  EXPECT_EQ(first["run_view_type"], "ACTIVE_ONLY");
  EXPECT_FALSE(first.contains("page_token"));
  EXPECT_EQ(body_of(requests[2])["page_token"], "t2");
}

TEST(MlflowClient, SearchExperimentsAlwaysSendsMaxResults) {
  auto connection = answering(200, R"({"experiments":[{"experiment_id":"0","name":"Default"}]})");
  MlflowClient client(connection);
  SearchExperimentsRequest request;
  request.view_type = ViewType::kAll;
  Page<Experiment> page = client.search_experiments(request);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_TRUE(page.next_page_token.empty());
  Json body = body_of(connection->requests().at(0));
  EXPECT_EQ(body["max_results"], 1000);
  EXPECT_EQ(body["view_type"], "ALL");
}

TEST(MlflowClient, MetricHistoryFollowsPageTokens) {
  int page = 0;
  auto connection = std::make_shared<RecordingConnection>([&](const HttpRequest&) {
    if (++page == 1) {
      return json_response(200, R"({"metrics":[{"key":"l","value":"NaN","timestamp":1,"step":0}],
                                    "next_page_token":"p2"})");
    }
    return json_response(200, R"({"metrics":[{"key":"l","value":1.5,"timestamp":2,"step":1}]})");
  });
  MlflowClient client(connection);
  auto history = client.get_metric_history("r", "l");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_TRUE(std::isnan(history[0].value));
  EXPECT_EQ(history[1].step, 1);
  auto requests = connection->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/api/2.0/mlflow/metrics/get-history");
  bool sent_token = false;
  for (const auto& [key, value] : requests[1].query) sent_token |= key == "page_token" && value == "p2";
  EXPECT_TRUE(sent_token);
}

TEST(MlflowClient, OneMetricHistoryPageAsksForItsSizeOnlyWhenGiven) {
  auto connection = std::make_shared<RecordingConnection>([&](const HttpRequest&) {
    return json_response(200, R"({"metrics":[{"key":"l","value":2,"timestamp":1,"step":0}],"next_page_token":"n"})");
  });
  MlflowClient client(connection);
  Page<Metric> whole = client.get_metric_history_page("r", "l", std::nullopt);
  ASSERT_EQ(whole.items.size(), 1u);
  EXPECT_EQ(whole.next_page_token, "n");
  client.get_metric_history_page("r", "l", 200000, "n");
  auto requests = connection->requests();
  ASSERT_EQ(requests.size(), 2u);
  auto has = [](const HttpRequest& request, const std::string& key) {
    for (const auto& parameter : request.query) {
      if (parameter.first == key) return true;
    }
    return false;
  };
  EXPECT_FALSE(has(requests[0], "max_results"));
  EXPECT_FALSE(has(requests[0], "page_token"));
  EXPECT_TRUE(has(requests[1], "max_results"));
  EXPECT_TRUE(has(requests[1], "page_token"));
}

TEST(MlflowClient, LogBatchSplitsWithinEveryServerLimit) {
  auto connection = answering(200, "{}");
  MlflowClient client(connection);
  std::vector<Metric> metrics;
  for (int i = 0; i < 2345; ++i) metrics.push_back({"m", double(i), 1, i});
  std::vector<Param> params;
  for (int i = 0; i < 234; ++i) params.push_back({"p" + std::to_string(i), "v"});
  std::vector<RunTag> tags;
  for (int i = 0; i < 123; ++i) tags.push_back({"t" + std::to_string(i), "v"});
  client.log_batch("r", metrics, params, tags);

  std::size_t metric_count = 0, param_count = 0, tag_count = 0;
  int64_t next_step = 0;
  for (const auto& request : connection->requests()) {
    EXPECT_EQ(request.path, "/api/2.0/mlflow/runs/log-batch");
    EXPECT_LT(request.body.size(), 1000000u);
    Json body = body_of(request);
    EXPECT_EQ(body["run_id"], "r");
    std::size_t m = body.value("metrics", Json::array()).size();
    std::size_t p = body.value("params", Json::array()).size();
    std::size_t t = body.value("tags", Json::array()).size();
    EXPECT_LE(m, 1000u);
    EXPECT_LE(p, 100u);
    EXPECT_LE(t, 100u);
    EXPECT_LE(m + p + t, 1000u);
    for (const auto& metric : body.value("metrics", Json::array())) EXPECT_EQ(metric["step"], next_step++);
    metric_count += m;
    param_count += p;
    tag_count += t;
  }
  EXPECT_EQ(metric_count, 2345u);
  EXPECT_EQ(param_count, 234u);
  EXPECT_EQ(tag_count, 123u);
  // 2702 items: 100+100+800, then 100+23+877, then 34+0+668.
  EXPECT_EQ(connection->requests().size(), 3u);
}

TEST(MlflowClient, LogBatchOfNothingSendsNothing) {
  auto connection = answering(200, "{}");
  MlflowClient client(connection);
  client.log_batch("r", {}, {}, {});
  EXPECT_TRUE(connection->requests().empty());
}

TEST(MlflowClient, LogInputsSendsDatasets) {
  auto connection = answering(200, "{}");
  MlflowClient client(connection);
  DatasetInput input;
  input.dataset = {"train", "abc123", "local", R"({"uri":"/data"})", std::nullopt, std::nullopt};
  input.tags = {{"mlflow.data.context", "training"}};
  client.log_inputs("r", {input});
  Json body = body_of(connection->requests().at(0));
  EXPECT_EQ(connection->requests()[0].path, "/api/2.0/mlflow/runs/log-inputs");
  EXPECT_EQ(body["datasets"][0]["dataset"]["name"], "train");
  EXPECT_EQ(body["datasets"][0]["tags"][0]["value"], "training");
}

TEST(MlflowClient, ExperimentLifecycleCalls) {
  auto connection = answering(200, "{}");
  MlflowClient client(connection);
  client.rename_experiment("1", "new");
  client.delete_experiment("1");
  client.restore_experiment("1");
  client.set_experiment_tag("1", "k", "v");
  client.delete_experiment_tag("1", "k");
  client.restore_run("r");
  auto requests = connection->requests();
  std::vector<std::string> paths;
  for (const auto& request : requests) paths.push_back(request.path.substr(std::string("/api/2.0/mlflow/").size()));
  EXPECT_EQ(paths, (std::vector<std::string>{"experiments/update", "experiments/delete", "experiments/restore",
                                             "experiments/set-experiment-tag", "experiments/delete-experiment-tag",
                                             "runs/restore"}));
  EXPECT_EQ(body_of(requests[0])["new_name"], "new");
}

TEST(MlflowClient, AcceptsFieldsOfNewerServers) {
  // Shapes an MLflow 3.x server sends: outputs, model inputs, metric links, workspace.
  MlflowClient client(answering(200, R"({"run":{
      "info":{"run_id":"r","run_uuid":"r","experiment_id":"1","status":"FINISHED","end_time":5,
              "lifecycle_stage":"active","workspace":"default"},
      "data":{"metrics":[{"key":"m","value":"Infinity","timestamp":1,"step":2,"dataset_name":"d",
                          "dataset_digest":"x","model_id":"m-1","run_id":"r"}]},
      "inputs":{"dataset_inputs":[],"model_inputs":[{"model_id":"m-1"}]},
      "outputs":{"model_outputs":[{"model_id":"m-2","step":3}]}},
      "extra_top_level":[1,2,3]})"));
  mlflowcpp::Run run = client.get_run("r");
  EXPECT_EQ(run.info.status, RunStatus::kFinished);
  EXPECT_EQ(run.info.end_time, 5);
  ASSERT_EQ(run.data.metrics.size(), 1u);
  EXPECT_TRUE(std::isinf(run.data.metrics[0].value));
  EXPECT_EQ(run.data.metrics[0].step, 2);
}

TEST(MlflowClient, CopiesShareOneConnection) {
  auto connection = answering(200, "{}");
  MlflowClient client(connection);
  MlflowClient copy = client;
  EXPECT_EQ(copy.connection(), client.connection());
  EXPECT_THROW(MlflowClient(std::shared_ptr<Connection>()), MlflowException);
}

}  // namespace
}  // namespace mlflowcpp
