#pragma once

// A pool of MySQL connections, shaped like SQLAlchemy's QueuePool that
// MLflow uses: up to `pool_size` connections are kept open between uses and
// up to `max_overflow` more are opened under load and closed when returned.

#include "server/store/mysql_connection.hpp"
#include "server/store/store_metrics.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mlflowcpp::server::store::mysql {

struct PoolLimits {
  // MLflow's defaults (SQLAlchemy's): 5 kept, 10 more under load.
  std::size_t pool_size = 5;
  std::size_t max_overflow = 10;
  // How long a caller waits for a connection when all are in use.
  std::chrono::milliseconds acquire_timeout = std::chrono::seconds(30);
};

class MysqlConnectionPool {
 public:
  // A connection on loan; back to the pool (or closed) when the loan ends.
  class Lease {
   public:
    Lease(MysqlConnectionPool& pool, std::unique_ptr<MysqlConnection> connection, bool fresh)
        : pool_(&pool), connection_(std::move(connection)), fresh_(fresh) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    MysqlConnection& operator*() const { return *connection_; }
    MysqlConnection* operator->() const { return connection_.get(); }
    // Opened for this loan rather than taken from the idle ones.
    bool fresh() const { return fresh_; }
    // Closes the connection instead of returning it (it is broken).
    void discard() { discard_ = true; }

   private:
    MysqlConnectionPool* pool_;
    std::unique_ptr<MysqlConnection> connection_;
    bool fresh_;
    bool discard_ = false;
  };

  // `metrics` (may be null) hears of the connections in use and idle after every change.
  MysqlConnectionPool(MysqlConnectOptions connect, PoolLimits limits, std::shared_ptr<StoreMetrics> metrics = nullptr);
  MysqlConnectionPool(const MysqlConnectionPool&) = delete;
  MysqlConnectionPool& operator=(const MysqlConnectionPool&) = delete;

  // An idle connection, or a new one while under the limit; waits up to
  // acquire_timeout otherwise. Throws sql::DatabaseError (kUnavailable) when
  // no connection can be had.
  Lease acquire();

  // Closes every idle connection: one was found dead, and a server restart
  // or failover kills them all.
  void close_idle();

  const PoolLimits& limits() const { return limits_; }

 private:
  void give_back(std::unique_ptr<MysqlConnection> connection, bool discard);
  // With the mutex held.
  void report_connections();

  const MysqlConnectOptions connect_;
  const PoolLimits limits_;
  const std::shared_ptr<StoreMetrics> metrics_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<MysqlConnection>> idle_;
  std::size_t open_ = 0;  // idle and on loan
};

}  // namespace mlflowcpp::server::store::mysql
