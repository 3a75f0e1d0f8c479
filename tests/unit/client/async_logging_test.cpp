// Asynchronous logging without a server: a fake connection that can hold
// requests back shows the queue's capacity policies, what flush() reports,
// the splitting of batches and the isolation of a refused param.

#include <gtest/gtest.h>

#include <mlflowcpp/client.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

namespace mlflowcpp {
namespace {

using nlohmann::json;

// Answers every request with 200 {} unless `refuse` says otherwise, after the gate opens.
class GatedConnection : public Connection {
 public:
  HttpResponse send(const HttpRequest& request) override {
    std::unique_lock lock(mutex_);
    bodies_.push_back(json::parse(request.body));
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
    if (refuse_ && refuse_(bodies_.back())) {
      return {400, R"({"error_code":"INVALID_PARAMETER_VALUE","message":"refused"})", {}};
    }
    return {200, "{}", {}};
  }

  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  void close() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void refuse_when(std::function<bool(const json&)> refuse) {
    std::lock_guard lock(mutex_);
    refuse_ = std::move(refuse);
  }
  // Waits (up to 10 s) until `count` requests have arrived.
  bool wait_for_requests(std::size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return bodies_.size() >= count; });
  }
  std::vector<json> bodies() {
    std::lock_guard lock(mutex_);
    return bodies_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<json> bodies_;
  bool open_ = true;
  std::function<bool(const json&)> refuse_;
};

template <typename Condition>
bool poll_until(Condition condition, std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::yield();
  }
  return true;
}

std::size_t count_of(const std::vector<json>& bodies, const char* kind) {
  std::size_t count = 0;
  for (const auto& body : bodies) count += body.contains(kind) ? body[kind].size() : 0;
  return count;
}

TEST(AsyncLoggingTest, OffUnlessSwitchedOn) {
  auto connection = std::make_shared<GatedConnection>();
  MlflowClient client(connection);
  EXPECT_FALSE(client.async_logging());
  client.log_metric("r", "loss", 1.0);
  EXPECT_EQ(connection->bodies().size(), 1u);
  EXPECT_FALSE(connection->bodies()[0].contains("metrics"));  // runs/log-metric
  client.flush();                                             // nothing to do
}

TEST(AsyncLoggingTest, QueuedPointsArriveAsBatchesWithinLimitsInOrder) {
  auto connection = std::make_shared<GatedConnection>();
  MlflowClient client(connection);
  client.enable_async_logging();
  for (int step = 0; step < 2500; ++step) client.log_metric("r", "loss", step, MetricOptions{step, 1000});
  client.log_param("r", "lr", "0.1");
  client.set_tag("r", "phase", "a");
  client.set_tag("r", "phase", "b");
  client.flush();

  auto bodies = connection->bodies();
  EXPECT_EQ(count_of(bodies, "metrics"), 2500u);
  int64_t expected_step = 0;
  std::string last_phase;
  for (const auto& body : bodies) {
    EXPECT_EQ(body["run_id"], "r");
    EXPECT_LE(body.value("metrics", json::array()).size(), 1000u);
    for (const auto& metric : body.value("metrics", json::array())) EXPECT_EQ(metric["step"], expected_step++);
    for (const auto& tag : body.value("tags", json::array())) last_phase = tag["value"];
  }
  EXPECT_EQ(last_phase, "b");
  AsyncLoggingStats stats = client.async_logging_stats();
  EXPECT_EQ(stats.sent, 2503u);
  EXPECT_EQ(stats.queued, 0u);
  EXPECT_EQ(stats.failed, 0u);
}

TEST(AsyncLoggingTest, DropPolicyCountsWhatDidNotFit) {
  auto connection = std::make_shared<GatedConnection>();
  MlflowClient client(connection);
  AsyncLoggingOptions options;
  options.max_queued_items = 10;
  options.when_full = QueueFullPolicy::kDrop;
  client.enable_async_logging(options);
  connection->close();
  client.log_metric("r", "m", 0, MetricOptions{0, 1});
  ASSERT_TRUE(connection->wait_for_requests(1));  // the sender holds that one
  for (int step = 1; step <= 20; ++step) client.log_metric("r", "m", step, MetricOptions{step, 1});
  EXPECT_EQ(client.async_logging_stats().dropped, 11u);
  connection->open();
  client.flush();
  AsyncLoggingStats stats = client.async_logging_stats();
  EXPECT_EQ(stats.sent, 10u);
  EXPECT_EQ(stats.dropped, 11u);
  EXPECT_EQ(count_of(connection->bodies(), "metrics"), 10u);
}

TEST(AsyncLoggingTest, BlockPolicyWaitsForRoom) {
  auto connection = std::make_shared<GatedConnection>();
  MlflowClient client(connection);
  AsyncLoggingOptions options;
  options.max_queued_items = 5;
  client.enable_async_logging(options);
  connection->close();
  std::atomic<bool> done{false};
  std::thread logger([&] {
    for (int step = 0; step < 20; ++step) client.log_metric("r", "m", step, MetricOptions{step, 1});
    done = true;
  });
  ASSERT_TRUE(poll_until([&] { return client.async_logging_stats().queued == 5; }));
  EXPECT_FALSE(done.load());
  connection->open();
  logger.join();
  client.flush();
  EXPECT_EQ(client.async_logging_stats().sent, 20u);
  EXPECT_EQ(client.async_logging_stats().dropped, 0u);
  EXPECT_EQ(count_of(connection->bodies(), "metrics"), 20u);
}

TEST(AsyncLoggingTest, RefusedParamFailsAloneAndFlushReportsIt) {
  auto connection = std::make_shared<GatedConnection>();
  connection->refuse_when([](const json& body) {
    for (const auto& param : body.value("params", json::array())) {
      if (param["key"] == "lr") return true;
    }
    return false;
  });
  MlflowClient client(connection);
  std::atomic<std::size_t> reported{0};
  AsyncLoggingOptions options;
  options.buffering = std::chrono::milliseconds(60000);  // one batch, sent by flush()
  options.on_error = [&](const std::string& run_id, const MlflowException& error, std::size_t items) {
    EXPECT_EQ(run_id, "r");
    EXPECT_EQ(error.error_code(), "INVALID_PARAMETER_VALUE");
    reported += items;
  };
  client.enable_async_logging(options);
  client.log_param("r", "lr", "0.2");
  client.log_param("r", "batch", "32");
  client.log_metric("r", "m", 1.0, MetricOptions{0, 1});
  try {
    client.flush();
    FAIL() << "flush() should report the refused param";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.error_code(), "INVALID_PARAMETER_VALUE");
    EXPECT_EQ(error.http_status(), 400);
    EXPECT_NE(std::string(error.what()).find("1 items"), std::string::npos) << error.what();
  }
  EXPECT_EQ(reported.load(), 1u);
  AsyncLoggingStats stats = client.async_logging_stats();
  EXPECT_EQ(stats.sent, 2u);
  EXPECT_EQ(stats.failed, 1u);
  client.flush();  // reported once
}

TEST(AsyncLoggingTest, ReadsWaitForWhatWasQueued) {
  auto connection = std::make_shared<GatedConnection>();
  MlflowClient client(connection);
  AsyncLoggingOptions options;
  options.buffering = std::chrono::milliseconds(60000);
  client.enable_async_logging(options);
  client.set_tag("r", "k", "v");
  client.delete_tag("r", "k");
  auto bodies = connection->bodies();
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_TRUE(bodies[0].contains("tags"));
  EXPECT_EQ(bodies[1]["key"], "k");
}

TEST(AsyncLoggingTest, DestroyingTheClientSendsTheQueue) {
  auto connection = std::make_shared<GatedConnection>();
  {
    MlflowClient client(connection);
    AsyncLoggingOptions options;
    options.buffering = std::chrono::milliseconds(60000);
    client.enable_async_logging(options);
    MlflowClient copy = client;
    for (int step = 0; step < 10; ++step) copy.log_metric("r", "m", step, MetricOptions{step, 1});
  }
  EXPECT_EQ(count_of(connection->bodies(), "metrics"), 10u);
}

TEST(AsyncLoggingTest, EnvironmentSwitchesItOn) {
  ClientOptions options;
  options.tracking_uri = "http://127.0.0.1:1";
  auto environment = [](const std::string& name) -> std::optional<std::string> {
    if (name == "MLFLOW_ENABLE_ASYNC_LOGGING") return "true";
    if (name == "MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS") return "3";
    return std::nullopt;
  };
  ResolvedClientOptions resolved = resolve_client_options(options, environment);
  EXPECT_TRUE(resolved.async_logging);
  EXPECT_EQ(async_logging_options(resolved).buffering, std::chrono::milliseconds(3000));
  options.async_logging = false;
  EXPECT_FALSE(resolve_client_options(options, environment).async_logging);
  auto bad = [](const std::string& name) -> std::optional<std::string> {
    if (name == "MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS") return "-1";
    return std::nullopt;
  };
  EXPECT_THROW(resolve_client_options(options, bad), MlflowException);
}

}  // namespace
}  // namespace mlflowcpp
