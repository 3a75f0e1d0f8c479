#pragma once

// What the stores report about their database work, for the operations
// metrics (`--expose-prometheus`). The stores only call this interface; what
// is kept and how it is shown belongs to whoever passes an implementation in
// (through BackendStoreOptions). Every default is a no-op, and a store given
// none calls nothing at all.
//
// Calls come from request threads, often under a store's own lock (the SQLite
// writer's queue, the PostgreSQL pool), so an implementation must be cheap and
// must not block: atomics, no locks.

#include <chrono>
#include <cstddef>

namespace mlflowcpp::server::store {

// The kinds of database calls the stores make: one sql::Database::read or write job each.
enum class DatabaseCall { kRead, kWrite };

class StoreMetrics {
 public:
  virtual ~StoreMetrics() = default;

  // One read or write job ran (including the wait for a connection or for the writer, and the commit).
  virtual void database_call(DatabaseCall /*call*/, std::chrono::steady_clock::duration /*duration*/) {}

  // SQLite: a write job started (+1) or stopped (-1) waiting in the writer's queue behind the running group.
  virtual void writer_queue_changed(int /*delta*/) {}
  // SQLite: the writer ran one transaction for this many write jobs.
  virtual void group_committed(std::size_t /*jobs*/) {}

  // PostgreSQL: the pool's connections after a change (on loan, and open but idle).
  virtual void pool_connections(std::size_t /*in_use*/, std::size_t /*idle*/) {}
};

}  // namespace mlflowcpp::server::store
