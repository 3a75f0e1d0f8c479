#include "server/store/sqlite_checkpointer.hpp"

#include "server/store/sqlite_connection.hpp"

#include <sqlite3.h>

#include <chrono>

namespace mlflowcpp::server::store {
namespace {

// How long the last checkpoint waits for other connections (another process's) to let it through.
constexpr int kFinalCheckpointWaitMs = 1000;

}  // namespace

SqliteCheckpointer::SqliteCheckpointer(const std::string& path, int busy_timeout_ms, int pages_threshold)
    : connection_(std::make_unique<SqliteConnection>(path, ConnectionMode::kReadWrite, busy_timeout_ms)),
      pages_threshold_(pages_threshold),
      thread_([this] { loop(); }) {}

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
}

int SqliteCheckpointer::on_wal_commit(void* self, sqlite3*, const char*, int pages) {
  auto* checkpointer = static_cast<SqliteCheckpointer*>(self);
  const int threshold = checkpointer->pages_threshold_;
  if (pages < threshold) return SQLITE_OK;
  const int last = checkpointer->frames_at_last_checkpoint_.load(std::memory_order_relaxed);
  // Fewer frames than at the last checkpoint: the WAL was restarted since.
  if (pages < last || pages - last >= threshold) checkpointer->request();
  return SQLITE_OK;
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
