#pragma once

// Moves the WAL's pages into the database file off the writer's path.
//
// SQLite's automatic checkpoint runs inside the COMMIT that crosses the
// threshold, fsyncs included, so one write in a few hundred pays for all the
// others. Here the writer's connection only reports the WAL size (wal hook)
// and this thread, on its own connection, runs PASSIVE checkpoints, which
// neither wait for nor block the writer or the readers.
//
// Under a steady stream of commits a PASSIVE checkpoint rarely catches up
// with the last frame, so SQLite cannot restart the WAL and it keeps growing
// past the threshold. Requesting a checkpoint at every such commit would then
// run them back to back, each with its fsyncs; instead one runs per
// `pages_threshold` frames added since the last, and once more after a pause
// so the WAL can be restarted when the writes stop.

#include <atomic>
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
  // Stops the thread, then checkpoints whatever the WAL still holds and empties it (the database is closing).
  ~SqliteCheckpointer();

  // Makes `writer` report its WAL size here instead of checkpointing itself.
  // The checkpointer must outlive the writer connection's use.
  void attach(SqliteConnection& writer);

 private:
  static int on_wal_commit(void* self, sqlite3* database, const char* schema, int pages);
  void request();
  void loop();

  // Runs one PASSIVE checkpoint; true when it copied every frame of the WAL.
  bool checkpoint();

  std::unique_ptr<SqliteConnection> connection_;
  int pages_threshold_;
  // WAL size (frames) when the last checkpoint ran; read by the wal hook on
  // the writer's thread.
  std::atomic<int> frames_at_last_checkpoint_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace mlflowcpp::server::store
