// The C API and the Fortran module against the real server: calls, what the
// server stored, and how failures come back (never as a crash).

#include "mlflowcpp/mlflowcpp_c.h"

#include "integration/client_tcp_proxy.hpp"
#include "testing/process_runner.hpp"
#include "testing/scoped_environment.hpp"
#include "testing/server_process.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>

namespace mlflowcpp::testing {
namespace {

struct ClientDeleter {
  void operator()(mlflowcpp_client* client) const { mlflowcpp_client_free(client); }
};
using ClientHandle = std::unique_ptr<mlflowcpp_client, ClientDeleter>;

class BindingsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<ServerProcess>(); }
  static void TearDownTestSuite() { server_.reset(); }

  ClientHandle connect() {
    mlflowcpp_client* client = nullptr;
    EXPECT_EQ(mlflowcpp_client_new(server_->base_url().c_str(), &client, &error_), MLFLOWCPP_OK) << error_.message;
    return ClientHandle(client);
  }

  Json get_run(const std::string& run_id) {
    auto answer = server_->client().get("/api/2.0/mlflow/runs/get?run_id=" + run_id);
    EXPECT_EQ(answer.status, 200);
    return answer.json["run"];
  }

  // The keys of the run's metrics that start with "system/".
  std::set<std::string> system_metric_keys(const std::string& run_id) {
    std::set<std::string> keys;
    Json run = get_run(run_id);
    if (!run["data"].contains("metrics")) return keys;  // a run without metrics has no such field
    for (const auto& metric : run["data"]["metrics"]) {
      const std::string key = metric["key"];
      if (key.rfind("system/", 0) == 0) keys.insert(key);
    }
    return keys;
  }

  // Polls until the sampler has logged its first step (or gives up after a while).
  bool wait_for_system_metrics(const std::string& run_id) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (system_metric_keys(run_id).count("system/cpu_utilization_percentage") != 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  std::string tag(const Json& run, const std::string& key) {
    if (!run.contains("data") || !run["data"].contains("tags")) return {};
    for (const auto& tag : run["data"]["tags"]) {
      if (tag["key"] == key) return tag["value"];
    }
    return {};
  }

  static std::unique_ptr<ServerProcess> server_;
  mlflowcpp_error error_{};
};
std::unique_ptr<ServerProcess> BindingsTest::server_;

TEST_F(BindingsTest, LogsARunThatTheServerStores) {
  auto client = connect();
  char experiment_id[MLFLOWCPP_ID_SIZE];
  char run_id[MLFLOWCPP_ID_SIZE];
  ASSERT_EQ(mlflowcpp_get_or_create_experiment(client.get(), "c-api", experiment_id, sizeof experiment_id, &error_),
            MLFLOWCPP_OK)
      << error_.message;
  char again[MLFLOWCPP_ID_SIZE];
  ASSERT_EQ(mlflowcpp_get_or_create_experiment(client.get(), "c-api", again, sizeof again, &error_), MLFLOWCPP_OK);
  EXPECT_STREQ(experiment_id, again);

  ASSERT_EQ(mlflowcpp_create_run(client.get(), experiment_id, "from-c", run_id, sizeof run_id, &error_),
            MLFLOWCPP_OK)
      << error_.message;
  EXPECT_EQ(mlflowcpp_log_param(client.get(), run_id, "lr", "0.1", &error_), MLFLOWCPP_OK);
  EXPECT_EQ(mlflowcpp_set_tag(client.get(), run_id, "lang", "c", &error_), MLFLOWCPP_OK);
  EXPECT_EQ(mlflowcpp_log_metric(client.get(), run_id, "loss", 0.5, 1700000000000, 3, &error_), MLFLOWCPP_OK);
  const char* keys[] = {"a", "b"};
  const double values[] = {1.5, 2.5};
  EXPECT_EQ(mlflowcpp_log_metrics(client.get(), run_id, 2, keys, values, 0, 4, &error_), MLFLOWCPP_OK);
  EXPECT_EQ(mlflowcpp_set_terminated(client.get(), run_id, "KILLED", &error_), MLFLOWCPP_OK);

  Json run = get_run(run_id);
  EXPECT_EQ(run["info"]["status"], "KILLED");
  EXPECT_EQ(run["info"]["run_name"], "from-c");
  EXPECT_EQ(run["data"]["params"][0]["value"], "0.1");
  int metrics_seen = 0;
  for (const auto& metric : run["data"]["metrics"]) {
    if (metric["key"] == "loss") {
      EXPECT_EQ(metric["value"], 0.5);
      EXPECT_EQ(metric["step"], 3);
      EXPECT_EQ(metric["timestamp"], 1700000000000);
    }
    if (metric["key"] == "b") {
      EXPECT_EQ(metric["value"], 2.5);
    }
    ++metrics_seen;
  }
  EXPECT_EQ(metrics_seen, 3);
}

TEST_F(BindingsTest, UploadsAndDownloadsArtifacts) {
  auto client = connect();
  char run_id[MLFLOWCPP_ID_SIZE];
  ASSERT_EQ(mlflowcpp_create_run(client.get(), "0", nullptr, run_id, sizeof run_id, &error_), MLFLOWCPP_OK)
      << error_.message;
  TempDir dir;
  const auto file = dir.path() / "weights.txt";
  std::ofstream(file) << "0.1 0.2 0.3";
  ASSERT_EQ(mlflowcpp_log_artifact(client.get(), run_id, file.c_str(), "model", &error_), MLFLOWCPP_OK)
      << error_.message;
  const auto target = dir.path() / "downloaded";
  ASSERT_EQ(mlflowcpp_download_artifacts(client.get(), run_id, "model", target.c_str(), &error_), MLFLOWCPP_OK)
      << error_.message;
  std::ifstream downloaded(target / "model" / "weights.txt");
  std::string content((std::istreambuf_iterator<char>(downloaded)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "0.1 0.2 0.3");
}

TEST_F(BindingsTest, ServerErrorsComeBackWithTheirCode) {
  auto client = connect();
  char id[MLFLOWCPP_ID_SIZE];
  ASSERT_EQ(mlflowcpp_create_experiment(client.get(), "twice", nullptr, id, sizeof id, &error_), MLFLOWCPP_OK);
  EXPECT_EQ(mlflowcpp_create_experiment(client.get(), "twice", nullptr, id, sizeof id, &error_),
            MLFLOWCPP_ERROR_SERVER);
  EXPECT_EQ(error_.status, MLFLOWCPP_ERROR_SERVER);
  EXPECT_STREQ(error_.error_code, "RESOURCE_ALREADY_EXISTS");
  EXPECT_EQ(error_.http_status, 400);
  EXPECT_NE(std::string(error_.message).find("twice"), std::string::npos) << error_.message;

  EXPECT_EQ(mlflowcpp_log_metric(client.get(), "0123456789abcdef0123456789abcdef", "k", 1, 0, 0, &error_),
            MLFLOWCPP_ERROR_SERVER);
  EXPECT_STREQ(error_.error_code, "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(mlflowcpp_set_terminated(client.get(), "x", "DONE", &error_), MLFLOWCPP_ERROR_INVALID_ARGUMENT);
}

TEST_F(BindingsTest, ArgumentMistakesAreRefusedBeforeAnyRequest) {
  auto client = connect();
  char id[MLFLOWCPP_ID_SIZE];
  EXPECT_EQ(mlflowcpp_create_run(client.get(), nullptr, "x", id, sizeof id, &error_),
            MLFLOWCPP_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(error_.message).find("experiment_id"), std::string::npos);
  EXPECT_EQ(mlflowcpp_log_param(nullptr, "r", "k", "v", &error_), MLFLOWCPP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(mlflowcpp_client_new(nullptr, nullptr, &error_), MLFLOWCPP_ERROR_INVALID_ARGUMENT);
  // A NULL error record is allowed: only the status tells.
  EXPECT_EQ(mlflowcpp_log_param(client.get(), nullptr, "k", "v", nullptr), MLFLOWCPP_ERROR_INVALID_ARGUMENT);
}

TEST_F(BindingsTest, LoggedModelCallsRefuseArgumentMistakesBeforeAnyRequest) {
  auto client = connect();
  char id[MLFLOWCPP_ID_SIZE];
  EXPECT_EQ(mlflowcpp_log_model_metric(client.get(), "r", "k", 1.0, 0, 0, nullptr, nullptr, nullptr, &error_),
            MLFLOWCPP_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(error_.message).find("model_id"), std::string::npos);
  EXPECT_EQ(mlflowcpp_create_logged_model(client.get(), nullptr, nullptr, nullptr, id, sizeof id, nullptr, 0, &error_),
            MLFLOWCPP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(mlflowcpp_finalize_logged_model(client.get(), "m-00000000000000000000000000000000", "DONE", &error_),
            MLFLOWCPP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(mlflowcpp_finalize_logged_model(client.get(), "m-00000000000000000000000000000000",
                                            "LOGGED_MODEL_PENDING", &error_),
            MLFLOWCPP_ERROR_INVALID_ARGUMENT);  // not a final status
}

// Needs a server with MLflow 3's logged models.
TEST_F(BindingsTest, CreatesAndFinalizesALoggedModelWithAMetric) {
  auto client = connect();
  char experiment_id[MLFLOWCPP_ID_SIZE];
  char run_id[MLFLOWCPP_ID_SIZE];
  char model_id[MLFLOWCPP_ID_SIZE];
  char artifact_uri[512];
  ASSERT_EQ(mlflowcpp_get_or_create_experiment(client.get(), "c-api-models", experiment_id, sizeof experiment_id,
                                               &error_),
            MLFLOWCPP_OK);
  ASSERT_EQ(mlflowcpp_create_run(client.get(), experiment_id, "c-model-run", run_id, sizeof run_id, &error_),
            MLFLOWCPP_OK);
  ASSERT_EQ(mlflowcpp_create_logged_model(client.get(), experiment_id, "c-model", run_id, model_id, sizeof model_id,
                                          artifact_uri, sizeof artifact_uri, &error_),
            MLFLOWCPP_OK)
      << error_.message;
  EXPECT_EQ(std::string(model_id).rfind("m-", 0), 0u);
  EXPECT_NE(std::string(artifact_uri).find(model_id), std::string::npos) << artifact_uri;
  EXPECT_EQ(mlflowcpp_log_model_metric(client.get(), run_id, "accuracy", 0.9, 1700000000000, 1, model_id, "eval",
                                       nullptr, &error_),
            MLFLOWCPP_OK)
      << error_.message;
  EXPECT_EQ(mlflowcpp_finalize_logged_model(client.get(), model_id, nullptr, &error_), MLFLOWCPP_OK) << error_.message;

  auto answer = server_->client().get(std::string("/api/2.0/mlflow/logged-models/") + model_id);
  ASSERT_EQ(answer.status, 200);
  EXPECT_EQ(answer.json["model"]["info"]["status"], "LOGGED_MODEL_READY");
  EXPECT_EQ(answer.json["model"]["info"]["source_run_id"], run_id);
  ASSERT_EQ(answer.json["model"]["data"]["metrics"].size(), 1u);
  EXPECT_EQ(answer.json["model"]["data"]["metrics"][0]["dataset_name"], "eval");

  EXPECT_EQ(mlflowcpp_finalize_logged_model(client.get(), "m-00000000000000000000000000000000", "FAILED", &error_),
            MLFLOWCPP_ERROR_SERVER);
  EXPECT_STREQ(error_.error_code, "RESOURCE_DOES_NOT_EXIST");
}

TEST_F(BindingsTest, ATooSmallBufferSaysTheSizeItNeeds) {
  auto client = connect();
  char tiny[4];
  EXPECT_EQ(mlflowcpp_create_run(client.get(), "0", nullptr, tiny, sizeof tiny, &error_),
            MLFLOWCPP_ERROR_BUFFER_TOO_SMALL);
  EXPECT_EQ(error_.required_size, 33u);  // 32 hex digits and the NUL
}

TEST_F(BindingsTest, AnUnreachableServerIsATransportError) {
  // No retries: the default policy would keep trying for minutes.
  ::setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0", 1);
  mlflowcpp_client* raw = nullptr;
  ASSERT_EQ(mlflowcpp_client_new("http://127.0.0.1:1", &raw, &error_), MLFLOWCPP_OK);
  ClientHandle client(raw);
  char id[MLFLOWCPP_ID_SIZE];
  EXPECT_EQ(mlflowcpp_create_experiment(client.get(), "nowhere", nullptr, id, sizeof id, &error_),
            MLFLOWCPP_ERROR_TRANSPORT);
  EXPECT_GT(std::string(error_.message).size(), 0u);
  ::unsetenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES");
}

TEST_F(BindingsTest, AMalformedTrackingUriIsRefused) {
  mlflowcpp_client* client = nullptr;
  EXPECT_NE(mlflowcpp_client_new("not a uri", &client, &error_), MLFLOWCPP_OK);
  EXPECT_EQ(client, nullptr);
  EXPECT_GT(std::string(error_.message).size(), 0u);
}

// The fluent lifecycle: start_run with system metrics, end_run stopping them.
TEST_F(BindingsTest, ARunStartedWithSystemMetricsLogsThemUntilItEnds) {
  ScopedEnvironment environment(std::map<std::string, std::string>{{"MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "0.1"}});
  auto client = connect();
  char experiment_id[MLFLOWCPP_ID_SIZE];
  ASSERT_EQ(
      mlflowcpp_get_or_create_experiment(client.get(), "c-api-fluent", experiment_id, sizeof experiment_id, &error_),
      MLFLOWCPP_OK);
  mlflowcpp_run_options options = MLFLOWCPP_RUN_OPTIONS_INIT;
  options.experiment_id = experiment_id;
  options.run_name = "c-system-metrics";
  options.log_system_metrics = 1;
  mlflowcpp_run* run = nullptr;
  ASSERT_EQ(mlflowcpp_start_run(client.get(), &options, &run, &error_), MLFLOWCPP_OK) << error_.message;
  ASSERT_NE(run, nullptr);
  const std::string run_id = mlflowcpp_run_id(run);
  EXPECT_EQ(run_id.size(), 32u);
  EXPECT_EQ(mlflowcpp_log_metric(client.get(), run_id.c_str(), "loss", 0.5, 0, 1, &error_), MLFLOWCPP_OK);
  EXPECT_TRUE(wait_for_system_metrics(run_id));
  EXPECT_EQ(mlflowcpp_end_run(run, nullptr, &error_), MLFLOWCPP_OK) << error_.message;

  Json stored = get_run(run_id);
  EXPECT_EQ(stored["info"]["status"], "FINISHED");
  EXPECT_EQ(stored["info"]["experiment_id"], experiment_id);
  EXPECT_EQ(stored["info"]["run_name"], "c-system-metrics");
  EXPECT_FALSE(tag(stored, "mlflow.user").empty()) << stored.dump();  // the system tags of start_run
  auto keys = system_metric_keys(run_id);
  EXPECT_EQ(keys.count("system/cpu_utilization_percentage"), 1u) << stored.dump();
  EXPECT_EQ(keys.count("system/system_memory_usage_megabytes"), 1u) << stored.dump();
  EXPECT_EQ(keys.count("system/disk_usage_percentage"), 1u) << stored.dump();
  // Stopped before the final status: nothing more arrives afterwards.
  const size_t steps = server_->client()
                           .get(
                               "/api/2.0/mlflow/metrics/get-history?metric_key=system/cpu_utilization_percentage"
                               "&run_id=" +
                               run_id)
                           .json["metrics"]
                           .size();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(
      server_->client()
          .get("/api/2.0/mlflow/metrics/get-history?metric_key=system/cpu_utilization_percentage&run_id=" + run_id)
          .json["metrics"]
          .size(),
      steps);
}

TEST_F(BindingsTest, ARunStartedWithSystemMetricsOffLogsNone) {
  // The option wins over the environment.
  ScopedEnvironment environment(
      {{"MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", "true"}, {"MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "0.05"}});
  auto client = connect();
  mlflowcpp_run_options options = MLFLOWCPP_RUN_OPTIONS_INIT;
  options.log_system_metrics = 0;
  mlflowcpp_run* run = nullptr;
  ASSERT_EQ(mlflowcpp_start_run(client.get(), &options, &run, &error_), MLFLOWCPP_OK) << error_.message;
  const std::string run_id = mlflowcpp_run_id(run);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(mlflowcpp_end_run(run, "KILLED", &error_), MLFLOWCPP_OK) << error_.message;
  Json stored = get_run(run_id);
  EXPECT_EQ(stored["info"]["status"], "KILLED");
  EXPECT_EQ(stored["info"]["experiment_id"], "0");
  EXPECT_TRUE(system_metric_keys(run_id).empty()) << stored.dump();
}

TEST_F(BindingsTest, NullRunOptionsLeaveSystemMetricsToTheEnvironment) {
  auto client = connect();
  mlflowcpp_run* parent = nullptr;
  {
    ScopedEnvironment environment(
        {{"MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", "true"}, {"MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "0.1"}});
    ASSERT_EQ(mlflowcpp_start_run(client.get(), nullptr, &parent, &error_), MLFLOWCPP_OK) << error_.message;
  }
  const std::string parent_id = mlflowcpp_run_id(parent);
  EXPECT_TRUE(wait_for_system_metrics(parent_id));

  // A nested run, with the environment saying nothing: no system metrics.
  mlflowcpp_run_options options = MLFLOWCPP_RUN_OPTIONS_INIT;
  options.parent_run_id = parent_id.c_str();
  mlflowcpp_run* child = nullptr;
  {
    ScopedEnvironment environment(std::map<std::string, std::string>{{"MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", ""}});
    ASSERT_EQ(mlflowcpp_start_run(client.get(), &options, &child, &error_), MLFLOWCPP_OK) << error_.message;
  }
  const std::string child_id = mlflowcpp_run_id(child);
  EXPECT_EQ(mlflowcpp_end_run(child, "FAILED", &error_), MLFLOWCPP_OK) << error_.message;
  EXPECT_EQ(mlflowcpp_end_run(parent, nullptr, &error_), MLFLOWCPP_OK) << error_.message;

  EXPECT_EQ(get_run(parent_id)["info"]["status"], "FINISHED");
  Json stored_child = get_run(child_id);
  EXPECT_EQ(stored_child["info"]["status"], "FAILED");
  EXPECT_EQ(tag(stored_child, "mlflow.parentRunId"), parent_id);
  EXPECT_TRUE(system_metric_keys(child_id).empty());
}

TEST_F(BindingsTest, RunLifecycleMistakesAreRefused) {
  auto client = connect();
  mlflowcpp_run* run = reinterpret_cast<mlflowcpp_run*>(&error_);  // must come back NULL
  EXPECT_EQ(mlflowcpp_start_run(nullptr, nullptr, &run, &error_), MLFLOWCPP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(mlflowcpp_start_run(client.get(), nullptr, nullptr, &error_), MLFLOWCPP_ERROR_INVALID_ARGUMENT);
  mlflowcpp_run_options options = MLFLOWCPP_RUN_OPTIONS_INIT;
  options.log_system_metrics = 2;
  run = reinterpret_cast<mlflowcpp_run*>(&error_);
  EXPECT_EQ(mlflowcpp_start_run(client.get(), &options, &run, &error_), MLFLOWCPP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(run, nullptr);
  EXPECT_NE(std::string(error_.message).find("log_system_metrics"), std::string::npos) << error_.message;
  mlflowcpp_run_options missing_experiment = MLFLOWCPP_RUN_OPTIONS_INIT;
  missing_experiment.experiment_id = "123456789";
  EXPECT_EQ(mlflowcpp_start_run(client.get(), &missing_experiment, &run, &error_), MLFLOWCPP_ERROR_SERVER);
  EXPECT_STREQ(error_.error_code, "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(run, nullptr);

  EXPECT_EQ(mlflowcpp_run_id(nullptr), nullptr);
  EXPECT_EQ(mlflowcpp_end_run(nullptr, nullptr, &error_), MLFLOWCPP_ERROR_INVALID_ARGUMENT);

  // An unknown status still ends the run (FAILED) and frees the handle.
  ASSERT_EQ(mlflowcpp_start_run(client.get(), nullptr, &run, &error_), MLFLOWCPP_OK) << error_.message;
  const std::string run_id = mlflowcpp_run_id(run);
  EXPECT_EQ(mlflowcpp_end_run(run, "DONE", &error_), MLFLOWCPP_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(error_.message).find("DONE"), std::string::npos) << error_.message;
  EXPECT_EQ(get_run(run_id)["info"]["status"], "FAILED");
}

TEST_F(BindingsTest, TheFortranExampleStartsItsRunWithSystemMetrics) {
  const std::string program = MLFLOWCPP_FORTRAN_EXAMPLE;
  if (program.empty()) GTEST_SKIP() << "built without a Fortran compiler";
  auto result = run_command(program, {},
                            {{"MLFLOW_TRACKING_URI", server_->base_url()},
                             {"MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", "true"},
                             {"MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "0.01"}},
                            std::chrono::seconds(60));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const std::string run_id = result.output.substr(0, result.output.find_first_of("\r\n"));
  Json run = get_run(run_id);
  EXPECT_EQ(run["info"]["status"], "FINISHED");
  EXPECT_EQ(run["info"]["run_name"], "fortran-train");
  EXPECT_FALSE(tag(run, "mlflow.source.name").empty()) << run.dump();  // the system tags of start_run
}

// Credentials reach the server as the official client sends them: a proxy in
// front of the server keeps the request heads each client wrote.
class BindingsCredentialsTest : public BindingsTest {
 protected:
  BindingsCredentialsTest() { std::filesystem::create_directories(home_.path() / ".mlflow"); }

  void write_credentials_file(const std::string& text) {
    std::ofstream(home_.path() / ".mlflow" / "credentials") << text;
  }

  // Makes one call (creating an experiment) through a client of the C API.
  void call_through_c_api(const char* tracking_uri) {
    mlflowcpp_client* raw = nullptr;
    ASSERT_EQ(mlflowcpp_client_new(tracking_uri, &raw, &error_), MLFLOWCPP_OK) << error_.message;
    ClientHandle client(raw);
    char id[MLFLOWCPP_ID_SIZE];
    const std::string name = "credentials-" + std::to_string(++experiments_);
    ASSERT_EQ(mlflowcpp_create_experiment(client.get(), name.c_str(), nullptr, id, sizeof id, &error_), MLFLOWCPP_OK)
        << error_.message;
  }

  bool sent(const std::string& header_line) const {
    return proxy_.client_bytes().find(header_line + "\r\n") != std::string::npos;
  }

  TempDir home_{"mlflowcpp-home"};
  integration::CountingTcpProxy proxy_{server_->port()};
  int experiments_ = 0;
};

TEST_F(BindingsCredentialsTest, AClientForAUriTakesTheEnvironmentsCredentials) {
  ScopedEnvironment environment({{"HOME", home_.path().string()},
                                 {"MLFLOW_TRACKING_USERNAME", "alice"},
                                 {"MLFLOW_TRACKING_PASSWORD", "secret"},
                                 {"MLFLOW_TRACKING_TOKEN", "not-sent-when-basic-is-set"}});
  call_through_c_api(proxy_.url().c_str());
  EXPECT_TRUE(sent("Authorization: Basic YWxpY2U6c2VjcmV0")) << proxy_.client_bytes();  // alice:secret
  EXPECT_FALSE(sent("Authorization: Bearer not-sent-when-basic-is-set"));
}

TEST_F(BindingsCredentialsTest, AClientFromTheEnvironmentSendsTheToken) {
  ScopedEnvironment environment(
      {{"HOME", home_.path().string()}, {"MLFLOW_TRACKING_URI", proxy_.url()}, {"MLFLOW_TRACKING_TOKEN", "c-token"}});
  call_through_c_api(nullptr);
  EXPECT_TRUE(sent("Authorization: Bearer c-token")) << proxy_.client_bytes();
}

TEST_F(BindingsCredentialsTest, TheCredentialsFileFillsWhatTheEnvironmentLeavesOpen) {
  write_credentials_file("[mlflow]\nmlflow_tracking_username = file-user\nmlflow_tracking_password = file-pass\n");
  {
    ScopedEnvironment environment({{"HOME", home_.path().string()}});
    call_through_c_api(proxy_.url().c_str());
  }
  EXPECT_TRUE(sent("Authorization: Basic ZmlsZS11c2VyOmZpbGUtcGFzcw==")) << proxy_.client_bytes();
  {
    ScopedEnvironment environment({{"HOME", home_.path().string()}, {"MLFLOW_TRACKING_USERNAME", "alice"}});
    call_through_c_api(proxy_.url().c_str());
  }
  EXPECT_TRUE(sent("Authorization: Basic YWxpY2U6ZmlsZS1wYXNz")) << proxy_.client_bytes();  // alice:file-pass
}

TEST_F(BindingsCredentialsTest, TheFortranModuleSendsTheEnvironmentsCredentials) {
  const std::string program = MLFLOWCPP_FORTRAN_EXAMPLE;
  if (program.empty()) GTEST_SKIP() << "built without a Fortran compiler";
  auto result = run_command(program, {},
                            {{"MLFLOW_TRACKING_URI", proxy_.url()},
                             {"MLFLOW_TRACKING_TOKEN", "fortran-token"},
                             {"HOME", home_.path().string()}},
                            std::chrono::seconds(60));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(sent("Authorization: Bearer fortran-token")) << proxy_.client_bytes();

  write_credentials_file("[mlflow]\nmlflow_tracking_username = file-user\nmlflow_tracking_password = file-pass\n");
  result = run_command(program, {}, {{"MLFLOW_TRACKING_URI", proxy_.url()}, {"HOME", home_.path().string()}},
                       std::chrono::seconds(60));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(sent("Authorization: Basic ZmlsZS11c2VyOmZpbGUtcGFzcw==")) << proxy_.client_bytes();
}

// The example programs, as a user builds them, run against the server and the
// run they print is there.
void expect_example_logs_a_run(const std::string& program, ServerProcess& server, const std::string& tag_check) {
  auto result = run_command(program, {}, {{"MLFLOW_TRACKING_URI", server.base_url()}}, std::chrono::seconds(60));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const std::string run_id = result.output.substr(0, result.output.find_first_of("\r\n"));
  auto answer = server.client().get("/api/2.0/mlflow/runs/get?run_id=" + run_id);
  ASSERT_EQ(answer.status, 200) << result.output;
  EXPECT_EQ(answer.json["run"]["info"]["status"], "FINISHED");
  EXPECT_NE(answer.json["run"]["data"].dump().find(tag_check), std::string::npos) << answer.json.dump();
}

// Asynchronous logging: switched on by the environment or by the call, failures reported by the flush.
TEST_F(BindingsTest, AsynchronousLoggingReportsAParamConflictAtFlush) {
  ClientHandle client;
  {
    ScopedEnvironment environment(std::map<std::string, std::string>{{"MLFLOW_ENABLE_ASYNC_LOGGING", "true"}});
    client = connect();
  }
  char run_id[MLFLOWCPP_ID_SIZE];
  ASSERT_EQ(mlflowcpp_create_run(client.get(), "0", "async-c", run_id, sizeof run_id, &error_), MLFLOWCPP_OK)
      << error_.message;
  EXPECT_EQ(mlflowcpp_log_param(client.get(), run_id, "lr", "0.1", &error_), MLFLOWCPP_OK);
  EXPECT_EQ(mlflowcpp_flush(client.get(), &error_), MLFLOWCPP_OK) << error_.message;
  EXPECT_EQ(mlflowcpp_log_param(client.get(), run_id, "lr", "0.2", &error_), MLFLOWCPP_OK);  // queued only
  for (int step = 0; step < 100; ++step) {
    ASSERT_EQ(mlflowcpp_log_metric(client.get(), run_id, "loss", 1.0 / (step + 1), 0, step, &error_), MLFLOWCPP_OK);
  }
  EXPECT_EQ(mlflowcpp_flush(client.get(), &error_), MLFLOWCPP_ERROR_SERVER);
  EXPECT_STREQ(error_.error_code, "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(error_.http_status, 400);
  EXPECT_EQ(mlflowcpp_flush(client.get(), &error_), MLFLOWCPP_OK);  // reported once

  // Switched off by the call: a conflict is the call's own error again.
  EXPECT_EQ(mlflowcpp_client_set_async_logging(client.get(), 0, &error_), MLFLOWCPP_OK);
  EXPECT_EQ(mlflowcpp_log_param(client.get(), run_id, "lr", "0.3", &error_), MLFLOWCPP_ERROR_SERVER);
  EXPECT_EQ(mlflowcpp_client_set_async_logging(client.get(), 1, &error_), MLFLOWCPP_OK);
  EXPECT_EQ(mlflowcpp_set_tag(client.get(), run_id, "mode", "async", &error_), MLFLOWCPP_OK);
  EXPECT_EQ(mlflowcpp_set_terminated(client.get(), run_id, "FINISHED", &error_), MLFLOWCPP_OK);

  Json run = get_run(run_id);
  EXPECT_EQ(run["info"]["status"], "FINISHED");
  EXPECT_EQ(run["data"]["params"][0]["value"], "0.1");
  EXPECT_NE(run["data"]["tags"].dump().find("async"), std::string::npos);
  auto history = server_->client().get("/api/2.0/mlflow/metrics/get-history?metric_key=loss&run_id=" +
                                       std::string(run_id));
  EXPECT_EQ(history.json["metrics"].size(), 100u);
  EXPECT_EQ(mlflowcpp_flush(nullptr, &error_), MLFLOWCPP_ERROR_INVALID_ARGUMENT);
}

TEST_F(BindingsTest, TheFortranExampleLogsARunAsynchronously) {
  const std::string program = MLFLOWCPP_FORTRAN_EXAMPLE;
  if (program.empty()) GTEST_SKIP() << "built without a Fortran compiler";
  auto result = run_command(program, {},
                            {{"MLFLOW_TRACKING_URI", server_->base_url()}, {"MLFLOW_ENABLE_ASYNC_LOGGING", "true"}},
                            std::chrono::seconds(60));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const std::string run_id = result.output.substr(0, result.output.find_first_of("\r\n"));
  Json run = get_run(run_id);
  EXPECT_EQ(run["info"]["status"], "FINISHED");
  EXPECT_NE(run["data"].dump().find("jacobi"), std::string::npos) << run.dump();
  EXPECT_NE(run["data"].dump().find("residual"), std::string::npos) << run.dump();
}

TEST_F(BindingsTest, TheCExampleLogsARun) { expect_example_logs_a_run(MLFLOWCPP_C_EXAMPLE, *server_, "accuracy"); }

TEST_F(BindingsTest, TheFortranExampleLogsARun) {
  const std::string program = MLFLOWCPP_FORTRAN_EXAMPLE;
  if (program.empty()) GTEST_SKIP() << "built without a Fortran compiler";
  expect_example_logs_a_run(program, *server_, "jacobi");
}

}  // namespace
}  // namespace mlflowcpp::testing
