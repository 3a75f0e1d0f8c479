// Asynchronous logging against the real server: order per key, flush and end of
// run, a param conflict reported at flush, many threads logging into one run,
// and a server killed with kill -9 and restarted mid-stream.

#include <gtest/gtest.h>

#include <mlflowcpp/mlflowcpp.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "testing/server_process.hpp"

namespace mlflowcpp::integration {
namespace {

template <typename Condition>
bool poll_until(Condition condition, std::chrono::milliseconds deadline = std::chrono::seconds(30)) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

class ClientAsyncLoggingTest : public ::testing::Test {
 protected:
  void SetUp() override { server_ = std::make_unique<testing::ServerProcess>(); }

  // Retries quick enough for a restart to be waited out within the test.
  ClientOptions options() const {
    ClientOptions options;
    options.tracking_uri = server_->base_url();
    options.async_logging = true;
    options.max_retries = 9;
    options.backoff_factor = 0.05;
    options.backoff_jitter = 0;
    options.timeout_seconds = 10;
    return options;
  }

  std::string new_run(MlflowClient& client) { return client.create_run({"0", "async", std::nullopt, {}}).info.run_id; }

  std::unique_ptr<testing::ServerProcess> server_;
};

TEST_F(ClientAsyncLoggingTest, PointsOfEachKeyArriveInOrderAndTagsEndWithTheLastValue) {
  MlflowClient client(options());
  ASSERT_TRUE(client.async_logging());
  std::string run_id = new_run(client);
  for (int step = 0; step < 5000; ++step) {
    client.log_metric(run_id, "loss", 1.0 / (step + 1), MetricOptions{step, 1000 + step});
    client.log_metric(run_id, "acc", step, MetricOptions{step, 1000 + step});
    client.set_tag(run_id, "last_step", std::to_string(step));
  }
  // Reads wait for what was queued before them, without a flush().
  std::vector<Metric> loss = client.get_metric_history(run_id, "loss");
  ASSERT_EQ(loss.size(), 5000u);
  for (int step = 0; step < 5000; ++step) EXPECT_EQ(loss[step].step, step);
  mlflowcpp::Run run = client.get_run(run_id);
  std::map<std::string, std::string> tags;
  for (const auto& tag : run.data.tags) tags[tag.key] = tag.value;
  EXPECT_EQ(tags["last_step"], "4999");
  for (const auto& metric : run.data.metrics) {
    if (metric.key == "acc") {
      EXPECT_EQ(metric.step, 4999);
    }
  }
  client.flush();
  AsyncLoggingStats stats = client.async_logging_stats();
  EXPECT_EQ(stats.sent, 15000u);
  EXPECT_EQ(stats.queued + stats.failed + stats.dropped, 0u);
}

TEST_F(ClientAsyncLoggingTest, ParamConflictIsReportedAtFlushAndTheRestIsStored) {
  MlflowClient client(options());
  std::string run_id = new_run(client);
  client.log_param(run_id, "lr", "0.1");
  client.log_param(run_id, "lr", "0.1");  // the same value again is fine
  client.flush();

  std::atomic<int> callbacks{0};
  AsyncLoggingOptions async = async_logging_options(resolve_client_options(options()));
  async.on_error = [&](const std::string& failed_run, const MlflowException& error, std::size_t items) {
    EXPECT_EQ(failed_run, run_id);
    EXPECT_EQ(error.error_code(), "INVALID_PARAMETER_VALUE");
    EXPECT_EQ(items, 1u);
    ++callbacks;
  };
  client.enable_async_logging(async);
  client.log_param(run_id, "lr", "0.2");
  client.log_param(run_id, "batch", "32");
  client.log_metric(run_id, "loss", 0.5, MetricOptions{1, 2000});
  try {
    client.flush();
    FAIL() << "flush() must report the conflicting param";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.error_code(), "INVALID_PARAMETER_VALUE");
    EXPECT_EQ(error.http_status(), 400);
  }
  EXPECT_EQ(callbacks.load(), 1);
  mlflowcpp::Run run = client.get_run(run_id);
  std::map<std::string, std::string> params;
  for (const auto& param : run.data.params) params[param.key] = param.value;
  EXPECT_EQ(params["lr"], "0.1");
  EXPECT_EQ(params["batch"], "32");
  EXPECT_EQ(client.get_metric_history(run_id, "loss").size(), 1u);
}

TEST_F(ClientAsyncLoggingTest, EnvironmentVariableMakesStartRunAsynchronousAndEndFlushesFirst) {
  std::map<std::string, std::string> variables{{"MLFLOW_TRACKING_URI", server_->base_url()},
                                               {"MLFLOW_ENABLE_ASYNC_LOGGING", "true"},
                                               {"MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS", "30"}};
  StartRunOptions start;
  start.environment = [variables](const std::string& name) -> std::optional<std::string> {
    auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
  std::string run_id;
  MlflowClient reader(server_->client_options());
  {
    ActiveRun run = start_run(start);
    ASSERT_TRUE(run.client().async_logging());
    run_id = run.run_id();
    for (int step = 0; step < 2500; ++step) run.log_metric("loss", step, step);
    run.log_params({{"lr", "0.01"}});
    run.end();  // does not wait out the 30 s of buffering
    EXPECT_EQ(run.client().async_logging_stats().sent, 2501u);
  }
  mlflowcpp::Run ended = reader.get_run(run_id);
  EXPECT_EQ(ended.info.status, RunStatus::kFinished);
  EXPECT_EQ(reader.get_metric_history(run_id, "loss").size(), 2500u);
  ASSERT_EQ(ended.data.params.size(), 1u);
}

TEST_F(ClientAsyncLoggingTest, PerRunOptionSwitchesItOnAndOff) {
  StartRunOptions start;
  start.experiment_id = "0";
  start.async_logging = true;
  MlflowClient client(server_->client_options());
  ActiveRun run = start_run(client, start);
  EXPECT_TRUE(run.client().async_logging());
  EXPECT_FALSE(client.async_logging());
  start.async_logging = false;
  ActiveRun child = run.start_nested_run(start);
  EXPECT_FALSE(child.client().async_logging());
}

TEST_F(ClientAsyncLoggingTest, ManyThreadsLogIntoOneRun) {
  MlflowClient client(options());
  std::string run_id = new_run(client);
  constexpr int kThreads = 8;
  constexpr int kPoints = 3000;
  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([&, thread] {
      std::string own_key = "thread_" + std::to_string(thread);
      for (int step = 0; step < kPoints; ++step) {
        client.log_metric(run_id, own_key, step, MetricOptions{step, 1000});
        client.log_metric(run_id, "shared", step, MetricOptions{thread * kPoints + step, 1000});
      }
      client.log_param(run_id, "param_" + std::to_string(thread), std::to_string(thread));
    });
  }
  for (auto& thread : threads) thread.join();
  client.flush();
  for (int thread = 0; thread < kThreads; ++thread) {
    auto history = client.get_metric_history(run_id, "thread_" + std::to_string(thread));
    ASSERT_EQ(history.size(), static_cast<std::size_t>(kPoints));
    for (int step = 0; step < kPoints; ++step) EXPECT_EQ(history[step].step, step);
  }
  auto shared = client.get_metric_history(run_id, "shared");
  std::set<int64_t> steps;
  for (const auto& point : shared) steps.insert(point.step);
  EXPECT_EQ(shared.size(), static_cast<std::size_t>(kThreads * kPoints));
  EXPECT_EQ(steps.size(), static_cast<std::size_t>(kThreads * kPoints));
  EXPECT_EQ(client.get_run(run_id).data.params.size(), static_cast<std::size_t>(kThreads));
  EXPECT_EQ(client.async_logging_stats().sent, static_cast<uint64_t>(kThreads * (2 * kPoints + 1)));
}

// What a retry after a lost answer does to the server: the same log-batch again
// is accepted, stores no point twice and leaves latest_metrics as it was.
TEST_F(ClientAsyncLoggingTest, TheSameLogBatchTwiceIsStoredOnce) {
  MlflowClient client(server_->client_options());
  std::string run_id = new_run(client);
  testing::Json batch{{"run_id", run_id},
                      {"metrics",
                       {{{"key", "loss"}, {"value", 0.5}, {"timestamp", 100}, {"step", 2}},
                        {{"key", "loss"}, {"value", 0.9}, {"timestamp", 90}, {"step", 1}}}},
                      {"params", {{{"key", "lr"}, {"value", "0.1"}}}},
                      {"tags", {{{"key", "phase"}, {"value", "train"}}}}};
  auto http = server_->client();
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto answer = http.post("/api/2.0/mlflow/runs/log-batch", batch);
    ASSERT_EQ(answer.status, 200) << answer.describe();
  }
  auto history = client.get_metric_history(run_id, "loss");
  EXPECT_EQ(history.size(), 2u);
  mlflowcpp::Run run = client.get_run(run_id);
  ASSERT_EQ(run.data.metrics.size(), 1u);
  EXPECT_EQ(run.data.metrics[0].step, 2);
  EXPECT_EQ(run.data.metrics[0].value, 0.5);
  EXPECT_EQ(run.data.params.size(), 1u);
}

TEST_F(ClientAsyncLoggingTest, ServerKilledAndRestartedMidStreamLosesNothingAndStoresNothingTwice) {
  MlflowClient client(options());
  std::string run_id = new_run(client);
  constexpr int kPoints = 60000;
  std::atomic<int> logged{0};
  std::thread training([&] {
    for (int step = 0; step < kPoints; ++step) {
      client.log_metric(run_id, "loss", 1.0 / (step + 1), MetricOptions{step, 5000 + step / 100});
      logged = step + 1;
    }
  });
  // Kill it while batches are on the way.
  ASSERT_TRUE(poll_until([&] { return client.async_logging_stats().sent >= 5000; }));
  server_->kill9();
  uint64_t sent_at_kill = client.async_logging_stats().sent;
  ASSERT_TRUE(poll_until([&] { return logged.load() == kPoints; }));
  server_->restart();
  training.join();
  client.flush();
  EXPECT_GE(client.async_logging_stats().sent, sent_at_kill);

  auto history = client.get_metric_history(run_id, "loss");
  ASSERT_EQ(history.size(), static_cast<std::size_t>(kPoints));
  std::set<int64_t> steps;
  for (const auto& point : history) steps.insert(point.step);
  EXPECT_EQ(steps.size(), static_cast<std::size_t>(kPoints));
  mlflowcpp::Run run = client.get_run(run_id);
  ASSERT_EQ(run.data.metrics.size(), 1u);
  EXPECT_EQ(run.data.metrics[0].step, kPoints - 1);
  AsyncLoggingStats stats = client.async_logging_stats();
  EXPECT_EQ(stats.sent, static_cast<uint64_t>(kPoints));
  EXPECT_EQ(stats.failed, 0u);
}

}  // namespace
}  // namespace mlflowcpp::integration
