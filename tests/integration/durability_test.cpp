// Crash safety: writers ingest metrics and batches while the server is killed
// with SIGKILL (or stopped with SIGTERM) at a random moment. After a restart on the same database every
// acknowledged write is there and every batch is all-or-nothing.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "integration/tracking_api.hpp"

namespace mlflowcpp::integration {
namespace {

constexpr int kWriters = 8;
constexpr int kMetricsPerBatch = 10;

// What one writer sent and which of its writes were acknowledged with a 200.
struct WriterLog {
  std::string run_id;
  std::vector<int> acked_single_steps;  // log-metric "single" at step s, value s
  int batches_sent = 0;                 // batch n: metrics "batch" steps n*10.., param p<n>, tag t<n>
  std::vector<int> acked_batches;
  std::string unexpected;  // a non-200 answer that is not a crash symptom
};

Json batch_body(const std::string& run_id, int batch) {
  Json metrics = Json::array();
  for (int i = 0; i < kMetricsPerBatch; ++i) {
    int step = batch * kMetricsPerBatch + i;
    metrics.push_back({{"key", "batch"}, {"value", step}, {"timestamp", 1000 + step}, {"step", step}});
  }
  return {{"run_id", run_id},
          {"metrics", metrics},
          {"params", {{{"key", "p" + std::to_string(batch)}, {"value", std::to_string(batch)}}}},
          {"tags", {{{"key", "t" + std::to_string(batch)}, {"value", std::to_string(batch)}}}}};
}

// Writes until the server stops answering (or a safety deadline passes).
void write_until_killed(int port, WriterLog& log, std::atomic<int>& acknowledged) {
  HttpClient http(port, std::chrono::seconds(10));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (int round = 0; std::chrono::steady_clock::now() < deadline; ++round) {
    HttpResponse response;
    if (round % 2 == 0) {
      response = http.post(kApi + "/runs/log-metric",
                           {{"run_id", log.run_id}, {"key", "single"}, {"value", round}, {"timestamp", round}, {"step", round}});
      if (response.status == 200) log.acked_single_steps.push_back(round);
    } else {
      const int batch = log.batches_sent++;
      response = http.post(kApi + "/runs/log-batch", batch_body(log.run_id, batch));
      if (response.status == 200) log.acked_batches.push_back(batch);
    }
    if (response.status == 200) {
      acknowledged++;
      continue;
    }
    if (response.status != 0) log.unexpected = response.describe();
    return;  // connection refused/reset: the server is gone
  }
}

// How the server goes down in the middle of the writes.
enum class Shutdown { kKillNine, kSigterm };

void check_writes_survive(Shutdown shutdown) {
  testing::ServerProcess server;
  std::vector<WriterLog> logs(kWriters);
  {
    HttpClient http = server.client();
    TrackingApi api(http);
    const std::string experiment = api.create_experiment("durability");
    for (auto& log : logs) log.run_id = api.create_run(experiment, {{"start_time", 1}});
  }

  std::random_device seed_source;
  const unsigned seed = seed_source();
  std::mt19937 random(seed);
  const int kill_after = std::uniform_int_distribution<int>(50, 400)(random);
  SCOPED_TRACE("seed " + std::to_string(seed) + ", kill after " + std::to_string(kill_after) + " acknowledged writes");

  std::atomic<int> acknowledged{0};
  std::vector<std::thread> writers;
  for (auto& log : logs) {
    writers.emplace_back(write_until_killed, server.port(), std::ref(log), std::ref(acknowledged));
  }
  const bool reached = testing::wait_until([&] { return acknowledged.load() >= kill_after; }, std::chrono::seconds(60),
                                           std::chrono::milliseconds(1));
  if (shutdown == Shutdown::kKillNine) {
    server.kill9();
  } else {
    server.stop();
  }
  for (auto& writer : writers) writer.join();
  ASSERT_TRUE(reached) << "only " << acknowledged.load() << " writes acknowledged; log:\n" << server.log();

  server.restart();
  HttpClient http = server.client();
  TrackingApi api(http);
  for (int writer = 0; writer < kWriters; ++writer) {
    const WriterLog& log = logs[writer];
    SCOPED_TRACE("writer " + std::to_string(writer) + " run " + log.run_id);
    // While stopping gracefully the server may turn requests away with a 503.
    const bool refused_while_stopping = shutdown == Shutdown::kSigterm && log.unexpected.rfind("status 503", 0) == 0;
    if (!refused_while_stopping) {
      EXPECT_EQ(log.unexpected, "") << "a write failed without a crash";
    }

    std::set<int64_t> single_steps;
    for (const auto& point : api.history(log.run_id, "single")) single_steps.insert(point["step"].get<int64_t>());
    for (int step : log.acked_single_steps) EXPECT_EQ(single_steps.count(step), 1u) << "acknowledged point " << step << " lost";

    std::map<int, int> batch_points;  // batch -> metric points present
    for (const auto& point : api.history(log.run_id, "batch")) {
      batch_points[static_cast<int>(point["step"].get<int64_t>() / kMetricsPerBatch)]++;
    }
    Json data = api.get_run(log.run_id)["data"];
    auto params = key_values(data, "params");
    auto tags = key_values(data, "tags");
    for (int batch = 0; batch < log.batches_sent; ++batch) {
      const std::string n = std::to_string(batch);
      const int points = batch_points.count(batch) ? batch_points[batch] : 0;
      const bool has_param = params.count("p" + n) == 1, has_tag = tags.count("t" + n) == 1;
      const bool all = points == kMetricsPerBatch && has_param && has_tag;
      const bool none = points == 0 && !has_param && !has_tag;
      EXPECT_TRUE(all || none) << "batch " << batch << " is partial: " << points << " points, param " << has_param
                               << ", tag " << has_tag;
      const bool acked = std::find(log.acked_batches.begin(), log.acked_batches.end(), batch) != log.acked_batches.end();
      if (acked) {
        EXPECT_TRUE(all) << "acknowledged batch " << batch << " lost";
      }
    }
  }
  EXPECT_GE(acknowledged.load(), kill_after);
  int batches = 0, singles = 0;
  for (const auto& log : logs) {
    batches += static_cast<int>(log.acked_batches.size());
    singles += static_cast<int>(log.acked_single_steps.size());
  }
  std::cout << (shutdown == Shutdown::kKillNine ? "SIGKILL" : "SIGTERM") << " after " << acknowledged.load() << " acknowledged writes (" << singles << " metrics, " << batches
            << " batches); seed " << seed << "\n";
}

TEST(DurabilityTest, AcknowledgedWritesSurviveKillNine) { check_writes_survive(Shutdown::kKillNine); }

// A graceful stop may refuse in-flight requests but must not lose acknowledged ones.
TEST(DurabilityTest, AcknowledgedWritesSurviveSigterm) { check_writes_survive(Shutdown::kSigterm); }

}  // namespace
}  // namespace mlflowcpp::integration
