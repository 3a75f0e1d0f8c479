#include "server/store/sqlite_writer.hpp"

#include <sqlite3.h>

#include <stdexcept>

namespace mlflowcpp::server::store {

namespace {
// Bounds the latency a job waits behind others in one group.
constexpr std::size_t kMaxJobsPerGroup = 512;
}  // namespace

SqliteWriter::SqliteWriter(std::unique_ptr<SqliteConnection> connection) : connection_(std::move(connection)) {
  group_.reserve(kMaxJobsPerGroup);
}

SqliteWriter::~SqliteWriter() {
  std::unique_lock<std::mutex> lock(mutex_);
  stopping_ = true;
  // Queued jobs still run: their callers lead in turn. Waiting for the callers
  // to leave run() (not only for their jobs to finish) keeps the mutex and the
  // connection alive until nobody can touch them.
  idle_.wait(lock, [this] { return callers_inside_ == 0; });
}

void SqliteWriter::run(const Job& job) {
  PendingJob mine(job);
  std::unique_lock<std::mutex> lock(mutex_);
  if (stopping_) throw std::runtime_error("the tracking store is closing");
  queue_.push_back(&mine);
  ++callers_inside_;

  while (!mine.done) {
    if (leading_) {
      // Woken when a leader completed this job, or handed over the lead.
      mine.wake.wait(lock);
      continue;
    }
    // Lead: take what is queued (this job among it, unless more than a group's
    // worth came first; then lead again after this group).
    leading_ = true;
    while (!queue_.empty() && group_.size() < kMaxJobsPerGroup) {
      group_.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    run_group();
    lock.lock();
    for (PendingJob* pending : group_) {
      pending->done = true;
      // Notified under the lock: once it can take the lock, the caller may
      // return and destroy its PendingJob, condition variable included.
      if (pending != &mine) pending->wake.notify_one();
    }
    group_.clear();
    leading_ = false;
    // The first queued caller leads the next group (if this caller's job is
    // still queued, it leads again on the next turn of the loop instead).
    if (!queue_.empty()) queue_.front()->wake.notify_one();
  }

  if (--callers_inside_ == 0 && stopping_) idle_.notify_all();
  lock.unlock();
  if (mine.failure) std::rethrow_exception(mine.failure);
}

void SqliteWriter::run_group() noexcept {
  auto fail_all = [this](std::exception_ptr error) {
    for (PendingJob* pending : group_) {
      if (!pending->failure) pending->failure = error;
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

  if (transaction_open && group_.size() == 1) {
    // A lone job needs no savepoint: rolling back the whole transaction undoes
    // exactly its writes, and two statements fewer matter at one commit a call.
    PendingJob* pending = group_.front();
    try {
      pending->job(*connection_);
    } catch (...) {
      pending->failure = std::current_exception();
      transaction_open = false;  // rolled back below
    }
  } else if (transaction_open) {
    for (PendingJob* pending : group_) {
      try {
        connection_->statement("SAVEPOINT job")->exec();
      } catch (...) {
        pending->failure = std::current_exception();
        continue;
      }
      try {
        pending->job(*connection_);
        connection_->statement("RELEASE job")->exec();
      } catch (...) {
        pending->failure = std::current_exception();
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
}

}  // namespace mlflowcpp::server::store
