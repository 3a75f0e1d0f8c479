// The tracking endpoints over real HTTP: response envelopes, the validation
// table (each limit just inside and just outside) and the UI-only calls.

#include "http_test_server.hpp"

#include <atomic>
#include <fstream>
#include <functional>

namespace mlflowcpp::server::http::testing {
namespace {

using protocol::Json;

const std::string kApi = "/api/2.0/mlflow/";

void expect_error(const JsonResponse& response, int status, const std::string& code) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(response.json.value("error_code", ""), code) << response.body;
  EXPECT_TRUE(response.json.contains("message"));
}

TEST(Envelopes, RunsCreateGetUpdate) {
  TestServer server;
  auto created = server.post_json(kApi + "runs/create",
                                  Json{{"experiment_id", "0"}, {"run_name", "r1"}, {"start_time", 100}});
  ASSERT_EQ(created.status, 200) << created.body;
  ASSERT_TRUE(created.json.contains("run"));
  EXPECT_TRUE(created.json["run"].contains("info"));
  EXPECT_TRUE(created.json["run"].contains("data"));
  EXPECT_FALSE(created.json["run"].contains("inputs"));
  const std::string run_id = created.json["run"]["info"]["run_id"];

  auto fetched = server.get(kApi + "runs/get?run_id=" + run_id);
  ASSERT_EQ(fetched.status, 200);
  EXPECT_EQ(fetched.json["run"]["inputs"], Json::object());
  EXPECT_EQ(fetched.json["run"]["info"]["run_name"], "r1");

  auto updated = server.post_json(kApi + "runs/update",
                                  Json{{"run_id", run_id}, {"status", "FINISHED"}, {"end_time", 200}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  ASSERT_TRUE(updated.json.contains("run_info"));
  EXPECT_EQ(updated.json.size(), 1u);
  EXPECT_EQ(updated.json["run_info"]["status"], "FINISHED");
  EXPECT_EQ(updated.json["run_info"]["end_time"], 200);

  // An unknown status is ignored: 200, status unchanged.
  auto bogus = server.post_json(kApi + "runs/update", Json{{"run_id", run_id}, {"status", "EXPLODED"}});
  ASSERT_EQ(bogus.status, 200) << bogus.body;
  EXPECT_EQ(bogus.json["run_info"]["status"], "FINISHED");
  // Numbers work as enums too.
  auto numeric = server.post_json(kApi + "runs/update", Json{{"run_id", run_id}, {"status", 4}});
  EXPECT_EQ(numeric.json["run_info"]["status"], "FAILED");
}

TEST(Envelopes, MutationsAnswerAnEmptyObject) {
  TestServer server;
  const std::string experiment_id = server.create_experiment("mutations");
  const std::string run_id = server.create_run(experiment_id);
  const std::vector<std::pair<std::string, Json>> calls = {
      {"experiments/set-experiment-tag", Json{{"experiment_id", experiment_id}, {"key", "k"}, {"value", "v"}}},
      {"experiments/delete-experiment-tag", Json{{"experiment_id", experiment_id}, {"key", "k"}}},
      {"experiments/update", Json{{"experiment_id", experiment_id}, {"new_name", "renamed"}}},
      {"runs/log-metric", Json{{"run_id", run_id}, {"key", "m"}, {"value", 1}, {"timestamp", 1}}},
      {"runs/log-parameter", Json{{"run_id", run_id}, {"key", "p"}, {"value", "1"}}},
      {"runs/set-tag", Json{{"run_id", run_id}, {"key", "t"}, {"value", "1"}}},
      {"runs/delete-tag", Json{{"run_id", run_id}, {"key", "t"}}},
      {"runs/log-batch", Json{{"run_id", run_id}, {"metrics", Json::array({Json{{"key", "b"}, {"value", 2}, {"timestamp", 3}}})}}},
      {"runs/delete", Json{{"run_id", run_id}}},
      {"runs/restore", Json{{"run_id", run_id}}},
      {"experiments/delete", Json{{"experiment_id", experiment_id}}},
      {"experiments/restore", Json{{"experiment_id", experiment_id}}},
  };
  for (const auto& [path, body] : calls) {
    auto response = server.post_json(kApi + path, body);
    EXPECT_EQ(response.status, 200) << path << ": " << response.body;
    EXPECT_EQ(response.json, Json::object()) << path;
  }
}

TEST(Envelopes, ExperimentsCreateGetSearch) {
  TestServer server;
  auto created = server.post_json(kApi + "experiments/create",
                                  Json{{"name", "e"}, {"tags", Json::array({Json{{"key", "team"}, {"value", "cv"}}})}});
  ASSERT_EQ(created.status, 200) << created.body;
  ASSERT_TRUE(created.json["experiment_id"].is_string());
  const std::string id = created.json["experiment_id"];
  auto fetched = server.get(kApi + "experiments/get?experiment_id=" + id);
  EXPECT_EQ(fetched.json["experiment"]["name"], "e");
  EXPECT_EQ(fetched.json["experiment"]["tags"][0]["key"], "team");
  auto by_name = server.get(kApi + "experiments/get-by-name?experiment_name=e");
  EXPECT_EQ(by_name.json, fetched.json);
  auto duplicate = server.post_json(kApi + "experiments/create", Json{{"name", "e"}});
  expect_error(duplicate, 400, "RESOURCE_ALREADY_EXISTS");
  expect_error(server.get(kApi + "experiments/get?experiment_id=424242"), 404, "RESOURCE_DOES_NOT_EXIST");

  auto page = server.post_json(kApi + "experiments/search", Json{{"max_results", 1}});
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.json["experiments"].size(), 1u);
  ASSERT_TRUE(page.json.contains("next_page_token"));
  auto next = server.post_json(kApi + "experiments/search",
                               Json{{"max_results", 1}, {"page_token", page.json["next_page_token"]}});
  EXPECT_EQ(next.json["experiments"].size(), 1u);
  EXPECT_FALSE(next.json.contains("next_page_token")) << next.body;
}

TEST(MaxResults, ExperimentsSearch) {
  TestServer server;
  const std::string path = kApi + "experiments/search";
  expect_error(server.post_json(path, Json::object()), 400, "INVALID_PARAMETER_VALUE");
  EXPECT_NE(server.post_json(path, Json::object()).json.value("message", "").find("got 0"), std::string::npos);
  expect_error(server.get(path + "?view_type=ALL"), 400, "INVALID_PARAMETER_VALUE");
  expect_error(server.post_json(path, Json{{"max_results", 0}}), 400, "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(server.post_json(path, Json{{"max_results", 1}}).status, 200);
  EXPECT_EQ(server.post_json(path, Json{{"max_results", 50000}}).status, 200);
  expect_error(server.post_json(path, Json{{"max_results", 50001}}), 400, "INVALID_PARAMETER_VALUE");
}

TEST(MaxResults, RunsSearch) {
  TestServer server;
  const std::string path = kApi + "runs/search";
  server.create_run("0");
  auto all = server.post_json(path, Json{{"experiment_ids", Json::array({"0"})}});
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.json["runs"].size(), 1u);
  EXPECT_EQ(server.post_json(path, Json{{"experiment_ids", Json::array({"0"})}, {"max_results", 50000}}).status, 200);
  expect_error(server.post_json(path, Json{{"experiment_ids", Json::array({"0"})}, {"max_results", 50001}}), 400,
               "INVALID_PARAMETER_VALUE");
  expect_error(server.post_json(path, Json{{"max_results", -1}}), 400, "INVALID_PARAMETER_VALUE");
  // No or unknown experiments: an empty answer.
  auto none = server.post_json(path, Json::object());
  EXPECT_EQ(none.status, 200);
  EXPECT_EQ(none.json, Json::object());
}

// Each limit just inside (200) and just outside (400).
TEST(ValidationTable, LengthLimitsOverHttp) {
  TestServer server;
  const std::string run_id = server.create_run("0");
  const std::string experiment_id = server.create_experiment("limits");
  struct Case {
    std::string path;
    std::function<Json(std::size_t)> body;
    std::size_t limit;
  };
  int unique = 0;
  const std::vector<Case> cases = {
      {"runs/log-parameter", [&](std::size_t n) { return Json{{"run_id", run_id}, {"key", "p" + std::to_string(unique++)}, {"value", std::string(n, 'v')}}; }, 6000},
      {"runs/log-parameter", [&](std::size_t n) { return Json{{"run_id", run_id}, {"key", std::string(n - 1, 'k') + std::to_string(unique++ % 10)}, {"value", "v"}}; }, 250},
      {"runs/set-tag", [&](std::size_t n) { return Json{{"run_id", run_id}, {"key", "t"}, {"value", std::string(n, 'v')}}; }, 5000},
      {"runs/set-tag", [&](std::size_t n) { return Json{{"run_id", run_id}, {"key", std::string(n, 'k')}, {"value", "v"}}; }, 250},
      {"runs/log-metric", [&](std::size_t n) { return Json{{"run_id", run_id}, {"key", std::string(n, 'm')}, {"value", 1}, {"timestamp", 1}}; }, 250},
      {"experiments/set-experiment-tag", [&](std::size_t n) { return Json{{"experiment_id", experiment_id}, {"key", "t"}, {"value", std::string(n, 'v')}}; }, 5000},
      {"experiments/set-experiment-tag", [&](std::size_t n) { return Json{{"experiment_id", experiment_id}, {"key", std::string(n, 'k')}, {"value", "v"}}; }, 250},
      {"experiments/create", [&](std::size_t n) { return Json{{"name", std::string(n - 1, 'e') + std::to_string(unique++ % 10)}}; }, 256},
      {"runs/update", [&](std::size_t n) { return Json{{"run_id", run_id}, {"run_name", std::string(n, 'r')}}; }, 250},
      {"runs/create", [&](std::size_t n) { return Json{{"experiment_id", "0"}, {"user_id", std::string(n, 'u')}}; }, 256},
      {"runs/create", [&](std::size_t n) { return Json{{"experiment_id", "0"}, {"run_name", std::string(n, 'r')}}; }, 250},
  };
  for (const auto& test : cases) {
    auto inside = server.post_json(kApi + test.path, test.body(test.limit));
    EXPECT_EQ(inside.status, 200) << test.path << " at " << test.limit << ": " << inside.body;
    auto outside = server.post_json(kApi + test.path, test.body(test.limit + 1));
    expect_error(outside, 400, "INVALID_PARAMETER_VALUE");
  }
}

TEST(ValidationTable, LogBatchCaps) {
  TestServer server;
  const std::string run_id = server.create_run("0");
  const auto metrics = [](std::size_t n) {
    Json list = Json::array();
    for (std::size_t i = 0; i < n; ++i) list.push_back(Json{{"key", "m"}, {"value", 1}, {"timestamp", i}});
    return list;
  };
  const auto params = [](std::size_t n, const std::string& prefix) {
    Json list = Json::array();
    for (std::size_t i = 0; i < n; ++i) list.push_back(Json{{"key", prefix + std::to_string(i)}, {"value", "v"}});
    return list;
  };
  const std::string path = kApi + "runs/log-batch";
  EXPECT_EQ(server.post_json(path, Json{{"run_id", run_id}, {"metrics", metrics(1000)}}).status, 200);
  expect_error(server.post_json(path, Json{{"run_id", run_id}, {"metrics", metrics(1001)}}), 400,
               "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(server.post_json(path, Json{{"run_id", run_id}, {"params", params(100, "a")}}).status, 200);
  expect_error(server.post_json(path, Json{{"run_id", run_id}, {"params", params(101, "b")}}), 400,
               "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(server.post_json(path, Json{{"run_id", run_id}, {"tags", params(100, "t")}}).status, 200);
  expect_error(server.post_json(path, Json{{"run_id", run_id}, {"tags", params(101, "t")}}), 400,
               "INVALID_PARAMETER_VALUE");
  expect_error(server.post_json(path, Json{{"run_id", run_id}, {"metrics", metrics(900)}, {"params", params(100, "c")},
                                           {"tags", params(1, "u")}}),
               400, "INVALID_PARAMETER_VALUE");
  Json duplicate = Json::array({Json{{"key", "d"}, {"value", "1"}}, Json{{"key", "d"}, {"value", "1"}}});
  expect_error(server.post_json(path, Json{{"run_id", run_id}, {"params", duplicate}}), 400, "INVALID_PARAMETER_VALUE");
  // A metric without timestamp is refused.
  expect_error(server.post_json(path, Json{{"run_id", run_id},
                                           {"metrics", Json::array({Json{{"key", "m"}, {"value", 1}}})}}),
               400, "INVALID_PARAMETER_VALUE");
}

// A regular log-batch body is read without a JSON document; a body with a field the server does not know
// takes the general reader. Both must store the same points and answer the same errors.
TEST(ValidationTable, LogBatchBodiesOfEitherReaderAnswerAlike) {
  TestServer server;
  const std::string path = kApi + "runs/log-batch";
  const Json points = Json::array({Json{{"key", "loss"}, {"value", 0.25}, {"timestamp", 7}, {"step", 1}},
                                   Json{{"key", "loss"}, {"value", "NaN"}, {"timestamp", 8}, {"step", 2}},
                                   Json{{"key", "acc"}, {"value", 3}, {"timestamp", 9}}});
  const Json params = Json::array({Json{{"key", "lr"}, {"value", "0.1"}}});
  const Json tags = Json::array({Json{{"key", "t"}, {"value", "v"}}});
  std::vector<Json> histories;
  for (const bool general : {false, true}) {
    const std::string run_id = server.create_run("0");
    Json body{{"run_id", run_id}, {"metrics", points}, {"params", params}, {"tags", tags}};
    if (general) body["not_a_field"] = 1;
    ASSERT_EQ(server.post_json(path, body).status, 200);
    auto history = server.get(kApi + "metrics/get-history?metric_key=loss&run_id=" + run_id);
    ASSERT_EQ(history.status, 200) << history.body;
    histories.push_back(history.json);
    auto run = server.get(kApi + "runs/get?run_id=" + run_id);
    EXPECT_EQ(run.json["run"]["data"]["params"], Json::array({Json{{"key", "lr"}, {"value", "0.1"}}}));
  }
  EXPECT_EQ(histories[0], histories[1]);

  const std::string run_id = server.create_run("0");
  const std::vector<Json> bad_batches = {
      Json::array({Json{{"key", "bad!"}, {"value", 1}, {"timestamp", 1}}}),
      Json::array({Json{{"key", "ok"}, {"value", 1}, {"timestamp", 1}},
                   Json{{"key", "ok"}, {"value", 1}, {"timestamp", -1}}}),
      Json::array({Json{{"key", "a//b"}, {"value", 1}, {"timestamp", 1}}}),
  };
  for (const Json& metrics : bad_batches) {
    Json body{{"run_id", run_id}, {"metrics", metrics}};
    const auto regular = server.post_json(path, body);
    body["not_a_field"] = 1;
    const auto general = server.post_json(path, body);
    expect_error(regular, 400, "INVALID_PARAMETER_VALUE");
    EXPECT_EQ(regular.body, general.body);
  }
  const Json missing_run{{"run_id", "0123456789abcdef0123456789abcdef"}, {"metrics", bad_batches[0]}};
  EXPECT_EQ(server.post_json(path, missing_run).status, 400);  // the key is checked before the run
}

TEST(ValidationTable, RequiredFieldsAndKeyRules) {
  TestServer server;
  const std::string run_id = server.create_run("0");
  expect_error(server.post_json(kApi + "runs/log-metric", Json{{"run_id", run_id}, {"key", "m"}, {"value", 1}}), 400,
               "INVALID_PARAMETER_VALUE");
  expect_error(server.post_json(kApi + "runs/log-metric", Json{{"run_id", run_id}, {"key", "m"}, {"timestamp", 1}}),
               400, "INVALID_PARAMETER_VALUE");
  expect_error(server.post_json(kApi + "runs/log-metric",
                                Json{{"run_id", run_id}, {"key", "m"}, {"value", 1}, {"timestamp", -1}}),
               400, "INVALID_PARAMETER_VALUE");
  expect_error(server.post_json(kApi + "runs/log-parameter", Json{{"run_id", run_id}, {"key", "a//b"}, {"value", "1"}}),
               400, "INVALID_PARAMETER_VALUE");
  expect_error(server.post_json(kApi + "runs/set-tag", Json{{"run_id", run_id}, {"key", "bad!"}, {"value", "1"}}), 400,
               "INVALID_PARAMETER_VALUE");
  expect_error(server.post_json(kApi + "runs/set-tag", Json{{"key", "k"}, {"value", "1"}}), 400,
               "INVALID_PARAMETER_VALUE");
  expect_error(server.post_json(kApi + "experiments/update", Json{{"experiment_id", "0"}}), 400,
               "INVALID_PARAMETER_VALUE");
  expect_error(server.post_json(kApi + "experiments/create", Json{{"name", ""}}), 400, "INVALID_PARAMETER_VALUE");
  expect_error(server.post_json(kApi + "experiments/create", Json{{"name", "x"}, {"artifact_location", "runs:/a/b"}}),
               400, "INVALID_PARAMETER_VALUE");
  // Changing a param is refused; the same value again is fine.
  EXPECT_EQ(server.post_json(kApi + "runs/log-parameter", Json{{"run_id", run_id}, {"key", "lr"}, {"value", "1"}}).status,
            200);
  EXPECT_EQ(server.post_json(kApi + "runs/log-parameter", Json{{"run_id", run_id}, {"key", "lr"}, {"value", "1"}}).status,
            200);
  expect_error(server.post_json(kApi + "runs/log-parameter", Json{{"run_id", run_id}, {"key", "lr"}, {"value", "2"}}),
               400, "INVALID_PARAMETER_VALUE");
  // Conflicting run name and tag.
  expect_error(server.post_json(kApi + "runs/create",
                                Json{{"experiment_id", "0"},
                                     {"run_name", "a"},
                                     {"tags", Json::array({Json{{"key", "mlflow.runName"}, {"value", "b"}}})}}),
               400, "INVALID_PARAMETER_VALUE");
}

TEST(MetricHistory, BulkAndInterval) {
  TestServer server;
  const std::string run_a = server.create_run("0");
  const std::string run_b = server.create_run("0");
  for (int step = 0; step < 10; ++step) {
    for (const auto& run_id : {run_a, run_b}) {
      server.post_json(kApi + "runs/log-metric",
                       Json{{"run_id", run_id}, {"key", "loss"}, {"value", step}, {"timestamp", 100 + step}, {"step", step}});
    }
  }
  const std::string bulk = "/ajax-api/2.0/mlflow/metrics/get-history-bulk?metric_key=loss&run_id=" + run_a +
                           "&run_id=" + run_b;
  auto all = server.get(bulk);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.json["metrics"].size(), 20u);
  EXPECT_TRUE(all.json["metrics"][0].contains("run_id"));
  EXPECT_EQ(server.get(bulk + "&max_results=3").json["metrics"].size(), 6u);
  expect_error(server.get("/ajax-api/2.0/mlflow/metrics/get-history-bulk?metric_key=loss"), 400,
               "INVALID_PARAMETER_VALUE");
  std::string many = "/ajax-api/2.0/mlflow/metrics/get-history-bulk?metric_key=loss";
  for (int i = 0; i < 101; ++i) many += "&run_id=r" + std::to_string(i);
  expect_error(server.get(many), 400, "INVALID_PARAMETER_VALUE");

  const std::string interval = kApi + "metrics/get-history-bulk-interval?metric_key=loss&run_ids=" + run_a;
  auto points = server.get(interval);
  ASSERT_EQ(points.status, 200) << points.body;
  EXPECT_EQ(points.json["metrics"].size(), 10u);
  EXPECT_EQ(server.get(interval + "&start_step=2&end_step=4").json["metrics"].size(), 3u);
  expect_error(server.get(interval + "&start_step=2"), 400, "INVALID_PARAMETER_VALUE");
  expect_error(server.get(interval + "&start_step=5&end_step=4"), 400, "INVALID_PARAMETER_VALUE");
  expect_error(server.get(interval + "&max_results=0"), 400, "INVALID_PARAMETER_VALUE");
  expect_error(server.get(interval + "&max_results=2501"), 400, "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(server.get(interval + "&max_results=2500").status, 200);
  expect_error(server.get(kApi + "metrics/get-history-bulk-interval?metric_key=loss"), 400, "INVALID_PARAMETER_VALUE");
}

TEST(Datasets, LogInputsAndSearchDatasets) {
  TestServer server;
  const std::string run_id = server.create_run("0");
  Json dataset{{"name", "imagenet"}, {"digest", "abc123"}, {"source_type", "local"}, {"source", "{}"}};
  Json input{{"dataset", dataset}, {"tags", Json::array({Json{{"key", "mlflow.data.context"}, {"value", "training"}}})}};
  auto logged = server.post_json(kApi + "runs/log-inputs", Json{{"run_id", run_id}, {"datasets", Json::array({input})}});
  ASSERT_EQ(logged.status, 200) << logged.body;
  auto run = server.get(kApi + "runs/get?run_id=" + run_id);
  EXPECT_EQ(run.json["run"]["inputs"]["dataset_inputs"][0]["dataset"]["name"], "imagenet");

  const std::string search = "/ajax-api/2.0/mlflow/experiments/search-datasets";
  auto summaries = server.post_json(search, Json{{"experiment_ids", Json::array({"0"})}});
  ASSERT_EQ(summaries.status, 200) << summaries.body;
  EXPECT_EQ(summaries.json["dataset_summaries"][0]["context"], "training");
  expect_error(server.post_json(search, Json::object()), 400, "INVALID_PARAMETER_VALUE");
  Json too_many = Json::array();
  for (int i = 0; i < 21; ++i) too_many.push_back(std::to_string(i));
  expect_error(server.post_json(search, Json{{"experiment_ids", too_many}}), 400, "INVALID_PARAMETER_VALUE");

  Json long_digest = input;
  long_digest["dataset"]["digest"] = std::string(37, 'd');
  expect_error(server.post_json(kApi + "runs/log-inputs", Json{{"run_id", run_id}, {"datasets", Json::array({long_digest})}}),
               400, "INVALID_PARAMETER_VALUE");
  Json no_dataset{{"tags", Json::array()}};
  expect_error(server.post_json(kApi + "runs/log-inputs", Json{{"run_id", run_id}, {"datasets", Json::array({no_dataset})}}),
               400, "INVALID_PARAMETER_VALUE");
}

TEST(Artifacts, ListsProxiedAndLocalArtifacts) {
  TestServer server;
  const std::string experiment_id = server.create_experiment("artifacts");
  const std::string run_id = server.create_run(experiment_id);
  const auto run_root = std::filesystem::path(server.artifacts_destination()) / experiment_id / run_id / "artifacts";
  auto empty = server.get(kApi + "artifacts/list?run_id=" + run_id);
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(empty.json, (Json{{"root_uri", "mlflow-artifacts:/" + experiment_id + "/" + run_id + "/artifacts"}}));

  std::filesystem::create_directories(run_root / "model");
  std::ofstream(run_root / "model" / "MLmodel") << "flavors: {}";
  std::ofstream(run_root / "notes.txt") << "hello";
  auto root = server.get(kApi + "artifacts/list?run_id=" + run_id);
  ASSERT_EQ(root.status, 200) << root.body;
  ASSERT_EQ(root.json["files"].size(), 2u);
  EXPECT_EQ(root.json["files"][0], (Json{{"path", "model"}, {"is_dir", true}}));
  EXPECT_EQ(root.json["files"][1], (Json{{"path", "notes.txt"}, {"is_dir", false}, {"file_size", 5}}));
  auto sub = server.get(kApi + "artifacts/list?run_id=" + run_id + "&path=model");
  ASSERT_EQ(sub.json["files"].size(), 1u);
  EXPECT_EQ(sub.json["files"][0]["path"], "model/MLmodel");
  auto missing = server.get(kApi + "artifacts/list?run_id=" + run_id + "&path=nothing");
  EXPECT_EQ(missing.status, 200);
  EXPECT_FALSE(missing.json.contains("files"));

  expect_error(server.get(kApi + "artifacts/list?run_id=" + run_id + "&path=../x"), 400, "INVALID_PARAMETER_VALUE");
  expect_error(server.get(kApi + "artifacts/list?run_id=" + run_id + "&path=%252e%252e/x"), 400,
               "INVALID_PARAMETER_VALUE");
  expect_error(server.get(kApi + "artifacts/list?run_id=" + run_id + "&path=/etc"), 400, "INVALID_PARAMETER_VALUE");

  // Stores other than local directories and S3 are not implemented: a clear 501.
  auto gcs = server.post_json(kApi + "experiments/create", Json{{"name", "gcs"}, {"artifact_location", "gs://bucket/x"}});
  const std::string gcs_run = server.create_run(gcs.json["experiment_id"]);
  expect_error(server.get(kApi + "artifacts/list?run_id=" + gcs_run), 501, "NOT_IMPLEMENTED");

  // A local artifact location is listed where it is.
  const auto local_root = server.directory() / "local-root";
  auto local = server.post_json(kApi + "experiments/create",
                                Json{{"name", "local"}, {"artifact_location", "file://" + local_root.string()}});
  ASSERT_EQ(local.status, 200) << local.body;
  const std::string local_run = server.create_run(local.json["experiment_id"]);
  std::filesystem::create_directories(local_root / local_run / "artifacts");
  std::ofstream(local_root / local_run / "artifacts" / "a.bin") << "12";
  auto local_list = server.get(kApi + "artifacts/list?run_id=" + local_run);
  ASSERT_EQ(local_list.status, 200) << local_list.body;
  EXPECT_EQ(local_list.json["files"][0]["path"], "a.bin");
}

TEST(LogModel, AppendsToTheHistoryTag) {
  TestServer server;
  const std::string run_id = server.create_run("0");
  Json model{{"artifact_path", "model"}, {"flavors", Json::object()}, {"utc_time_created", "2024"}, {"run_id", run_id}};
  for (int i = 0; i < 2; ++i) {
    auto logged = server.post_json(kApi + "runs/log-model", Json{{"run_id", run_id}, {"model_json", protocol::dump(model)}});
    ASSERT_EQ(logged.status, 200) << logged.body;
    EXPECT_EQ(logged.json, Json::object());
  }
  auto run = server.get(kApi + "runs/get?run_id=" + run_id);
  std::string history;
  for (const auto& tag : run.json["run"]["data"]["tags"]) {
    if (tag["key"] == "mlflow.log-model.history") history = tag["value"];
  }
  const Json parsed = Json::parse(history, nullptr, false);
  ASSERT_TRUE(parsed.is_array()) << history;
  EXPECT_EQ(parsed.size(), 2u);
  expect_error(server.post_json(kApi + "runs/log-model", Json{{"run_id", run_id}, {"model_json", "{}"}}), 400,
               "INVALID_PARAMETER_VALUE");
  expect_error(server.post_json(kApi + "runs/log-model", Json{{"run_id", run_id}, {"model_json", "not json"}}), 400,
               "INVALID_PARAMETER_VALUE");
  expect_error(server.post_json(kApi + "runs/log-model", Json{{"run_id", run_id}}), 400, "INVALID_PARAMETER_VALUE");
}

TEST(Concurrency, SixteenKeepAliveClientsAtOnce) {
  TestServer server;
  const std::string run_id = server.create_run("0");
  std::vector<std::thread> clients;
  std::atomic<int> successes{0};
  for (int c = 0; c < 16; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", server.port());
      client.set_keep_alive(true);
      for (int i = 0; i < 20; ++i) {
        Json body{{"run_id", run_id}, {"key", "m" + std::to_string(c)}, {"value", i}, {"timestamp", i}};
        auto response = client.Post(kApi + "runs/log-metric", protocol::dump(body), "application/json");
        if (response && response->status == 200) ++successes;
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(successes.load(), 16 * 20);
}

}  // namespace
}  // namespace mlflowcpp::server::http::testing
