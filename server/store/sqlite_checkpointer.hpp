#pragma once

// Moves the WAL's pages into the database file off the writer's path.
//
// SQLite's automatic checkpoint runs inside the COMMIT that crosses the
// threshold, fsyncs included, so one write in a few hundred pays for all the
// others. Here the writer's connection only reports the WAL size (wal hook)
// and this thread, on its own connection, runs PASSIVE checkpoints, which
// neither wait for nor block the writer or the readers.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

struct sqlite3;

namespace mlflowcpp::server::store {

class SqliteConnection;

class SqliteCheckpointer {
 public:
  // `pages_threshold`: WAL size, in pages, that triggers a checkpoint.
  SqliteCheckpointer(const std::string& path, int busy_timeout_ms, int pages_threshold);
  SqliteCheckpointer(const SqliteCheckpointer&) = delete;
  SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;
  ~SqliteCheckpointer();

  // Makes `writer` report its WAL size here instead of checkpointing itself.
  // The checkpointer must outlive the writer connection's use.
  void attach(SqliteConnection& writer);

 private:
  static int on_wal_commit(void* self, sqlite3* database, const char* schema, int pages);
  void request();
  void loop();

  std::unique_ptr<SqliteConnection> connection_;
  int pages_threshold_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace mlflowcpp::server::store
