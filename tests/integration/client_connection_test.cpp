// The client's transport against the real server, through a counting TCP proxy:
// connections are reused, threads share few connections, dropped connections are retried.

#include <gtest/gtest.h>

#include <mlflowcpp/mlflowcpp.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "integration/client_tcp_proxy.hpp"
#include "testing/server_process.hpp"

namespace mlflowcpp::integration {
namespace {

class ClientConnectionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<testing::ServerProcess>(); }
  static void TearDownTestSuite() { server_.reset(); }

  static ClientOptions options_via(const CountingTcpProxy& proxy) {
    ClientOptions options;
    options.tracking_uri = proxy.url();
    options.max_retries = 4;
    options.backoff_factor = 0.05;
    options.backoff_jitter = 0;
    options.timeout_seconds = 30;
    return options;
  }

  static std::string new_run(MlflowClient& client) {
    CreateRunRequest request;
    request.experiment_id = "0";
    return client.create_run(request).info.run_id;
  }

  static std::unique_ptr<testing::ServerProcess> server_;
};

std::unique_ptr<testing::ServerProcess> ClientConnectionTest::server_;

TEST_F(ClientConnectionTest, SequentialCallsShareOneConnection) {
  CountingTcpProxy proxy(server_->port());
  MlflowClient client(options_via(proxy));
  std::string run_id = new_run(client);
  for (int step = 0; step < 200; ++step) {
    client.log_metric(run_id, "loss", 1.0 / (step + 1), MetricOptions{step, std::nullopt});
  }
  client.set_terminated(run_id);
  EXPECT_EQ(client.get_metric_history(run_id, "loss").size(), 200u);
  EXPECT_EQ(proxy.connections(), 1);
}

TEST_F(ClientConnectionTest, ThreadsLoggingThroughOneClientUseFewConnections) {
  CountingTcpProxy proxy(server_->port());
  MlflowClient client(options_via(proxy));
  std::string run_id = new_run(client);
  constexpr int kThreads = 6;
  constexpr int kSteps = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int step = 0; step < kSteps; ++step) {
        try {
          client.log_metric(run_id, "worker" + std::to_string(t), step, MetricOptions{step, std::nullopt});
        } catch (const std::exception& error) {
          ADD_FAILURE() << error.what();
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(client.get_metric_history(run_id, "worker" + std::to_string(t)).size(), std::size_t(kSteps));
  }
  EXPECT_LE(proxy.connections(), kThreads + 1);
}

TEST_F(ClientConnectionTest, DroppedConnectionsAreRetriedWithGrowingDelays) {
  // The run is made directly: a create is not repeated after a dropped
  // connection (the next test); setting a tag is.
  MlflowClient direct(server_->client_options());
  std::string run_id = new_run(direct);
  CountingTcpProxy proxy(server_->port(), /*connections_to_drop=*/3);
  MlflowClient client(options_via(proxy));
  auto started = std::chrono::steady_clock::now();
  client.set_tag(run_id, "attempts", "4");  // three drops, then through
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_FALSE(run_id.empty());
  EXPECT_EQ(proxy.connections(), 4);
  // Waits of 50, 100 and 200 ms came before the second, third and fourth attempts.
  EXPECT_GE(elapsed, std::chrono::milliseconds(350));
  auto times = proxy.accept_times();
  ASSERT_EQ(times.size(), 4u);
  for (std::size_t i = 1; i < times.size(); ++i) {
    auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(times[i] - times[i - 1]);
    std::chrono::milliseconds expected(50 << (i - 1));
    EXPECT_GE(gap, expected) << "before attempt " << i + 1;
    EXPECT_LT(gap, expected + std::chrono::milliseconds(400)) << "before attempt " << i + 1;
  }
  EXPECT_EQ(client.get_run(run_id).info.run_id, run_id);
}

TEST_F(ClientConnectionTest, ACreateIsNotRepeatedAfterADroppedConnection) {
  // The connection was made and the request may have gone out: the server
  // could have created the run, so the client reports the failure instead.
  CountingTcpProxy proxy(server_->port(), /*connections_to_drop=*/100);
  MlflowClient client(options_via(proxy));
  EXPECT_THROW(new_run(client), TransportError);
  EXPECT_EQ(proxy.connections(), 1);
}

TEST_F(ClientConnectionTest, TooManyDropsEndInATransportError) {
  CountingTcpProxy proxy(server_->port(), /*connections_to_drop=*/100);
  ClientOptions options = options_via(proxy);
  options.max_retries = 2;
  options.backoff_factor = 0.01;
  MlflowClient client(options);
  EXPECT_THROW(client.get_experiment("0"), TransportError);
  EXPECT_EQ(proxy.connections(), 3);
}

}  // namespace
}  // namespace mlflowcpp::integration
