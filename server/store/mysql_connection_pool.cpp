#include "server/store/mysql_connection_pool.hpp"

namespace mlflowcpp::server::store::mysql {

MysqlConnectionPool::Lease::~Lease() {
  if (connection_) pool_->give_back(std::move(connection_), discard_ || connection_->is_broken());
}

MysqlConnectionPool::MysqlConnectionPool(MysqlConnectOptions connect, PoolLimits limits,
                                         std::shared_ptr<StoreMetrics> metrics)
    : connect_(std::move(connect)), limits_(limits), metrics_(std::move(metrics)) {}

void MysqlConnectionPool::report_connections() {
  // A connection being opened counts as in use: it is reserved for the caller opening it.
  if (metrics_) metrics_->pool_connections(open_ - idle_.size(), idle_.size());
}

MysqlConnectionPool::Lease MysqlConnectionPool::acquire() {
  const std::size_t max_open = limits_.pool_size + limits_.max_overflow;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    const bool available =
        returned_.wait_for(lock, limits_.acquire_timeout, [&] { return !idle_.empty() || open_ < max_open; });
    if (!available) {
      throw sql::DatabaseError(sql::DatabaseError::Kind::kUnavailable,
                               "no MySQL connection free after " + std::to_string(limits_.acquire_timeout.count()) +
                                   " ms (all " + std::to_string(max_open) +
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
    return Lease(*this, std::make_unique<MysqlConnection>(connect_), true);
  } catch (...) {
    std::lock_guard<std::mutex> lock(mutex_);
    --open_;
    report_connections();
    returned_.notify_one();
    throw;
  }
}

void MysqlConnectionPool::give_back(std::unique_ptr<MysqlConnection> connection, bool discard) {
  std::unique_ptr<MysqlConnection> closing;  // closed outside the lock
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

void MysqlConnectionPool::close_idle() {
  std::vector<std::unique_ptr<MysqlConnection>> closing;  // closed outside the lock
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing.swap(idle_);
    open_ -= closing.size();
    report_connections();
  }
  returned_.notify_all();
}

}  // namespace mlflowcpp::server::store::mysql
