// Several `mlflowcpp server` processes on one SQLite file, written through all
// of them at once: SQLite's file locks order the processes, each waits its
// turn (never a 500 or "database is locked"), and every write arrives once.

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "integration/tracking_api.hpp"

namespace mlflowcpp::integration {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kServers = 3;
constexpr int kClientsPerServer = 2;
constexpr int kClients = kServers * kClientsPerServer;
constexpr int kMaxRounds = 60;
constexpr int kBatchPoints = 20;
constexpr auto kWritePhase = std::chrono::seconds(20);

// A 503 is the answer a client retries (the SDK does so by itself); anything
// else that is not 200 is a failure.
HttpResponse post_retrying_unavailable(HttpClient& http, const std::string& path, const Json& body, int& retries) {
  constexpr int kAttempts = 5;
  HttpResponse response;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    response = http.post(path, body);
    if (response.status != 503) break;
    ++retries;
  }
  return response;
}

// What one client did; counters count acknowledged writes.
struct ClientLog {
  std::string own_run;
  int rounds = 0;
  int created_runs = 0;
  std::vector<std::string> created_experiments;
  int metric_points = 0;  // "m": log-metric, step = round
  int batch_points = 0;   // "bm": log-batch, kBatchPoints a round
  std::vector<int64_t> shared_steps;
  int retries = 0;
  std::vector<std::string> failures;
};

void check(ClientLog& log, const std::string& what, const HttpResponse& response) {
  if (response.status != 200) log.failures.push_back(what + ": " + response.describe());
}

void write_through(int port, int client, const std::string& experiment_id, const std::string& shared_run,
                   Clock::time_point deadline, ClientLog& log) {
  HttpClient http(port, std::chrono::seconds(60));
  for (int round = 0; round < kMaxRounds && Clock::now() < deadline; ++round) {
    const std::string n = std::to_string(round);
    auto created =
        post_retrying_unavailable(http, kApi + "/runs/create", {{"experiment_id", experiment_id}}, log.retries);
    check(log, "runs/create", created);
    if (created.status == 200) ++log.created_runs;

    auto metric = post_retrying_unavailable(
        http, kApi + "/runs/log-metric",
        {{"run_id", log.own_run}, {"key", "m"}, {"value", round}, {"timestamp", 1000 + round}, {"step", round}},
        log.retries);
    check(log, "log-metric", metric);
    if (metric.status == 200) ++log.metric_points;

    Json points = Json::array();
    for (int i = 0; i < kBatchPoints; ++i) {
      points.push_back({{"key", "bm"}, {"value", i}, {"timestamp", 1000 + round}, {"step", round * kBatchPoints + i}});
    }
    auto batch = post_retrying_unavailable(http, kApi + "/runs/log-batch",
                                           {{"run_id", log.own_run}, {"metrics", points}}, log.retries);
    check(log, "log-batch", batch);
    if (batch.status == 200) log.batch_points += kBatchPoints;

    // Every client logs the same key of the same run, through its own server.
    const int64_t shared_step = int64_t{round} * kClients + client;
    auto shared = post_retrying_unavailable(
        http, kApi + "/runs/log-metric",
        {{"run_id", shared_run}, {"key", "shared"}, {"value", shared_step}, {"timestamp", 1}, {"step", shared_step}},
        log.retries);
    check(log, "shared log-metric", shared);
    if (shared.status == 200) log.shared_steps.push_back(shared_step);

    if (round % 10 == 0) {
      const std::string name = "client-" + std::to_string(client) + "-" + n;
      auto experiment = post_retrying_unavailable(http, kApi + "/experiments/create", {{"name", name}}, log.retries);
      check(log, "experiments/create", experiment);
      if (experiment.status == 200) log.created_experiments.push_back(name);
    }
    log.rounds = round + 1;
  }
}

testing::ServerOptions on_shared_file(const std::filesystem::path& database) {
  testing::ServerOptions options;
  options.backend_store_uri = "sqlite:///" + database.string();
  return options;
}

std::uintmax_t file_size_or_zero(const std::filesystem::path& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : size;
}

TEST(SqliteMultiprocessTest, SeveralServersWriteOneFileAtOnce) {
  testing::TempDir shared_dir;
  const std::filesystem::path database = shared_dir.path() / "shared.db";
  std::vector<std::unique_ptr<testing::ServerProcess>> servers;
  for (int s = 0; s < kServers; ++s)
    servers.push_back(std::make_unique<testing::ServerProcess>(on_shared_file(database)));

  HttpClient setup(servers[0]->port());
  TrackingApi api(setup);
  const std::string experiment_id = api.create_experiment("multiprocess");
  const std::string shared_run = api.create_run(experiment_id);
  std::vector<ClientLog> logs(kClients);
  for (auto& log : logs) log.own_run = api.create_run(experiment_id);

  // One name created through every server at once: one success, the rest
  // RESOURCE_ALREADY_EXISTS.
  {
    std::atomic<int> created{0};
    std::atomic<int> refused{0};
    std::vector<std::string> unexpected(kClients);
    std::vector<std::thread> racers;
    for (int c = 0; c < kClients; ++c) {
      racers.emplace_back([&, c] {
        HttpClient http(servers[c % kServers]->port(), std::chrono::seconds(60));
        int retries = 0;
        auto response = post_retrying_unavailable(http, kApi + "/experiments/create", {{"name", "same name"}}, retries);
        if (response.status == 200) {
          ++created;
        } else if (response.status == 400 && response.error_code() == "RESOURCE_ALREADY_EXISTS") {
          ++refused;
        } else {
          unexpected[c] = response.describe();
        }
      });
    }
    for (auto& racer : racers) racer.join();
    for (const auto& answer : unexpected) EXPECT_EQ(answer, "");
    EXPECT_EQ(created.load(), 1);
    EXPECT_EQ(refused.load(), kClients - 1);
  }

  // Meanwhile another process checkpoints the file the hard way (RESTART
  // waits for the writers and readers of the WAL), and the WAL's size is watched.
  std::atomic<bool> writing{true};
  std::atomic<std::uintmax_t> largest_wal{0};
  std::atomic<int> checkpoints{0};
  std::thread checkpointer([&] {
    SQLite::Database connection(database.string(), SQLite::OPEN_READWRITE, /*busy_timeout_ms=*/1000);
    while (writing.load()) {
      try {
        connection.exec("PRAGMA wal_checkpoint(RESTART)");
        ++checkpoints;
      } catch (const std::exception&) {
        // Busy past its own timeout: the servers' work comes first.
      }
      largest_wal = std::max(largest_wal.load(), file_size_or_zero(database.string() + "-wal"));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });

  const auto deadline = Clock::now() + kWritePhase;
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back(
        [&, c] { write_through(servers[c % kServers]->port(), c, experiment_id, shared_run, deadline, logs[c]); });
  }
  for (auto& client : clients) client.join();
  writing = false;
  checkpointer.join();

  int total_retries = 0;
  int total_created_runs = 0;
  std::vector<int64_t> all_shared_steps;
  for (const auto& log : logs) {
    for (const auto& failure : log.failures) ADD_FAILURE() << failure;
    EXPECT_GT(log.rounds, 0);
    total_retries += log.retries;
    total_created_runs += log.created_runs;
    all_shared_steps.insert(all_shared_steps.end(), log.shared_steps.begin(), log.shared_steps.end());
  }
  std::cout << "[ multiprocess ] " << checkpoints.load() << " RESTART checkpoints, largest WAL "
            << largest_wal.load() / 1024 << " KiB, " << total_retries << " retried 503s" << std::endl;
  EXPECT_GT(checkpoints.load(), 0);
  // The servers checkpoint at 1000 pages (4 MiB); the WAL is restarted rather than grown without end.
  EXPECT_LT(largest_wal.load(), std::uintmax_t{32} << 20);

  // Read back through a server other than the one that wrote: every point once.
  HttpClient reader(servers[kServers - 1]->port(), std::chrono::seconds(60));
  TrackingApi read_api(reader);
  for (int c = 0; c < kClients; ++c) {
    EXPECT_EQ(read_api.history(logs[c].own_run, "m").size(), size_t(logs[c].metric_points)) << "client " << c;
    EXPECT_EQ(read_api.history(logs[c].own_run, "bm").size(), size_t(logs[c].batch_points)) << "client " << c;
    for (const auto& name : logs[c].created_experiments) {
      EXPECT_EQ(reader.get(kApi + "/experiments/get-by-name?experiment_name=" + testing::url_encode(name)).status, 200)
          << name;
    }
  }
  const Json shared = read_api.history(shared_run, "shared");
  EXPECT_EQ(shared.size(), all_shared_steps.size());
  const int64_t greatest = *std::max_element(all_shared_steps.begin(), all_shared_steps.end());
  const Json latest = find_metric(read_api.get_run(shared_run)["data"], "shared");
  ASSERT_FALSE(latest.is_null());
  EXPECT_EQ(latest.value("step", int64_t{-1}), greatest);

  auto runs = reader.post(kApi + "/runs/search", {{"experiment_ids", {experiment_id}}, {"max_results", 1000}});
  ASSERT_TRUE(IsOk(runs));
  EXPECT_EQ(runs.json.value("runs", Json::array()).size(), size_t(total_created_runs + 1 + kClients));

  for (auto& server : servers) EXPECT_EQ(server->stop(), 0) << server->log();
}

// Servers started together on a file that does not exist yet: one creates the
// schema, the others wait for it and use it.
TEST(SqliteMultiprocessTest, SeveralServersStartOnANewFileAtOnce) {
  constexpr int kStarting = 4;
  testing::TempDir shared_dir;
  const std::filesystem::path database = shared_dir.path() / "new.db";

  // A server's child is tied to the thread that started it, so each starter
  // thread keeps its server until the test is done with it.
  std::mutex mutex;
  std::condition_variable changed;
  int started = 0;
  bool done = false;
  std::vector<int> ports(kStarting, 0);
  std::vector<std::string> errors(kStarting);
  std::vector<std::thread> starters;
  for (int s = 0; s < kStarting; ++s) {
    starters.emplace_back([&, s] {
      std::unique_ptr<testing::ServerProcess> server;
      try {
        server = std::make_unique<testing::ServerProcess>(on_shared_file(database));
      } catch (const std::exception& error) {
        errors[s] = error.what();
      }
      std::unique_lock<std::mutex> lock(mutex);
      if (server) ports[s] = server->port();
      ++started;
      changed.notify_all();
      changed.wait(lock, [&] { return done; });
    });
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [&] { return started == kStarting; });
  }
  for (const auto& error : errors) EXPECT_EQ(error, "");

  for (int s = 0; s < kStarting; ++s) {
    if (ports[s] == 0) continue;
    HttpClient http(ports[s]);
    auto run = http.post(kApi + "/runs/create", {{"experiment_id", "0"}});
    EXPECT_TRUE(IsOk(run)) << "server " << s;
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
  }
  changed.notify_all();
  for (auto& starter : starters) starter.join();

  SQLite::Database check(database.string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(check.execAndGet("SELECT COUNT(*) FROM alembic_version").getInt(), 1);
  EXPECT_EQ(check.execAndGet("SELECT COUNT(*) FROM experiments").getInt(), 1);
  EXPECT_EQ(check.execAndGet("SELECT COUNT(*) FROM runs").getInt(), kStarting);
}

}  // namespace
}  // namespace mlflowcpp::integration
