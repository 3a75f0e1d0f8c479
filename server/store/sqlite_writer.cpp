#include "server/store/sqlite_writer.hpp"

#include <sqlite3.h>

#include <exception>
#include <stdexcept>

namespace mlflowcpp::server::store {

namespace {
// Bounds the latency a job waits behind others in one group.
constexpr size_t kMaxJobsPerGroup = 512;
}  // namespace

SqliteWriter::SqliteWriter(std::unique_ptr<SqliteConnection> connection)
    : connection_(std::move(connection)), thread_([this] { loop(); }) {}

SqliteWriter::~SqliteWriter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void SqliteWriter::run(Job job) {
  std::future<void> done;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) throw std::runtime_error("the tracking store is closing");
    queue_.push_back(PendingJob{std::move(job), {}});
    done = queue_.back().done.get_future();
  }
  wake_.notify_one();
  done.get();
}

void SqliteWriter::loop() {
  std::vector<PendingJob> group;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && group.size() < kMaxJobsPerGroup) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    run_group(group);
    group.clear();
  }
}

void SqliteWriter::run_group(std::vector<PendingJob>& group) {
  std::vector<std::exception_ptr> failures(group.size());
  auto fail_all = [&](std::exception_ptr error) {
    for (auto& failure : failures) {
      if (!failure) failure = error;
    }
  };

  bool transaction_open = false;
  try {
    // IMMEDIATE takes the write lock now; the busy timeout covers another
    // process holding it.
    connection_->statement("BEGIN IMMEDIATE")->exec();
    transaction_open = true;
  } catch (...) {
    fail_all(std::current_exception());
  }

  if (transaction_open) {
    for (size_t i = 0; i < group.size(); ++i) {
      try {
        connection_->statement("SAVEPOINT job")->exec();
      } catch (...) {
        failures[i] = std::current_exception();
        continue;
      }
      try {
        group[i].job(*connection_);
        connection_->statement("RELEASE job")->exec();
      } catch (...) {
        failures[i] = std::current_exception();
        try {
          connection_->statement("ROLLBACK TO job")->exec();
          connection_->statement("RELEASE job")->exec();
        } catch (...) {
          // The transaction itself is gone (SQLite rolls back on some errors,
          // e.g. a full disk): nothing of this group can commit.
          fail_all(std::current_exception());
          transaction_open = false;
          break;
        }
      }
    }
  }

  if (transaction_open) {
    try {
      connection_->statement("COMMIT")->exec();
    } catch (...) {
      fail_all(std::current_exception());
    }
  }
  if (sqlite3_get_autocommit(connection_->database().getHandle()) == 0) {
    // Still inside a transaction after a failure: roll it back so the next
    // group starts clean.
    try {
      connection_->statement("ROLLBACK")->exec();
    } catch (...) {
    }
  }

  for (size_t i = 0; i < group.size(); ++i) {
    if (failures[i]) {
      group[i].done.set_exception(failures[i]);
    } else {
      group[i].done.set_value();
    }
  }
}

}  // namespace mlflowcpp::server::store
