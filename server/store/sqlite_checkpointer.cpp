#include "server/store/sqlite_checkpointer.hpp"

#include "server/store/sqlite_connection.hpp"

#include <sqlite3.h>

#include <string>

namespace mlflowcpp::server::store {
namespace {

// How long the last checkpoint waits for other connections (another process's) to let it through.
constexpr int kFinalCheckpointWaitMs = 1000;
// The WAL frame header SQLite writes before each page.
constexpr long long kWalFrameHeaderBytes = 24;

}  // namespace

SqliteCheckpointer::SqliteCheckpointer(const std::string& path, int busy_timeout_ms, SqliteCheckpointLimits limits)
    : connection_(std::make_unique<SqliteConnection>(path, ConnectionMode::kReadWrite, busy_timeout_ms)),
      limits_(limits),
      thread_([this] { loop(); }) {
  // This connection only checkpoints: it reads no tables, so it needs no page cache to speak of.
  connection_->execute("PRAGMA cache_size = -256");
}

SqliteCheckpointer::~SqliteCheckpointer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  // The database closes: every page goes into the database file and the WAL is emptied, so the file alone holds
  // everything (a copy or backup of it is complete). Another process still reading keeps its frames; waiting for it
  // briefly is enough, SQLite finishes the job when the last connection closes.
  sqlite3* handle = connection_->database().getHandle();
  sqlite3_busy_timeout(handle, kFinalCheckpointWaitMs);
  sqlite3_wal_checkpoint_v2(handle, "main", SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

void SqliteCheckpointer::attach(SqliteConnection& writer) {
  // Replaces SQLite's own auto-checkpoint hook on this connection.
  sqlite3_wal_hook(writer.database().getHandle(), &SqliteCheckpointer::on_wal_commit, this);
  // After a restart, the writer's next commit cuts a WAL file that grew past the restart size (readers held a
  // restart back for a while) down to that size; without a limit the file never shrinks.
  auto page_size = writer.statement("PRAGMA page_size");
  const long long page_bytes = page_size->step() ? page_size->column_int64(0) : 4096;
  page_size->reset();
  writer.execute("PRAGMA journal_size_limit = " +
                 std::to_string(static_cast<long long>(limits_.restart_pages) * (page_bytes + kWalFrameHeaderBytes)));
}

int SqliteCheckpointer::on_wal_commit(void* self, sqlite3*, const char*, int pages) {
  auto* checkpointer = static_cast<SqliteCheckpointer*>(self);
  const SqliteCheckpointLimits& limits = checkpointer->limits_;
  if (pages >= limits.restart_pages) {
    // Runs inside the writer's COMMIT, like restart_if_due() between groups: the writer's hand-over from one
    // leading thread to the next orders every access, so no lock is needed. A failed attempt is repeated only
    // after more frames, so that a long read does not make every group wait for it.
    const int last_attempt = checkpointer->frames_at_last_restart_attempt_;
    if (pages < last_attempt || pages - last_attempt >= limits.passive_pages) {
      checkpointer->restart_due_ = true;
      checkpointer->restart_pending_.store(true);
    }
  }
  if (pages < limits.passive_pages) return SQLITE_OK;
  const int last = checkpointer->frames_at_last_checkpoint_.load(std::memory_order_relaxed);
  // Fewer frames than at the last checkpoint: the WAL was restarted since.
  if (pages < last || pages - last >= limits.passive_pages) checkpointer->request();
  return SQLITE_OK;
}

void SqliteCheckpointer::restart_if_due(SqliteConnection& writer) noexcept {
  if (!restart_due_) return;
  restart_due_ = false;
  int log_frames = 0;
  int copied_frames = 0;
  // RESTART: copies every frame, then waits (through the busy handler) until no reader uses the WAL, so that the
  // next commit starts it over. The wait is kept short: the writer's next group waits for it.
  std::lock_guard<std::mutex> no_passive_checkpoint(checkpoint_running_);
  const auto previous_timeout = writer.busy_timeout();
  writer.set_busy_timeout(limits_.restart_reader_wait);
  const int result = sqlite3_wal_checkpoint_v2(writer.database().getHandle(), "main", SQLITE_CHECKPOINT_RESTART,
                                               &log_frames, &copied_frames);
  writer.set_busy_timeout(previous_timeout);
  if (result == SQLITE_OK) {
    restart_pending_.store(false);
    frames_at_last_restart_attempt_ = 0;
    frames_at_last_checkpoint_.store(0, std::memory_order_relaxed);
    restarts_.fetch_add(1);
  } else if (log_frames < 0) {
    // It did not run: another checkpoint (the PASSIVE one, another process's) held the checkpoint lock, which
    // SQLite does not wait for. That one ends soon; tried again after the next group.
    restart_due_ = true;
  } else {
    // Busy: a reader stayed on an old snapshot (or another process held the write lock). Tried again once more
    // frames were written, so that a long read does not make every group wait for it; PASSIVE checkpoints go on
    // meanwhile.
    restart_pending_.store(false);
    frames_at_last_restart_attempt_ = log_frames;
  }
}

void SqliteCheckpointer::request() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requested_ = true;
  }
  wake_.notify_one();
}

void SqliteCheckpointer::loop() {
  // After a checkpoint that left frames behind, one more runs when the writes
  // pause, so that the next write can restart the WAL from its beginning.
  constexpr auto kCatchUpDelay = std::chrono::milliseconds(200);
  bool catch_up_pending = false;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      const auto woken = [this] { return stopping_ || requested_; };
      if (catch_up_pending) {
        wake_.wait_for(lock, kCatchUpDelay, woken);
      } else {
        wake_.wait(lock, woken);
      }
      if (stopping_) return;
      requested_ = false;
    }
    catch_up_pending = !checkpoint();
  }
}

bool SqliteCheckpointer::checkpoint() {
  // The writer is about to restart the WAL, which copies these frames too.
  if (restart_pending_.load()) return true;
  std::lock_guard<std::mutex> running(checkpoint_running_);
  int log_frames = 0;
  int copied_frames = 0;
  // PASSIVE: copy what no reader still needs, without waiting for anyone.
  // Failures (e.g. busy) are retried at the next request.
  const int result = sqlite3_wal_checkpoint_v2(connection_->database().getHandle(), "main",
                                               SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied_frames);
  if (result != SQLITE_OK) return false;
  frames_at_last_checkpoint_.store(log_frames, std::memory_order_relaxed);
  return copied_frames == log_frames;
}

}  // namespace mlflowcpp::server::store
