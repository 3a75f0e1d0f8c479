// System metrics against the real server: a run with them on gets MLflow's
// system/ metrics while it lasts and ends promptly; a run without gets none.

#include <gtest/gtest.h>

#include <mlflowcpp/mlflowcpp.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "fluent_server_test.hpp"
#include "testing/server_process.hpp"

namespace mlflowcpp::integration {
namespace {

using std::chrono::steady_clock;

class ClientSystemMetricsTest : public FluentServerTest {
 protected:
  static std::map<std::string, double> system_metrics(const std::string& run_id) {
    std::map<std::string, double> metrics;
    for (const auto& metric : client().get_run(run_id).data.metrics) {
      if (metric.key.rfind("system/", 0) == 0) metrics[metric.key] = metric.value;
    }
    return metrics;
  }

  // Polls until the run has at least `steps` steps of system/cpu_utilization_percentage.
  static void wait_for_steps(const std::string& run_id, size_t steps) {
    auto deadline = steady_clock::now() + std::chrono::seconds(30);
    while (steady_clock::now() < deadline) {
      if (system_metrics(run_id).count("system/cpu_utilization_percentage") &&
          client().get_metric_history(run_id, "system/cpu_utilization_percentage").size() >= steps) {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "no " << steps << " steps of system metrics within 30 s";
  }
};

TEST_F(ClientSystemMetricsTest, RunWithTheVariableGetsSystemMetrics) {
  std::string run_id;
  steady_clock::duration end_took{};
  {
    ActiveRun run = start_run(options(
        {{"MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", "true"}, {"MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "0.2"}}));
    run_id = run.run_id();
    wait_for_steps(run_id, 2);
    auto before_end = steady_clock::now();
    run.end();
    end_took = steady_clock::now() - before_end;
  }
  EXPECT_LT(end_took, std::chrono::seconds(2));
  EXPECT_EQ(client().get_run(run_id).info.status, RunStatus::kFinished);

  std::map<std::string, double> metrics = system_metrics(run_id);
  for (const char* name :
       {"system/cpu_utilization_percentage", "system/system_memory_usage_megabytes",
        "system/system_memory_usage_percentage", "system/disk_usage_percentage", "system/disk_usage_megabytes",
        "system/disk_available_megabytes", "system/network_receive_megabytes", "system/network_transmit_megabytes"}) {
    EXPECT_TRUE(metrics.count(name)) << name;
  }
  EXPECT_GE(metrics["system/cpu_utilization_percentage"], 0.0);
  EXPECT_LE(metrics["system/cpu_utilization_percentage"], 100.0);
  EXPECT_GT(metrics["system/system_memory_usage_percentage"], 0.0);
  EXPECT_LT(metrics["system/system_memory_usage_percentage"], 100.0);
  EXPECT_LE(metrics["system/disk_usage_percentage"], 100.0);

  // Steps count up from 0, one per logged average.
  std::set<int64_t> steps;
  for (const auto& point : client().get_metric_history(run_id, "system/disk_usage_megabytes")) steps.insert(point.step);
  ASSERT_GE(steps.size(), 2u);
  EXPECT_EQ(*steps.begin(), 0);
  EXPECT_EQ(*steps.rbegin(), static_cast<int64_t>(steps.size()) - 1);
}

TEST_F(ClientSystemMetricsTest, OptionTurnsThemOnWithANodePrefix) {
  StartRunOptions start =
      options({{"MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "0.2"}, {"MLFLOW_SYSTEM_METRICS_NODE_ID", "node_0"}});
  start.log_system_metrics = true;
  ActiveRun run = start_run(start);
  auto deadline = steady_clock::now() + std::chrono::seconds(30);
  while (system_metrics(run.run_id()).empty() && steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  run.kill();
  std::map<std::string, double> metrics = system_metrics(run.run_id());
  EXPECT_TRUE(metrics.count("system/node_0/cpu_utilization_percentage"));
  EXPECT_EQ(client().get_run(run.run_id()).info.status, RunStatus::kKilled);
}

TEST_F(ClientSystemMetricsTest, RunWithoutTheVariableGetsNone) {
  ActiveRun run = start_run(options({{"MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "0.1"}}));
  run.log_metric("loss", 0.5);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  run.end();
  EXPECT_TRUE(system_metrics(run.run_id()).empty());
  EXPECT_EQ(client().get_run(run.run_id()).data.metrics.size(), 1u);
}

TEST_F(ClientSystemMetricsTest, OptionOffWinsOverTheVariable) {
  StartRunOptions start =
      options({{"MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", "true"}, {"MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "0.1"}});
  start.log_system_metrics = false;
  ActiveRun run = start_run(start);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  run.end();
  EXPECT_TRUE(system_metrics(run.run_id()).empty());
}

TEST_F(ClientSystemMetricsTest, MalformedSettingIsRefusedBeforeTheRunStarts) {
  try {
    start_run(options(
        {{"MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", "true"}, {"MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "soon"}}));
    ADD_FAILURE() << "a malformed interval was accepted";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidParameterValue);
    EXPECT_NE(std::string(error.what()).find("MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL"), std::string::npos);
  }
}

}  // namespace
}  // namespace mlflowcpp::integration
