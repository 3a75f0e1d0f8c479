// Memory a server gives back once it goes quiet: after a large history answer and a burst of writes, an idle
// server's resident size returns to near a fresh one's. What it may keep: the pages of code the loads touched, the
// stacks the serving threads used, a little heap. What it must not keep: the SQLite page caches the writes and the
// long read filled, or the freed heap of the answers.

#include <gtest/gtest.h>

#include <string>

#include "integration/tracking_api.hpp"
#include "testing/process_memory.hpp"

namespace mlflowcpp::integration {
namespace {

using namespace std::chrono_literals;
using testing::resident_kib;

Json metric_batch(const std::string& key, int first_step, int count) {
  Json metrics = Json::array();
  for (int step = first_step; step < first_step + count; ++step) {
    metrics.push_back({{"key", key}, {"value", step * 0.5}, {"timestamp", 1000 + step}, {"step", step}});
  }
  return metrics;
}

TEST(IdleMemory, IdleServerGivesBackWhatALongHistoryAndABurstOfWritesTook) {
  testing::ServerProcess server;
  const long fresh_kib = resident_kib(server.pid());
  ASSERT_GT(fresh_kib, 0);

  HttpClient http = server.client();
  TrackingApi api(http);
  const std::string experiment = api.create_experiment("idle-memory");
  const std::string history_run = api.create_run(experiment);
  constexpr int kBatch = 1000;
  constexpr int kHistoryPoints = 100'000;
  for (int first = 0; first < kHistoryPoints; first += kBatch) {
    ASSERT_TRUE(IsOk(http.post(kApi + "/runs/log-batch",
                               {{"run_id", history_run}, {"metrics", metric_batch("loss", first, kBatch)}})));
  }
  // The long answer: several MB of JSON, and every page of the metric's rows through a read connection.
  const auto history = http.get(kApi + "/metrics/get-history?run_id=" + history_run + "&metric_key=loss");
  ASSERT_TRUE(IsOk(history));
  ASSERT_EQ(history.json["metrics"].size(), static_cast<std::size_t>(kHistoryPoints));
  // A burst of writes afterwards, so the write connection ends the loads with a full page cache.
  const std::string other_run = api.create_run(experiment);
  for (int first = 0; first < 20 * kBatch; first += kBatch) {
    ASSERT_TRUE(IsOk(
        http.post(kApi + "/runs/log-batch", {{"run_id", other_run}, {"metrics", metric_batch("acc", first, kBatch)}})));
  }
  const long loaded_kib = resident_kib(server.pid());

  // The server gives memory back after a quiet second; a loaded machine may delay that a little.
  constexpr long kAllowanceKib = 4 * 1024;
  long idle_kib = loaded_kib;
  const bool settled = testing::wait_until(
      [&] {
        idle_kib = resident_kib(server.pid());
        return idle_kib > 0 && idle_kib <= fresh_kib + kAllowanceKib;
      },
      20s, 100ms);
  EXPECT_TRUE(settled) << "resident KiB: fresh " << fresh_kib << ", right after the loads " << loaded_kib << ", idle "
                       << idle_kib << " (allowed: fresh + " << kAllowanceKib << ")";
}

}  // namespace
}  // namespace mlflowcpp::integration
