// Several SqliteDatabase instances on one file, as several processes (MPI
// ranks, or servers) sharing it would be: each has its own writer, read pool
// and checkpointer, and SQLite's file locks are all that orders them.

#include "store_test_support.hpp"

#include "server/store/sql_registry_store.hpp"

#include <SQLiteCpp/Database.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace mlflowcpp::server::store::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Collects the message of every unexpected failure from many threads.
class Failures {
 public:
  void add(const std::string& message) {
    std::lock_guard<std::mutex> lock(mutex_);
    messages_.push_back(message);
  }
  std::size_t count() {
    std::lock_guard<std::mutex> lock(mutex_);
    return messages_.size();
  }
  std::string first() {
    std::lock_guard<std::mutex> lock(mutex_);
    return messages_.empty() ? std::string() : messages_.front();
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> messages_;
};

// Holds threads until all have arrived, so that they start their work together.
class StartLine {
 public:
  explicit StartLine(int threads) : waiting_(threads) {}
  void arrive_and_wait() {
    --waiting_;
    while (waiting_.load() > 0) std::this_thread::yield();
  }

 private:
  std::atomic<int> waiting_;
};

std::string sqlite_uri(const std::string& path) { return "sqlite:///" + path; }

TEST(SqliteMultiWriterTest, SeveralDatabasesOnOneFileWriteAtOnce) {
  TempDir dir;
  const std::string path = dir.file("mlflow.db");
  constexpr int kInstances = 3;
  constexpr int kThreadsPerInstance = 3;
  constexpr int kThreads = kInstances * kThreadsPerInstance;
  constexpr int kRounds = 60;

  std::vector<BackendStores> instances;
  for (int i = 0; i < kInstances; ++i)
    instances.push_back(open_backend_stores(sqlite_uri(path), dir.file("artifacts")));
  CreateRunRequest shared_request;
  shared_request.experiment_id = "0";
  const std::string shared_run = instances[0].tracking->create_run(shared_request).info.run_id;

  Failures failures;
  std::atomic<int> same_name_created{0};
  std::atomic<int> same_name_refused{0};
  std::vector<std::string> own_runs(kThreads);
  StartLine start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      BackendStores& stores = instances[t % kInstances];
      start.arrive_and_wait();
      try {
        stores.tracking->create_experiment("same name", "", {});
        ++same_name_created;
      } catch (const MlflowException& error) {
        if (error.error_code() == "RESOURCE_ALREADY_EXISTS") {
          ++same_name_refused;
        } else {
          failures.add(error.what());
        }
      }
      try {
        CreateRunRequest request;
        request.experiment_id = stores.tracking->create_experiment("experiment-" + std::to_string(t), "", {});
        own_runs[t] = stores.tracking->create_run(request).info.run_id;
        for (int i = 0; i < kRounds; ++i) {
          stores.tracking->log_batch(own_runs[t], {{"m", double(i), 1000 + i, i}}, {}, {});
          // Every thread logs the same key of the same run: latest_metrics
          // must end with the greatest (step, timestamp, value).
          const int64_t step = int64_t{i} * kThreads + t;
          stores.tracking->log_batch(shared_run, {{"shared", double(step), 5000 + step, step}}, {}, {});
          if (i % 10 == 0) {
            stores.tracking->set_tag(own_runs[t], {"tag-" + std::to_string(i), "v"});
            stores.tracking->log_batch(own_runs[t], {}, {{"p-" + std::to_string(i), std::to_string(i)}}, {});
            stores.registry->create_registered_model("model-" + std::to_string(t) + "-" + std::to_string(i), {}, "");
            stores.tracking->get_run(own_runs[t]);
          }
        }
      } catch (const std::exception& error) {
        failures.add(error.what());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(failures.count(), 0u) << failures.first();
  EXPECT_EQ(same_name_created.load(), 1);
  EXPECT_EQ(same_name_refused.load(), kThreads - 1);

  // Every instance sees everything every other one wrote.
  for (BackendStores& stores : instances) {
    for (int t = 0; t < kThreads; ++t) {
      EXPECT_EQ(stores.tracking->get_metric_history(own_runs[t], "m").size(), size_t(kRounds));
      const mlflowcpp::Run run = stores.tracking->get_run(own_runs[t]);
      EXPECT_EQ(run.data.params.size(), size_t(kRounds / 10));
      EXPECT_EQ(run.data.tags.size(), size_t(kRounds / 10 + 1));  // + mlflow.runName
    }
    EXPECT_EQ(stores.tracking->get_metric_history(shared_run, "shared").size(), size_t(kRounds * kThreads));
    const mlflowcpp::Run shared = stores.tracking->get_run(shared_run);
    ASSERT_EQ(shared.data.metrics.size(), 1u);
    EXPECT_EQ(shared.data.metrics[0].step, int64_t{kRounds} * kThreads - 1);
    EXPECT_EQ(shared.data.metrics[0].value, double(int64_t{kRounds} * kThreads - 1));
    SearchRegistryRequest models;
    models.max_results = 100;
    EXPECT_EQ(stores.registry->search_registered_models(models).items.size(), size_t(kThreads * kRounds / 10));
  }
}

TEST(SqliteMultiWriterTest, SeveralDatabasesCreateANewFileAtOnce) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    TempDir dir;
    const std::string path = dir.file("new.db");
    constexpr int kOpeners = 6;
    Failures failures;
    StartLine start(kOpeners);
    std::vector<std::thread> threads;
    for (int t = 0; t < kOpeners; ++t) {
      threads.emplace_back([&] {
        start.arrive_and_wait();
        try {
          BackendStores stores = open_backend_stores(sqlite_uri(path), dir.file("artifacts"));
          CreateRunRequest request;
          request.experiment_id = "0";
          stores.tracking->create_run(request);
        } catch (const std::exception& error) {
          failures.add(error.what());
        }
      });
    }
    for (auto& thread : threads) thread.join();
    ASSERT_EQ(failures.count(), 0u) << failures.first();

    SQLite::Database database(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(database.execAndGet("SELECT COUNT(*) FROM alembic_version").getInt(), 1);
    EXPECT_EQ(database.execAndGet("SELECT COUNT(*) FROM experiments").getInt(), 1);  // the default one
    EXPECT_EQ(database.execAndGet("SELECT COUNT(*) FROM runs").getInt(), kOpeners);
    EXPECT_EQ(database.execAndGet("SELECT COUNT(*) FROM workspaces").getInt(), 1);
  }
}

// One busy instance writing without pause must not keep another from writing:
// its writes wait for a turn between the other's transactions, not for a lull.
TEST(SqliteMultiWriterTest, ABusyDatabaseDoesNotStarveAnotherOnTheSameFile) {
  TempDir dir;
  const std::string path = dir.file("mlflow.db");
  BackendStores busy = open_backend_stores(sqlite_uri(path), dir.file("artifacts"));
  BackendStores other = open_backend_stores(sqlite_uri(path), dir.file("artifacts"));
  CreateRunRequest request;
  request.experiment_id = "0";
  const std::string busy_run = busy.tracking->create_run(request).info.run_id;
  const std::string other_run = other.tracking->create_run(request).info.run_id;

  std::atomic<bool> stop{false};
  Failures failures;
  std::vector<std::thread> hammering;
  for (int t = 0; t < 4; ++t) {
    hammering.emplace_back([&, t] {
      std::vector<Metric> batch;
      for (int i = 0; i < 100; ++i) batch.push_back({"busy-" + std::to_string(t), double(i), 1000, i});
      try {
        while (!stop.load()) busy.tracking->log_batch(busy_run, batch, {}, {});
      } catch (const std::exception& error) {
        failures.add(error.what());
      }
    });
  }
  constexpr int kWrites = 100;
  Clock::duration slowest{};
  try {
    for (int i = 0; i < kWrites; ++i) {
      const auto started = Clock::now();
      other.tracking->set_tag(other_run, {"tag-" + std::to_string(i), "v"});
      slowest = std::max(slowest, Clock::now() - started);
    }
  } catch (const std::exception& error) {
    failures.add(error.what());
  }
  stop = true;
  for (auto& thread : hammering) thread.join();
  ASSERT_EQ(failures.count(), 0u) << failures.first();
  EXPECT_EQ(other.tracking->get_run(other_run).data.tags.size(), size_t(kWrites + 1));
  // Far below the 30 s busy timeout: a fair share, not a lucky escape.
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(slowest).count(), 3000);
}

// A lock held past the busy timeout is an MLflow TEMPORARILY_UNAVAILABLE
// (503), with the store usable again once the lock is gone.
TEST(SqliteMultiWriterTest, ALockHeldPastTheTimeoutIsTemporarilyUnavailable) {
  TempDir dir;
  const std::string path = dir.file("mlflow.db");
  SqliteDatabaseOptions options;
  options.path = path;
  options.busy_timeout_ms = 300;
  SqlTrackingStore store(std::make_shared<SqliteDatabase>(options), store_options());

  SQLite::Database holder(path, SQLite::OPEN_READWRITE);
  holder.exec("BEGIN IMMEDIATE");
  const auto started = Clock::now();
  EXPECT_MLFLOW_ERROR(store.create_experiment("blocked", "", {}), "TEMPORARILY_UNAVAILABLE");
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  EXPECT_GE(waited, 300);
  EXPECT_LT(waited, 5000);
  // Reads go on beside the held write lock (WAL).
  EXPECT_EQ(store.get_experiment("0").name, "Default");
  holder.exec("ROLLBACK");

  EXPECT_FALSE(store.create_experiment("unblocked", "", {}).empty());
}

}  // namespace
}  // namespace mlflowcpp::server::store::testing
