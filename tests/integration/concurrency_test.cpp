// Many clients writing at once: no 5xx, no "database is locked", and every
// count adds up afterwards.

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "integration/tracking_api.hpp"

namespace mlflowcpp::integration {
namespace {

constexpr int kClients = 16;
constexpr auto kWritePhase = std::chrono::seconds(4);
constexpr int kMaxRounds = 200;

// What one client did; every counter counts acknowledged (200) writes.
struct ClientLog {
  std::string own_run;                 // created by this client before the phase
  std::vector<std::string> created_runs;
  int rounds = 0;
  int own_metric_points = 0;           // "m" at steps 0..rounds-1 (value = step)
  int batch_metric_points = 0;         // "bm"
  int params = 0;                      // p<round> via log-parameter, bp<round> via batch
  int tags = 0;                        // t<round> via set-tag
  std::vector<int> shared_steps;       // "shared" on the shared run
  std::vector<std::string> failures;   // every non-200
};

void record(ClientLog& log, const std::string& what, const HttpResponse& response, int& counter) {
  if (response.status == 200) {
    counter++;
  } else {
    log.failures.push_back(what + ": " + response.describe());
  }
}

void write_concurrently(int port, int client, const std::string& experiment_id, const std::string& shared_run,
                        std::chrono::steady_clock::time_point deadline, ClientLog& log) {
  HttpClient http(port, std::chrono::seconds(30));
  int ignored = 0;
  for (int round = 0; round < kMaxRounds && std::chrono::steady_clock::now() < deadline; ++round) {
    const std::string n = std::to_string(round);
    auto created = http.post(kApi + "/runs/create", {{"experiment_id", experiment_id}, {"start_time", round}});
    record(log, "runs/create", created, ignored);
    if (created.status == 200) log.created_runs.push_back(created.json["run"]["info"]["run_id"]);

    record(log, "log-metric", http.post(kApi + "/runs/log-metric", {{"run_id", log.own_run}, {"key", "m"},
                                                                     {"value", round}, {"timestamp", 1000 + round},
                                                                     {"step", round}}),
           log.own_metric_points);
    auto batch = http.post(kApi + "/runs/log-batch",
                           {{"run_id", log.own_run},
                            {"metrics", {{{"key", "bm"}, {"value", round}, {"timestamp", 1}, {"step", round}},
                                         {{"key", "bm"}, {"value", round + 0.5}, {"timestamp", 2}, {"step", round}}}},
                            {"params", {{{"key", "bp" + n}, {"value", n}}}}});
    int batch_ok = 0;
    record(log, "log-batch", batch, batch_ok);
    if (batch_ok) {
      log.batch_metric_points += 2;
      log.params++;
    }
    record(log, "set-tag", http.post(kApi + "/runs/set-tag", {{"run_id", log.own_run}, {"key", "t" + n}, {"value", n}}),
           log.tags);
    record(log, "log-parameter",
           http.post(kApi + "/runs/log-parameter", {{"run_id", log.own_run}, {"key", "p" + n}, {"value", n}}), log.params);

    const int shared_step = client * kMaxRounds + round;
    auto shared = http.post(kApi + "/runs/log-metric", {{"run_id", shared_run}, {"key", "shared"},
                                                        {"value", shared_step}, {"timestamp", 1}, {"step", shared_step}});
    record(log, "shared log-metric", shared, ignored);
    if (shared.status == 200) log.shared_steps.push_back(shared_step);
    log.rounds = round + 1;
  }
}

TEST(ConcurrencyTest, SixteenWritersAddUp) {
  testing::ServerProcess server;
  HttpClient http = server.client();
  TrackingApi api(http);
  const std::string experiment = api.create_experiment("concurrency");
  const std::string shared_run = api.create_run(experiment, {{"start_time", 1}});
  std::vector<ClientLog> logs(kClients);
  for (auto& log : logs) log.own_run = api.create_run(experiment, {{"start_time", 1}});

  const auto deadline = std::chrono::steady_clock::now() + kWritePhase;
  std::vector<std::thread> clients;
  for (int client = 0; client < kClients; ++client) {
    clients.emplace_back(write_concurrently, server.port(), client, experiment, shared_run, deadline,
                         std::ref(logs[client]));
  }
  for (auto& client : clients) client.join();

  size_t expected_runs = 1 + kClients;
  int max_shared_step = -1;
  size_t shared_points = 0;
  for (int client = 0; client < kClients; ++client) {
    const ClientLog& log = logs[client];
    SCOPED_TRACE("client " + std::to_string(client));
    EXPECT_GE(log.rounds, 1);
    for (const auto& failure : log.failures) {
      ADD_FAILURE() << failure;
      EXPECT_EQ(failure.find("locked"), std::string::npos) << "SQLite lock leaked to a client";
    }
    expected_runs += log.created_runs.size();
    shared_points += log.shared_steps.size();
    for (int step : log.shared_steps) max_shared_step = std::max(max_shared_step, step);

    Json run = api.get_run(log.own_run);
    Json data = run.value("data", Json::object());
    auto params = key_values(data, "params");
    auto tags = key_values(data, "tags");
    EXPECT_EQ(static_cast<int>(params.size()), log.params);
    EXPECT_EQ(static_cast<int>(tags.size()) - 1, log.tags) << "tags besides mlflow.runName";
    EXPECT_EQ(static_cast<int>(api.history(log.own_run, "m").size()), log.own_metric_points);
    EXPECT_EQ(static_cast<int>(api.history(log.own_run, "bm").size()), log.batch_metric_points);
    // The latest value is the one at the highest step.
    if (log.own_metric_points == log.rounds && log.rounds > 0) {
      EXPECT_EQ(find_metric(data, "m").value("value", -1.0), log.rounds - 1.0) << data.dump();
      EXPECT_EQ(find_metric(data, "bm").value("value", -1.0), log.rounds - 1 + 0.5) << data.dump();
    }
  }
  EXPECT_EQ(api.history(shared_run, "shared").size(), shared_points);
  if (max_shared_step >= 0) {
    EXPECT_EQ(find_metric(api.get_run(shared_run)["data"], "shared").value("step", int64_t{-1}), max_shared_step);
  }
  auto search = http.post(kApi + "/runs/search", {{"experiment_ids", {experiment}}, {"max_results", 50000}});
  ASSERT_TRUE(IsOk(search));
  EXPECT_EQ(search.json.value("runs", Json::array()).size(), expected_runs);
  EXPECT_EQ(server.log().find("locked"), std::string::npos) << server.log();
  int rounds = 0;
  for (const auto& log : logs) rounds += log.rounds;
  std::cout << kClients << " clients did " << rounds << " rounds of 6 writes; " << expected_runs << " runs\n";
}

}  // namespace
}  // namespace mlflowcpp::integration
