#include "server/store/sqlite_writer.hpp"

#include <sqlite3.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace mlflowcpp::server::store {

namespace {
// Bounds the latency a job waits behind others in one group.
constexpr std::size_t kMaxJobsPerGroup = 512;
// Groups a leader runs for others once its own job is done.
constexpr int kMaxGroupsLedAfterDone = 1;
// Prepared statements the write connection keeps between groups.
constexpr std::size_t kMaxCachedStatements = 256;
// Between two attempts at a BEGIN or COMMIT that found the database busy.
constexpr std::chrono::milliseconds kBusyRetryPause{1};

bool is_retryable(const sql::DatabaseError& error) { return error.kind() == sql::DatabaseError::Kind::kRetryable; }

// Runs `sql` (BEGIN IMMEDIATE, COMMIT) until it succeeds or the connection's
// busy timeout has passed. The busy handler already waits for a lock another
// process holds; this covers the few cases where SQLite reports SQLITE_BUSY
// without calling it (e.g. while another connection recovers the WAL index).
// A COMMIT that fails busy leaves the transaction open, so trying it again
// keeps the group all-or-nothing.
void execute_within_busy_timeout(SqliteConnection& connection, const std::string& sql) {
  const auto deadline = std::chrono::steady_clock::now() + connection.busy_timeout();
  for (;;) {
    try {
      connection.statement(sql)->execute();
      return;
    } catch (const sql::DatabaseError& error) {
      if (!is_retryable(error) || std::chrono::steady_clock::now() >= deadline) throw;
    }
    std::this_thread::sleep_for(kBusyRetryPause);
  }
}
}  // namespace

SqliteWriter::SqliteWriter(std::unique_ptr<SqliteConnection> connection, std::shared_ptr<StoreMetrics> metrics,
                           Maintenance between_groups)
    : connection_(std::move(connection)), metrics_(std::move(metrics)), between_groups_(std::move(between_groups)) {
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
  bool leads = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) throw sql::DatabaseError(sql::DatabaseError::Kind::kUnavailable, "the database is closing");
    if (leading_) {
      queue_.push_back(&mine);
      if (metrics_) metrics_->writer_queue_changed(+1);
    } else {
      leading_ = true;
      leads = true;
    }
    ++callers_inside_;
  }

  if (!leads) {
    // Woken when a leader completed this job, or handed the lead over.
    std::unique_lock<std::mutex> lock(mine.mutex);
    mine.wake.wait(lock, [&mine] { return mine.done || mine.lead; });
    leads = !mine.done;
  }
  if (leads) lead(mine);

  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (--callers_inside_ == 0 && stopping_) idle_.notify_all();
  }
  if (mine.failure) std::rethrow_exception(mine.failure);
}

void SqliteWriter::release_cached_pages_if_idle() {
  // With no leader nobody holds the connection, and a caller arriving meanwhile waits for the mutex to lead.
  std::lock_guard<std::mutex> lock(mutex_);
  if (leading_ || stopping_) return;
  sqlite3_db_release_memory(connection_->database().getHandle());
}

void SqliteWriter::lead(PendingJob& mine) {
  // This caller's job first, then what is queued; once it is done, one more
  // group if more arrived meanwhile (rather than wait for a queued caller to
  // be scheduled), bounded so that this caller's answer is not held back.
  int groups_left = 1 + kMaxGroupsLedAfterDone;
  bool own_job_pending = true;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (own_job_pending) group_.push_back(&mine);
      const std::size_t first_queued = group_.size();
      while (!queue_.empty() && group_.size() < kMaxJobsPerGroup) {
        group_.push_back(queue_.front());
        queue_.pop_front();
      }
      if (metrics_ && group_.size() > first_queued) {
        metrics_->writer_queue_changed(-static_cast<int>(group_.size() - first_queued));
      }
    }
    own_job_pending = false;
    run_group();
    if (metrics_) metrics_->group_committed(group_.size());
    for (PendingJob* pending : group_) {
      if (pending == &mine) {
        mine.done = true;
      } else {
        signal(*pending, /*lead=*/false);
      }
    }
    group_.clear();
    --groups_left;
    if (between_groups_) between_groups_(*connection_);

    PendingJob* next_leader = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (queue_.empty()) {
        leading_ = false;
        return;
      }
      if (groups_left == 0) {
        next_leader = queue_.front();
        queue_.pop_front();
        if (metrics_) metrics_->writer_queue_changed(-1);
      }
    }
    if (next_leader != nullptr) {
      // Its job is the first of the next group; `leading_` stays set, so
      // callers arriving meanwhile queue behind it.
      signal(*next_leader, /*lead=*/true);
      return;
    }
  }
}

void SqliteWriter::signal(PendingJob& pending, bool lead) {
  // Under the job's own mutex: the waiter cannot see the flag, return and
  // destroy its PendingJob before this notify is done with it.
  std::lock_guard<std::mutex> lock(pending.mutex);
  if (lead) {
    pending.lead = true;
  } else {
    pending.done = true;
  }
  pending.wake.notify_one();
}

void SqliteWriter::run_group() noexcept {
  auto fail_all = [this](std::exception_ptr error) {
    for (PendingJob* pending : group_) {
      if (!pending->failure) pending->failure = error;
    }
  };

  bool transaction_open = false;
  // No statement is on loan between groups.
  connection_->trim_statement_cache(kMaxCachedStatements);
  try {
    // IMMEDIATE takes the write lock now, so no statement of the group can
    // meet SQLITE_BUSY (or a stale snapshot) halfway; waiting for another
    // process holding the lock is bounded by the busy timeout.
    execute_within_busy_timeout(*connection_, "BEGIN IMMEDIATE");
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
        connection_->statement("SAVEPOINT job")->execute();
      } catch (...) {
        pending->failure = std::current_exception();
        continue;
      }
      try {
        pending->job(*connection_);
        connection_->statement("RELEASE job")->execute();
      } catch (...) {
        pending->failure = std::current_exception();
        try {
          connection_->statement("ROLLBACK TO job")->execute();
          connection_->statement("RELEASE job")->execute();
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
      execute_within_busy_timeout(*connection_, "COMMIT");
    } catch (...) {
      fail_all(std::current_exception());
    }
  }
  if (sqlite3_get_autocommit(connection_->database().getHandle()) == 0) {
    // Still inside a transaction after a failure: roll it back so the next
    // group starts clean.
    try {
      connection_->statement("ROLLBACK")->execute();
    } catch (...) {
    }
  }
}

}  // namespace mlflowcpp::server::store
