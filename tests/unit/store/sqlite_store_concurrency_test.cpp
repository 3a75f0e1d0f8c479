// Many writers at once, failures isolated inside a group commit, and
// durability of a returned write across kill -9.

#include "store_test_support.hpp"

#include <atomic>
#include <csignal>
#include <mutex>
#include <thread>

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mlflowcpp::server::store::testing {
namespace {

TEST(SqliteStoreConcurrencyTest, SixteenThreadsWriteWithoutErrors) {
  TempDir dir;
  auto store = open_store(dir.file("mlflow.db"));
  constexpr int kThreads = 16;
  constexpr int kWritesPerThread = 150;

  std::atomic<int> errors{0};
  std::mutex messages_mutex;
  std::vector<std::string> messages;
  std::vector<std::string> run_ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        std::string experiment_id = store->create_experiment("concurrent-" + std::to_string(t), "", {});
        CreateRunRequest request;
        request.experiment_id = experiment_id;
        run_ids[t] = store->create_run(request).info.run_id;
        for (int i = 0; i < kWritesPerThread; ++i) {
          store->log_batch(run_ids[t], {{"m", double(i), 1000 + i, i}}, {}, {});
          if (i % 10 == 0) {
            store->set_tag(run_ids[t], {"tag-" + std::to_string(i), "v"});
            store->log_batch(run_ids[t], {}, {{"p-" + std::to_string(i), std::to_string(i)}}, {});
            store->get_run(run_ids[t]);
          }
        }
      } catch (const std::exception& error) {
        ++errors;
        std::lock_guard<std::mutex> lock(messages_mutex);
        messages.push_back(error.what());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(errors.load(), 0) << (messages.empty() ? "" : messages.front());

  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(store->get_metric_history(run_ids[t], "m").size(), size_t(kWritesPerThread));
    mlflowcpp::Run run = store->get_run(run_ids[t]);
    EXPECT_EQ(run.data.params.size(), size_t(kWritesPerThread / 10));
    EXPECT_EQ(run.data.tags.size(), size_t(kWritesPerThread / 10 + 1));  // + mlflow.runName
    ASSERT_EQ(run.data.metrics.size(), 1u);
    EXPECT_EQ(run.data.metrics[0].step, kWritesPerThread - 1);
  }
}

TEST(SqliteStoreConcurrencyTest, AFailingJobRollsBackOnlyItself) {
  TempDir dir;
  auto store = open_store(dir.file("mlflow.db"));
  CreateRunRequest request;
  request.experiment_id = "0";
  const std::string run_id = store->create_run(request).info.run_id;
  store->log_batch(run_id, {}, {{"fixed", "1"}}, {});

  constexpr int kThreads = 16;
  constexpr int kRounds = 50;
  std::atomic<int> expected_failures{0};
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        try {
          if (t % 2 == 0) {
            // Conflicts with the param: the whole batch must vanish.
            store->log_batch(run_id, {{"bad", 1.0, t * 1000 + i, 0}}, {{"fixed", "2"}}, {});
          } else {
            store->log_batch(run_id, {{"good", 1.0, t * 1000 + i, 0}}, {}, {});
          }
        } catch (const MlflowException& error) {
          if (error.error_code() == "INVALID_PARAMETER_VALUE" && t % 2 == 0) {
            ++expected_failures;
          } else {
            ++unexpected;
          }
        } catch (...) {
          ++unexpected;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(unexpected.load(), 0);
  EXPECT_EQ(expected_failures.load(), kThreads / 2 * kRounds);
  EXPECT_EQ(store->get_metric_history(run_id, "good").size(), size_t(kThreads / 2 * kRounds));
  EXPECT_TRUE(store->get_metric_history(run_id, "bad").empty());
}

// A child process logs metrics and reports each one after the call returned;
// it is killed with SIGKILL mid-stream. Every reported write must be there.
TEST(SqliteStoreConcurrencyTest, ReturnedWritesSurviveKill9) {
  TempDir dir;
  const std::string path = dir.file("mlflow.db");
  std::string run_id;
  {
    auto store = open_store(path);
    CreateRunRequest request;
    request.experiment_id = "0";
    run_id = store->create_run(request).info.run_id;
  }

  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    try {
      auto store = open_store(path);
      for (int64_t i = 0;; ++i) {
        store->log_batch(run_id, {{"m", double(i), 1000 + i, i}}, {}, {});
        if (write(pipe_fds[1], &i, sizeof i) != sizeof i) _exit(2);
      }
    } catch (...) {
      _exit(3);
    }
  }
  close(pipe_fds[1]);
  int64_t acknowledged = -1;
  for (int received = 0; received < 300; ++received) {
    int64_t value = 0;
    ASSERT_EQ(read(pipe_fds[0], &value, sizeof value), ssize_t(sizeof value)) << "the writer died early";
    acknowledged = value;
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  close(pipe_fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status));

  auto store = open_store(path);
  auto history = store->get_metric_history(run_id, "m");
  EXPECT_GE(static_cast<int64_t>(history.size()), acknowledged + 1);
  for (int64_t step = 0; step <= acknowledged; ++step) {
    ASSERT_LT(size_t(step), history.size());
    EXPECT_EQ(history[size_t(step)].step, step);
  }
}

}  // namespace
}  // namespace mlflowcpp::server::store::testing
