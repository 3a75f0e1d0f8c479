#pragma once

// A pool of client connections to a database server (PostgreSQL, MySQL),
// shaped like SQLAlchemy's QueuePool that MLflow uses: up to `pool_size`
// connections are kept open between uses and up to `max_overflow` more are
// opened under load and closed when returned.
//
// `Connection` is an sql::Connection with `bool is_broken() const` (the
// connection was lost and must not be used again) and
// `limit_prepared_statements()`; the pool opens new ones through a factory.

#include "server/store/sql_database.hpp"
#include "server/store/store_metrics.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace mlflowcpp::server::store {

struct PoolLimits {
  // MLflow's defaults (SQLAlchemy's): 5 kept, 10 more under load.
  std::size_t pool_size = 5;
  std::size_t max_overflow = 10;
  // How long a caller waits for a connection when all are in use.
  std::chrono::milliseconds acquire_timeout = std::chrono::seconds(30);
};

template <typename Connection>
class ConnectionPool {
 public:
  // Opens a connection; throws sql::DatabaseError when it cannot.
  using Connect = std::function<std::unique_ptr<Connection>()>;

  // A connection on loan; back to the pool (or closed) when the loan ends.
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection, bool fresh)
        : pool_(&pool), connection_(std::move(connection)), fresh_(fresh) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      if (connection_) pool_->give_back(std::move(connection_), discard_ || connection_->is_broken());
    }

    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }
    // Opened for this loan rather than taken from the idle ones.
    bool fresh() const { return fresh_; }
    // Closes the connection instead of returning it (it is broken).
    void discard() { discard_ = true; }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> connection_;
    bool fresh_;
    bool discard_ = false;
  };

  // `database_name` ("PostgreSQL") names the database in errors; `metrics` (may be null) hears of the connections
  // in use and idle after every change.
  ConnectionPool(std::string database_name, Connect connect, PoolLimits limits,
                 std::shared_ptr<StoreMetrics> metrics = nullptr)
      : database_name_(std::move(database_name)),
        connect_(std::move(connect)),
        limits_(limits),
        metrics_(std::move(metrics)) {}
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // An idle connection, or a new one while under the limit; waits up to
  // acquire_timeout otherwise. Throws sql::DatabaseError (kUnavailable) when
  // no connection can be had.
  Lease acquire() {
    const std::size_t max_open = limits_.pool_size + limits_.max_overflow;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      const bool available =
          returned_.wait_for(lock, limits_.acquire_timeout, [&] { return !idle_.empty() || open_ < max_open; });
      if (!available) {
        throw sql::DatabaseError(sql::DatabaseError::Kind::kUnavailable,
                                 "no " + database_name_ + " connection free after " +
                                     std::to_string(limits_.acquire_timeout.count()) + " ms (all " +
                                     std::to_string(max_open) +
                                     " in use; raise MLFLOW_SQLALCHEMYSTORE_POOL_SIZE or _MAX_OVERFLOW)");
      }
      if (!idle_.empty()) {
        auto connection = std::move(idle_.back());
        idle_.pop_back();
        report_connections();
        return Lease(*this, std::move(connection), false);
      }
      ++open_;  // reserved while connecting, outside the lock
      report_connections();
    }
    try {
      return Lease(*this, connect_(), true);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      --open_;
      report_connections();
      returned_.notify_one();
      throw;
    }
  }

  // Closes every idle connection: one was found dead, and a server restart
  // or failover kills them all.
  void close_idle() {
    std::vector<std::unique_ptr<Connection>> closing;  // closed outside the lock
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closing.swap(idle_);
      open_ -= closing.size();
      report_connections();
    }
    returned_.notify_all();
  }

  const PoolLimits& limits() const { return limits_; }

  // Runs `job` on a pooled connection between `begin` and COMMIT, up to
  // `max_attempts` times: again after a retryable failure (deadlock,
  // serialization, lock wait timeout; after a short random backoff) and after
  // a pooled connection found dead before the job started (the server closed it
  // while it sat idle: a restart, a timeout; the other idle ones are closed
  // too). Anything else, or the last attempt's failure, is rethrown after a
  // rollback.
  void run_transaction(const char* begin, const sql::Database::Job& job, int max_attempts) {
    for (int attempt = 1;; ++attempt) {
      Lease connection = acquire();
      bool job_started = false;
      try {
        connection->limit_prepared_statements();
        connection->execute(begin);
        job_started = true;
        job(*connection);
        connection->execute("COMMIT");
        return;
      } catch (const sql::DatabaseError& error) {
        end_failed(connection);
        const bool stale =
            error.kind() == sql::DatabaseError::Kind::kUnavailable && !job_started && !connection.fresh();
        const bool retry = stale || error.kind() == sql::DatabaseError::Kind::kRetryable;
        if (!retry || attempt >= max_attempts) throw;
        if (stale) {
          close_idle();
        } else {
          std::this_thread::sleep_for(backoff(attempt));
        }
      } catch (...) {
        end_failed(connection);
        throw;
      }
    }
  }

 private:
  // A failed transaction: rolled back, or the connection discarded when it is broken.
  static void end_failed(Lease& connection) {
    if (connection->is_broken()) {
      connection.discard();
      return;
    }
    try {
      connection->execute("ROLLBACK");
    } catch (...) {  // a connection that cannot roll back is broken: its lease discards it
    }
  }

  std::chrono::milliseconds backoff(int attempt) {
    // Exponential from 2 ms to 256 ms, times a random factor in [0.5, 1.5):
    // jobs that collided once must not collide again in lockstep.
    const int base = 2 << std::min(attempt - 1, 7);
    std::lock_guard<std::mutex> lock(random_mutex_);
    std::uniform_int_distribution<int> jitter(base / 2, base + base / 2);
    return std::chrono::milliseconds(jitter(random_));
  }

  void give_back(std::unique_ptr<Connection> connection, bool discard) {
    std::unique_ptr<Connection> closing;  // closed outside the lock
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (discard || idle_.size() >= limits_.pool_size) {
        closing = std::move(connection);
        --open_;
      } else {
        idle_.push_back(std::move(connection));
      }
      report_connections();
    }
    returned_.notify_one();
  }

  // With the mutex held. A connection being opened counts as in use: it is reserved for the caller opening it.
  void report_connections() {
    if (metrics_) metrics_->pool_connections(open_ - idle_.size(), idle_.size());
  }

  const std::string database_name_;
  const Connect connect_;
  const PoolLimits limits_;
  const std::shared_ptr<StoreMetrics> metrics_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;  // idle and on loan
  std::mutex random_mutex_;
  std::minstd_rand random_{std::random_device{}()};
};

}  // namespace mlflowcpp::server::store
