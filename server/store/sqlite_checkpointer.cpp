#include "server/store/sqlite_checkpointer.hpp"

#include "server/store/sqlite_connection.hpp"

#include <sqlite3.h>

namespace mlflowcpp::server::store {

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
}

void SqliteCheckpointer::attach(SqliteConnection& writer) {
  // Replaces SQLite's own auto-checkpoint hook on this connection.
  sqlite3_wal_hook(writer.database().getHandle(), &SqliteCheckpointer::on_wal_commit, this);
}

int SqliteCheckpointer::on_wal_commit(void* self, sqlite3*, const char*, int pages) {
  auto* checkpointer = static_cast<SqliteCheckpointer*>(self);
  if (pages >= checkpointer->pages_threshold_) checkpointer->request();
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
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || requested_; });
      if (stopping_) return;
      requested_ = false;
    }
    // PASSIVE: copy what no reader still needs, without waiting for anyone.
    // Failures (e.g. busy) are retried at the next request.
    sqlite3_wal_checkpoint_v2(connection_->database().getHandle(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr,
                              nullptr);
  }
}

}  // namespace mlflowcpp::server::store
