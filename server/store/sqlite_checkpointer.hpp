#pragma once

// Keeps the WAL small: moves its pages into the database file off the
// writer's path, and restarts it from its beginning before it grows large.
//
// SQLite's automatic checkpoint runs inside the COMMIT that crosses the
// threshold, fsyncs included, so one write in a few hundred pays for all the
// others. Here the writer's connection only reports the WAL size (wal hook)
// and this thread, on its own connection, runs PASSIVE checkpoints, which
// neither wait for nor block the writer or the readers: one per
// `passive_pages` frames added since the last, and once more after a pause in
// the writes.
//
// Under a steady stream of commits a PASSIVE checkpoint never catches up with
// the last frame, so SQLite never restarts the WAL and the file grows without
// end (hundreds of MB over a long load). So once the WAL holds
// `restart_pages` frames, the writer itself, between two group commits
// (restart_if_due()), runs a RESTART checkpoint, the PASSIVE ones standing
// aside meanwhile: it copies the frames they left (no write is in progress:
// the writer is the caller) and
// waits, briefly, for readers still on old snapshots to finish, after which
// the next commit writes the WAL from its beginning. Readers' transactions are
// short, so the brief wait nearly always suffices; when it does not, the
// attempt is repeated `passive_pages` frames later. The writer's
// journal_size_limit then cuts a WAL that grew past the restart size back to
// it.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

struct sqlite3;

namespace mlflowcpp::server::store {

class SqliteConnection;

struct SqliteCheckpointLimits {
  // WAL frames added since the last checkpoint that trigger a PASSIVE one (SQLite's default auto-checkpoint).
  int passive_pages = 1000;
  // WAL frames at which the writer restarts the WAL (16 MiB at the default 4 KiB page).
  int restart_pages = 4000;
  // How long a restart waits for readers on old snapshots (the writer's next group waits as long at most).
  std::chrono::milliseconds restart_reader_wait{50};
};

class SqliteCheckpointer {
 public:
  SqliteCheckpointer(const std::string& path, int busy_timeout_ms, SqliteCheckpointLimits limits = {});
  SqliteCheckpointer(const SqliteCheckpointer&) = delete;
  SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;
  // Stops the thread, then checkpoints whatever the WAL still holds and empties it (the database is closing).
  ~SqliteCheckpointer();

  // Makes `writer` report its WAL size here instead of checkpointing itself,
  // and bounds the WAL file it leaves behind after a restart. The checkpointer
  // must outlive the writer connection's use.
  void attach(SqliteConnection& writer);

  // On the writer's connection, outside any transaction: restarts the WAL
  // when it has grown past `restart_pages`; otherwise returns at once.
  void restart_if_due(SqliteConnection& writer) noexcept;

  // Restarts that succeeded (for tests).
  int restarts() const { return restarts_.load(); }

 private:
  static int on_wal_commit(void* self, sqlite3* database, const char* schema, int pages);
  void request();
  void loop();

  // Runs one PASSIVE checkpoint; true when it copied every frame of the WAL.
  bool checkpoint();

  std::unique_ptr<SqliteConnection> connection_;
  const SqliteCheckpointLimits limits_;
  // WAL size (frames) when the last checkpoint ran; read by the wal hook on
  // the writer's thread.
  std::atomic<int> frames_at_last_checkpoint_{0};
  // Touched only by the thread leading the writer (wal hook, restart_if_due), one at a time.
  bool restart_due_ = false;
  int frames_at_last_restart_attempt_ = 0;
  // Set while the writer means to restart the WAL: the thread then starts no PASSIVE checkpoint, whose checkpoint
  // lock would make the restart fail (SQLite does not wait for that lock); the restart waits for the one under way
  // (held during each PASSIVE checkpoint).
  std::atomic<bool> restart_pending_{false};
  std::mutex checkpoint_running_;
  std::atomic<int> restarts_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace mlflowcpp::server::store
