// Races between writers of one database, on every backend of store_backends()
// (a contract suite): what several servers on one PostgreSQL database (or many
// threads of one server) must get right.

#include "server/store/sql_registry_store.hpp"
#include "store_backends.hpp"
#include "store_test_support.hpp"

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace mlflowcpp::server::store::testing {
namespace {

constexpr int kThreads = 8;

// Runs `call(thread_index)` on kThreads threads at once; the error codes of
// what they threw ("" for success), by thread.
std::vector<std::string> race(const std::function<void(int)>& call) {
  std::vector<std::string> codes(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      try {
        call(t);
      } catch (const MlflowException& error) {
        codes[t] = error.error_code();
        if (codes[t] == "INTERNAL_ERROR") codes[t] += std::string(": ") + error.what();
      } catch (const std::exception& error) {
        codes[t] = std::string("exception: ") + error.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  return codes;
}

int count(const std::vector<std::string>& codes, const std::string& code) {
  int n = 0;
  for (const auto& each : codes) n += each == code ? 1 : 0;
  return n;
}

class SqlStoreRaceTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    test_database_ = GetParam().create();
    database_ = test_database_->open();
    store_ = std::make_unique<SqlTrackingStore>(database_, store_options());
  }

  std::string new_run() {
    CreateRunRequest request;
    request.experiment_id = "0";
    return store_->create_run(request).info.run_id;
  }

  std::unique_ptr<TestDatabase> test_database_;
  std::shared_ptr<sql::Database> database_;
  std::unique_ptr<SqlTrackingStore> store_;
};

TEST_P(SqlStoreRaceTest, OneOfManyCreatesOfAnExperimentNameWins) {
  const auto codes = race([&](int) { store_->create_experiment("contested", "", {}); });
  EXPECT_EQ(count(codes, ""), 1);
  EXPECT_EQ(count(codes, "RESOURCE_ALREADY_EXISTS"), kThreads - 1);
  EXPECT_EQ(query_int64(*database_, "SELECT COUNT(*) FROM experiments WHERE name = 'contested'"), 1);
}

TEST_P(SqlStoreRaceTest, OneOfManyCreatesOfARegisteredModelWins) {
  SqlRegistryStore registry(database_);
  const auto codes = race([&](int) { registry.create_registered_model("contested", {}, ""); });
  EXPECT_EQ(count(codes, ""), 1);
  EXPECT_EQ(count(codes, "RESOURCE_ALREADY_EXISTS"), kThreads - 1);
}

TEST_P(SqlStoreRaceTest, LatestMetricIsTheGreatestPointWhateverTheCommitOrder) {
  const std::string run_id = new_run();
  constexpr int kRounds = 20;
  const auto codes = race([&](int t) {
    for (int i = 0; i < kRounds; ++i) {
      const int64_t step = i * kThreads + t;
      store_->log_batch(run_id, {{"loss", double(step), 1000 + step, step}, {"acc", double(-step), 5, 0}}, {}, {});
    }
  });
  EXPECT_EQ(count(codes, ""), kThreads) << codes[0];
  const mlflowcpp::Run run = store_->get_run(run_id);
  ASSERT_EQ(run.data.metrics.size(), 2u);
  for (const Metric& metric : run.data.metrics) {
    if (metric.key == "loss") {
      EXPECT_EQ(metric.step, kRounds * kThreads - 1);
      EXPECT_EQ(metric.value, double(kRounds * kThreads - 1));
    } else {
      EXPECT_EQ(metric.step, 0);
      EXPECT_EQ(metric.value, 0.0);  // the greatest value at the same step and time
    }
  }
  EXPECT_EQ(store_->get_metric_history(run_id, "loss").size(), size_t(kRounds * kThreads));
  // Identical points from several writers are one point, and no error.
  EXPECT_EQ(store_->get_metric_history(run_id, "acc").size(), size_t(kRounds * kThreads));
}

TEST_P(SqlStoreRaceTest, TheSameParamsFromManyWritersAreNoError) {
  const std::string run_id = new_run();
  // Keys in opposite orders: batches must not deadlock each other.
  const auto codes = race([&](int t) {
    std::vector<Param> params = {{"a", "1"}, {"b", "2"}, {"c", "3"}};
    if (t % 2 == 1) std::reverse(params.begin(), params.end());
    store_->log_batch(run_id, {}, params, {{"z", "v"}, {"y", "v"}});
  });
  EXPECT_EQ(count(codes, ""), kThreads) << codes[0];
  EXPECT_EQ(store_->get_run(run_id).data.params.size(), 3u);
}

TEST_P(SqlStoreRaceTest, DifferentValuesOfOneParamLeaveExactlyOne) {
  const std::string run_id = new_run();
  const auto codes = race([&](int t) { store_->log_batch(run_id, {}, {{"p", std::to_string(t)}}, {}); });
  EXPECT_EQ(count(codes, ""), 1);
  EXPECT_EQ(count(codes, "INVALID_PARAMETER_VALUE"), kThreads - 1);
  EXPECT_EQ(store_->get_run(run_id).data.params.size(), 1u);
}

TEST_P(SqlStoreRaceTest, ConcurrentDatasetInputsAreLoggedOnce) {
  const std::string run_id = new_run();
  DatasetInput input;
  input.dataset.name = "d";
  input.dataset.digest = "x";
  input.dataset.source_type = "local";
  input.dataset.source = "{}";
  const auto codes = race([&](int) { store_->log_inputs(run_id, {input}, {}); });
  EXPECT_EQ(count(codes, ""), kThreads) << codes[0];
  EXPECT_EQ(query_int64(*database_, "SELECT COUNT(*) FROM datasets"), 1);
  EXPECT_EQ(query_int64(*database_, "SELECT COUNT(*) FROM inputs"), 1);
}

TEST_P(SqlStoreRaceTest, ConcurrentTagUpdatesLoseNoAppend) {
  // What runs/log-model does with the model history tag: read, append, write.
  const std::string run_id = new_run();
  constexpr int kAppendsPerThread = 5;
  const auto codes = race([&](int t) {
    for (int i = 0; i < kAppendsPerThread; ++i) {
      store_->update_tag(run_id, "history", [&](const std::optional<std::string>& current) {
        return current.value_or("") + std::to_string(t) + ",";
      });
    }
  });
  EXPECT_EQ(count(codes, ""), kThreads) << codes[0];
  std::string history;
  for (const RunTag& tag : store_->get_run(run_id).data.tags) {
    if (tag.key == "history") history = tag.value;
  }
  for (int t = 0; t < kThreads; ++t) {
    const std::string entry = std::to_string(t) + ",";
    int appended = 0;
    for (std::size_t at = history.find(entry); at != std::string::npos; at = history.find(entry, at + 1)) ++appended;
    EXPECT_EQ(appended, kAppendsPerThread) << "thread " << t << " in " << history;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlStoreRaceTest, ::testing::ValuesIn(store_backends()), backend_test_name);

}  // namespace
}  // namespace mlflowcpp::server::store::testing
