#pragma once

// A small pool of read-only connections. In WAL mode readers run beside the
// writer and see the last commit made before their transaction began.

#include "server/store/sqlite_connection.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mlflowcpp::server::store {

class SqliteReadPool {
 public:
  SqliteReadPool(const std::string& path, size_t size, int busy_timeout_ms);
  SqliteReadPool(const SqliteReadPool&) = delete;
  SqliteReadPool& operator=(const SqliteReadPool&) = delete;

  // A connection on loan; returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(SqliteReadPool& pool, std::unique_ptr<SqliteConnection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();

    SqliteConnection& operator*() const { return *connection_; }
    SqliteConnection* operator->() const { return connection_.get(); }

   private:
    SqliteReadPool* pool_;
    std::unique_ptr<SqliteConnection> connection_;
  };

  // Waits while every connection is on loan.
  Lease acquire();

  // Gives back the page cache of every connection not on loan; those on loan are not touched.
  void release_idle_cached_pages();

 private:
  void release(std::unique_ptr<SqliteConnection> connection);

  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;
};

}  // namespace mlflowcpp::server::store
