// The system metrics sampler against an in-memory server: what it logs, at
// which steps, and that stopping does not wait out the sampling interval.

#include "client/system_metrics/system_metrics_sampler.hpp"

#include "protocol/json_codec.hpp"
#include "recording_connection.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

namespace mlflowcpp::client {
namespace {

using protocol::Json;
using std::chrono::steady_clock;
using testing::json_response;
using testing::RecordingConnection;

// Answers every call with an empty object, except the resumed run's metrics.
std::shared_ptr<RecordingConnection> fake_server() {
  return std::make_shared<RecordingConnection>([](const HttpRequest& request) {
    if (request.path.find("runs/get") != std::string::npos) {
      return json_response(200, R"({"run":{"info":{"run_id":"r1","status":"RUNNING"},
        "data":{"metrics":[{"key":"loss","value":1,"timestamp":1,"step":9},
                           {"key":"system/cpu_utilization_percentage","value":3,"timestamp":1,"step":4}]}}})");
    }
    if (request.path.find("metrics/get-history") != std::string::npos) {
      return json_response(200,
                           R"({"metrics":[{"key":"system/cpu_utilization_percentage","value":1,"timestamp":1,"step":3},
        {"key":"system/cpu_utilization_percentage","value":3,"timestamp":2,"step":4}]})");
    }
    return json_response(200, "{}");
  });
}

std::vector<Json> logged_batches(const RecordingConnection& connection) {
  std::vector<Json> batches;
  for (const auto& request : connection.requests()) {
    if (request.path.find("runs/log-batch") != std::string::npos) batches.push_back(Json::parse(request.body));
  }
  return batches;
}

// Waits (up to a deadline) until the sampler has logged `count` batches.
std::vector<Json> wait_for_batches(const RecordingConnection& connection, size_t count) {
  auto deadline = steady_clock::now() + std::chrono::seconds(20);
  std::vector<Json> batches = logged_batches(connection);
  while (batches.size() < count && steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    batches = logged_batches(connection);
  }
  return batches;
}

system_metrics::SystemMetricsSettings fast_settings(int samples_before_logging = 1) {
  system_metrics::SystemMetricsSettings settings;
  settings.sampling_interval = std::chrono::duration<double>(0.05);
  settings.samples_before_logging = samples_before_logging;
  return settings;
}

TEST(SystemMetricsSamplerTest, LogsMlflowsNamesAtSteps0And1And2) {
  auto connection = fake_server();
  SystemMetricsSampler sampler(MlflowClient(connection), "r1", fast_settings(2), false, {"/proc", "/", false});
  std::vector<Json> batches = wait_for_batches(*connection, 3);
  sampler.stop();
  ASSERT_GE(batches.size(), 3u);

  for (size_t step = 0; step < 3; ++step) {
    const Json& batch = batches[step];
    EXPECT_EQ(batch["run_id"], "r1");
    std::set<std::string> names;
    int64_t timestamp = batch["metrics"][0]["timestamp"].get<int64_t>();
    for (const auto& metric : batch["metrics"]) {
      names.insert(metric["key"].get<std::string>());
      EXPECT_EQ(metric["step"].get<int64_t>(), static_cast<int64_t>(step));
      EXPECT_EQ(metric["timestamp"].get<int64_t>(), timestamp);  // one timestamp per step
    }
    for (const char* name :
         {"system/cpu_utilization_percentage", "system/system_memory_usage_megabytes",
          "system/system_memory_usage_percentage", "system/disk_usage_percentage", "system/disk_usage_megabytes",
          "system/disk_available_megabytes", "system/network_receive_megabytes", "system/network_transmit_megabytes"}) {
      EXPECT_TRUE(names.count(name)) << name << " missing at step " << step;
    }
  }
}

TEST(SystemMetricsSamplerTest, ResumedRunContinuesAfterItsLastSystemStep) {
  auto connection = fake_server();
  auto settings = fast_settings();
  settings.node_id = "node_1";
  SystemMetricsSampler sampler(MlflowClient(connection), "r1", settings, true, {"/proc", "/", false});
  std::vector<Json> batches = wait_for_batches(*connection, 1);
  sampler.stop();
  ASSERT_GE(batches.size(), 1u);
  for (const auto& metric : batches[0]["metrics"]) {
    EXPECT_EQ(metric["step"].get<int64_t>(), 5);
    EXPECT_EQ(metric["key"].get<std::string>().rfind("system/node_1/", 0), 0u) << metric["key"];
  }
}

TEST(SystemMetricsSamplerTest, StopDoesNotWaitOutTheInterval) {
  auto connection = fake_server();
  system_metrics::SystemMetricsSettings settings;  // 10 s between samples
  auto started = steady_clock::now();
  {
    SystemMetricsSampler sampler(MlflowClient(connection), "r1", settings, false, {"/proc", "/", false});
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_LT(steady_clock::now() - started, std::chrono::seconds(2));
  EXPECT_TRUE(logged_batches(*connection).empty());  // no step completed: nothing logged, as in MLflow
}

TEST(SystemMetricsSamplerTest, StopsWhenLoggingFails) {
  auto connection = std::make_shared<RecordingConnection>([](const HttpRequest&) {
    return json_response(400, R"({"error_code":"INVALID_PARAMETER_VALUE","message":"run is not active"})");
  });
  SystemMetricsSampler sampler(MlflowClient(connection), "r1", fast_settings(), false, {"/proc", "/", false});
  std::vector<Json> batches = wait_for_batches(*connection, 1);
  ASSERT_EQ(batches.size(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(logged_batches(*connection).size(), 1u);  // the thread gave up after the failure
  sampler.stop();
}

}  // namespace
}  // namespace mlflowcpp::client
