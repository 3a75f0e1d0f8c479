#pragma once

// The single writer of a SQLite database. SQLite allows one writer at a time;
// rather than letting many threads fight over the write lock ("database is
// locked"), every write is a job handed to one thread that owns the write
// connection.
//
// Group commit: the thread takes every job queued so far, runs each inside its
// own SAVEPOINT within one transaction, commits once, then completes the
// callers. A failing job rolls back only its own savepoint and its exception
// goes to its caller; the others still commit. One commit per group is what
// makes many small concurrent writes fast.
//
// A job's effects are durable when run() returns: the commit has reached the
// WAL file (and, with synchronous=FULL, the disk).

#include "server/store/sqlite_connection.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace mlflowcpp::server::store {

class SqliteWriter {
 public:
  using Job = std::function<void(SqliteConnection&)>;

  explicit SqliteWriter(std::unique_ptr<SqliteConnection> connection);
  SqliteWriter(const SqliteWriter&) = delete;
  SqliteWriter& operator=(const SqliteWriter&) = delete;
  // Finishes the queued jobs, then stops the thread.
  ~SqliteWriter();

  // Runs `job` on the writer thread inside a transaction and waits for the
  // commit. Rethrows what the job threw (its writes are then rolled back).
  void run(Job job);

 private:
  struct PendingJob {
    Job job;
    std::promise<void> done;
  };

  void loop();
  void run_group(std::vector<PendingJob>& group);

  std::unique_ptr<SqliteConnection> connection_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<PendingJob> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace mlflowcpp::server::store
