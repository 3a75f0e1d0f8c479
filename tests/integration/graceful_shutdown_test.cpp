// How the real binary stops on SIGTERM and SIGINT: the listening socket closes
// at once, requests in progress finish within --shutdown-timeout, /health
// answers 503 while draining, a second signal or the timeout cuts what is left,
// acknowledged writes are in the database afterwards, and the process exits 0.

#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "testing/process_runner.hpp"
#include "testing/raw_connection.hpp"
#include "testing/server_process.hpp"
#include "testing/wait.hpp"

namespace mlflowcpp::integration {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::HttpResponse;
using testing::RawConnection;
using testing::ServerOptions;
using testing::ServerProcess;
using testing::wait_until;

// A log-batch whose body is sent in two halves: the server has the request in hand from the first.
class SlowLogBatch {
 public:
  SlowLogBatch(int port, const std::string& run_id, const std::string& metric_key) : connection_(port) {
    body_ = R"({"run_id": ")" + run_id + R"(", "metrics": [{"key": ")" + metric_key +
            R"(", "value": 1.5, "timestamp": 1700000000000, "step": 0}]})";
    // A request answered first on the same connection: the server has accepted it and serves it on a thread.
    EXPECT_TRUE(connection_.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"));
    EXPECT_TRUE(wait_until(
        [&] { return (received_ += connection_.read_until_closed(milliseconds(50))).find("OK") != std::string::npos; },
        seconds(10)));
    received_.clear();
    EXPECT_TRUE(
        connection_.send("POST /api/2.0/mlflow/runs/log-batch HTTP/1.1\r\nHost: localhost\r\n"
                         "Content-Type: application/json\r\nContent-Length: " +
                         std::to_string(body_.size()) + "\r\n\r\n" + body_.substr(0, body_.size() / 2)));
  }

  void finish() { EXPECT_TRUE(connection_.send(body_.substr(body_.size() / 2))); }
  // The raw answer, read until the server closes the connection.
  std::string answer(milliseconds timeout) { return received_ += connection_.read_until_closed(timeout); }
  bool closed() const { return connection_.closed(); }

 private:
  RawConnection connection_;
  std::string body_;
  std::string received_;
};

class GracefulShutdownTest : public ::testing::Test {
 protected:
  // A server with `flags`, an experiment and a run to write to.
  void start(std::vector<std::string> flags) {
    ServerOptions options;
    options.extra_args = std::move(flags);
    options.stop_timeout = seconds(40);
    server_ = std::make_unique<ServerProcess>(options);
    auto http = server_->client();
    const HttpResponse experiment = http.post("/api/2.0/mlflow/experiments/create", {{"name", "shutdown"}});
    ASSERT_EQ(experiment.status, 200) << experiment.describe();
    const HttpResponse run = http.post("/api/2.0/mlflow/runs/create",
                                       {{"experiment_id", experiment.json["experiment_id"]}, {"start_time", 1}});
    ASSERT_EQ(run.status, 200) << run.describe();
    run_id_ = run.json["run"]["info"]["run_id"].get<std::string>();
  }

  bool log_says(const std::string& text, milliseconds timeout = seconds(10)) {
    return wait_until([&] { return server_->log().find(text) != std::string::npos; }, timeout);
  }

  // Waits for the process to end; its exit code, or -2 when it is still running at the deadline.
  int exit_code_within(milliseconds timeout) {
    if (!wait_until([&] { return !server_->running(); }, timeout)) return -2;
    return server_->stop();
  }

  // Metrics `key` of the run, as the database holds them once the server is gone.
  int metric_rows(const std::string& key) {
    SQLite::Database db(server_->db_path().string(), SQLite::OPEN_READONLY);
    SQLite::Statement query(db, "SELECT COUNT(*) FROM metrics WHERE run_uuid = ? AND key = ?");
    query.bind(1, run_id_);
    query.bind(2, key);
    query.executeStep();
    return query.getColumn(0).getInt();
  }

  bool refuses_new_connections() { return !RawConnection(server_->port()).connected(); }

  std::unique_ptr<ServerProcess> server_;
  std::string run_id_;
};

class SignalDrainTest : public GracefulShutdownTest, public ::testing::WithParamInterface<int> {};

TEST_P(SignalDrainTest, RequestInProgressFinishesNewConnectionsAreRefusedAndTheProcessExitsZero) {
  start({"--shutdown-timeout", "20"});
  SlowLogBatch slow(server_->port(), run_id_, "slow");

  const auto signalled = Clock::now();
  server_->signal(GetParam());
  ASSERT_TRUE(log_says("stopped accepting connections; waiting up to 20 s")) << server_->log();
  EXPECT_TRUE(refuses_new_connections());
  EXPECT_TRUE(server_->running()) << "the drain waits for the request in progress";

  slow.finish();
  const std::string answer = slow.answer(seconds(10));
  EXPECT_EQ(testing::raw_http_status(answer), 200) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
  EXPECT_TRUE(slow.closed());

  EXPECT_EQ(exit_code_within(seconds(10)), 0) << server_->log();
  EXPECT_LT(Clock::now() - signalled, seconds(15));
  EXPECT_EQ(server_->log().find("cut "), std::string::npos) << server_->log();
  EXPECT_EQ(metric_rows("slow"), 1);
  // The WAL was checkpointed into the database file on the way out.
  const fs::path wal = server_->db_path().string() + "-wal";
  EXPECT_TRUE(!fs::exists(wal) || fs::file_size(wal) == 0);
}

INSTANTIATE_TEST_SUITE_P(SigtermAndSigint, SignalDrainTest, ::testing::Values(SIGTERM, SIGINT),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(info.param == SIGTERM ? "Sigterm" : "Sigint");
                         });

TEST_F(GracefulShutdownTest, HealthAnswers503DuringTheDelayWritesStillCommitAndASecondSignalStopsAtOnce) {
  start({"--shutdown-delay", "60"});
  server_->signal(SIGTERM);
  ASSERT_TRUE(log_says("/health answers 503")) << server_->log();

  // A fresh connection each time: answers given while draining close theirs.
  HttpResponse health;
  ASSERT_TRUE(wait_until(
      [&] {
        health = server_->client().get("/health");
        return health.status == 503;
      },
      seconds(10)))
      << health.describe();
  EXPECT_EQ(health.body, "Shutting down");
  const HttpResponse logged = server_->client().post(
      "/api/2.0/mlflow/runs/log-metric",
      {{"run_id", run_id_}, {"key", "during-delay"}, {"value", 2.0}, {"timestamp", 1700000000000}, {"step", 0}});
  EXPECT_EQ(logged.status, 200) << logged.describe();

  const auto second = Clock::now();
  server_->signal(SIGINT);
  EXPECT_EQ(exit_code_within(seconds(10)), 0) << server_->log();
  EXPECT_LT(Clock::now() - second, seconds(5)) << "the second signal ends the delay";
  EXPECT_NE(server_->log().find("second SIGINT"), std::string::npos) << server_->log();
  EXPECT_EQ(metric_rows("during-delay"), 1);
}

TEST_F(GracefulShutdownTest, TheTimeoutCutsARequestThatOutlivesItAndTheProcessStillExitsPromptly) {
  start({"--shutdown-timeout", "1"});
  SlowLogBatch never_finished(server_->port(), run_id_, "never");
  const HttpResponse acknowledged = server_->client().post(
      "/api/2.0/mlflow/runs/log-metric",
      {{"run_id", run_id_}, {"key", "acknowledged"}, {"value", 3.0}, {"timestamp", 1700000000000}, {"step", 0}});
  ASSERT_EQ(acknowledged.status, 200) << acknowledged.describe();

  const auto signalled = Clock::now();
  server_->signal(SIGTERM);
  EXPECT_EQ(exit_code_within(seconds(10)), 0) << server_->log();
  EXPECT_LT(Clock::now() - signalled, seconds(5));
  EXPECT_NE(server_->log().find("1 s shutdown timeout passed: cut 1 request in progress"), std::string::npos)
      << server_->log();
  never_finished.answer(seconds(5));
  EXPECT_TRUE(never_finished.closed());
  EXPECT_EQ(metric_rows("acknowledged"), 1);
  EXPECT_EQ(metric_rows("never"), 0);
}

TEST_F(GracefulShutdownTest, ASecondSignalCutsTheRequestsTheDrainWaitsFor) {
  start({});  // the default timeout, 30 s: only the second signal ends the drain early
  SlowLogBatch slow(server_->port(), run_id_, "cut");
  server_->signal(SIGTERM);
  ASSERT_TRUE(log_says("waiting up to 30 s")) << server_->log();

  const auto second = Clock::now();
  server_->signal(SIGTERM);
  EXPECT_EQ(exit_code_within(seconds(10)), 0) << server_->log();
  EXPECT_LT(Clock::now() - second, seconds(5));
  EXPECT_NE(server_->log().find("second SIGTERM: cut 1 request in progress"), std::string::npos) << server_->log();
  EXPECT_EQ(metric_rows("cut"), 0);
}

TEST_F(GracefulShutdownTest, IdleKeepAliveConnectionsCloseAtOnce) {
  start({"--keep-alive-timeout", "60"});
  RawConnection idle(server_->port());
  ASSERT_TRUE(idle.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"));
  std::string received;
  ASSERT_TRUE(
      wait_until([&] { return (received += idle.read_until_closed(milliseconds(50))).find("OK") != std::string::npos; },
                 seconds(10)));

  const auto signalled = Clock::now();
  server_->signal(SIGTERM);
  idle.read_until_closed(seconds(5));
  EXPECT_TRUE(idle.closed());
  EXPECT_EQ(exit_code_within(seconds(10)), 0) << server_->log();
  EXPECT_LT(Clock::now() - signalled, seconds(5));
}

TEST(ShutdownFlags, BadValuesAreRefusedAsUsageErrors) {
  for (const std::vector<std::string>& flags : {std::vector<std::string>{"--shutdown-timeout", "-1"},
                                                {"--shutdown-timeout", "soon"},
                                                {"--shutdown-delay", "99999"}}) {
    std::vector<std::string> args = {"server", "--port", "0"};
    args.insert(args.end(), flags.begin(), flags.end());
    const testing::CommandResult result = testing::run_command(testing::server_binary(), args);
    EXPECT_EQ(result.exit_code, 2) << result.output;
    EXPECT_NE(result.output.find(flags.front()), std::string::npos) << result.output;
  }
  const testing::CommandResult environment = testing::run_command(testing::server_binary(), {"server", "--port", "0"},
                                                                  {{"MLFLOWCPP_SHUTDOWN_TIMEOUT", "later"}});
  EXPECT_EQ(environment.exit_code, 2) << environment.output;
}

}  // namespace
}  // namespace mlflowcpp::integration
