#pragma once

// The single writer of a SQLite database. SQLite allows one writer at a time;
// rather than letting many threads fight over the write lock ("database is
// locked"), every write is a job run on the one write connection, by one
// thread at a time.
//
// Leader-based group commit, with no thread of its own: a caller that finds
// the writer idle becomes the leader and runs, in its own thread, its job plus
// every job queued so far, each inside its own SAVEPOINT within one
// transaction, and commits once. Callers arriving while a leader works queue
// their job and wait; the leader completes them after the commit. If more
// arrived meanwhile, the leader runs one more group, then hands the lead to
// the first caller still queued, which leads the next group. A lone caller
// thus pays no thread hand-off (two context switches a call), while many
// concurrent callers still share one commit.
//
// Between two groups, with no transaction open, the leader runs the optional
// `between_groups` work on the connection (restarting the WAL, which only the
// connection that writes can do without waiting for the writes): the callers of
// the group just committed already have their answer, and callers arriving
// meanwhile queue up for the next group.
//
// A failing job rolls back only its own savepoint and its exception goes to
// its caller; the others still commit. A job's effects are durable when run()
// returns: the commit has reached the WAL file (and, with synchronous=FULL,
// the disk).

#include "server/store/sqlite_connection.hpp"
#include "server/store/store_metrics.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace mlflowcpp::server::store {

class SqliteWriter {
 public:
  using Job = sql::Database::Job;
  // Must not throw; runs outside any transaction.
  using Maintenance = std::function<void(SqliteConnection&)>;

  // `metrics` (may be null) hears of the queue's depth and of each group's size; `between_groups` (may be empty)
  // runs after each group's commit.
  explicit SqliteWriter(std::unique_ptr<SqliteConnection> connection, std::shared_ptr<StoreMetrics> metrics = nullptr,
                        Maintenance between_groups = nullptr);
  SqliteWriter(const SqliteWriter&) = delete;
  SqliteWriter& operator=(const SqliteWriter&) = delete;
  // Refuses new jobs and waits until every caller inside run() has returned.
  ~SqliteWriter();

  // Runs `job` on the write connection inside a transaction (in this thread
  // or in the thread of the caller leading the group) and waits for the
  // commit. Rethrows what the job threw (its writes are then rolled back).
  void run(const Job& job);

  // Gives back the write connection's page cache, unless a group is being run (then nothing happens: the writer is
  // busy, and the next quiet spell will do). The cache holds the index pages the next inserts would read, so this is
  // for a server gone idle, not for every group.
  void release_cached_pages_if_idle();

 private:
  // A caller's job while it waits; lives on the caller's stack until run()
  // returns. Its own mutex, not the writer's, guards `done` and `lead`, so
  // waking one caller never makes the others queue on a shared lock.
  struct PendingJob {
    explicit PendingJob(const Job& job) : job(job) {}
    const Job& job;
    std::exception_ptr failure;  // written by the leader before `done`
    std::mutex mutex;
    std::condition_variable wake;
    bool done = false;  // the job ran and its group committed (or failed)
    bool lead = false;  // the job did not run yet: its caller leads the next group
  };

  // Runs this caller's job and the queued ones as one or more groups, then
  // passes the lead on or frees the connection.
  void lead(PendingJob& mine);
  // Runs `group_` in one transaction; sets each job's failure. Called by the
  // leader without the mutex held.
  void run_group() noexcept;
  static void signal(PendingJob& pending, bool lead);

  std::unique_ptr<SqliteConnection> connection_;
  std::shared_ptr<StoreMetrics> metrics_;
  Maintenance between_groups_;
  std::mutex mutex_;
  std::deque<PendingJob*> queue_;  // waiting for a leader, arrival order
  bool leading_ = false;           // a leader owns the connection and group_
  bool stopping_ = false;
  std::size_t callers_inside_ = 0;  // callers in run(); the destructor waits for 0
  std::condition_variable idle_;    // callers_inside_ reached 0 while stopping
  // The group being run. Only the current leader touches it; its capacity is
  // reserved up front so leading never allocates.
  std::vector<PendingJob*> group_;
};

}  // namespace mlflowcpp::server::store
