#include "server/store/sqlite_read_pool.hpp"

#include <sqlite3.h>

namespace mlflowcpp::server::store {

SqliteReadPool::SqliteReadPool(const std::string& path, size_t size, int busy_timeout_ms) {
  for (size_t i = 0; i < size; ++i) {
    idle_.push_back(std::make_unique<SqliteConnection>(path, ConnectionMode::kReadOnly, busy_timeout_ms));
  }
}

SqliteReadPool::Lease::~Lease() {
  if (connection_) pool_->release(std::move(connection_));
}

SqliteReadPool::Lease SqliteReadPool::acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  available_.wait(lock, [this] { return !idle_.empty(); });
  auto connection = std::move(idle_.back());
  idle_.pop_back();
  return Lease(*this, std::move(connection));
}

void SqliteReadPool::release_idle_cached_pages() {
  // Under the lock, so none of them can be lent out meanwhile; an acquire() waits the few microseconds this takes.
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& connection : idle_) sqlite3_db_release_memory(connection->database().getHandle());
}

void SqliteReadPool::release(std::unique_ptr<SqliteConnection> connection) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  available_.notify_one();
}

}  // namespace mlflowcpp::server::store
