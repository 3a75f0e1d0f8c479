#include "server/store/sqlite_connection.hpp"

namespace mlflowcpp::server::store {

StatementLease::~StatementLease() {
  if (statement_ == nullptr) return;
  // tryReset reports the error of the last step, which the caller already saw
  // as an exception; the statement is reusable either way.
  statement_->tryReset();
  try {
    statement_->clearBindings();
  } catch (...) {
    // clear_bindings cannot fail on a valid statement; never throw from a destructor.
  }
}

namespace {
int open_flags(ConnectionMode mode) {
  // NOMUTEX: each connection is confined to one thread at a time by its owner.
  return mode == ConnectionMode::kReadWrite ? (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX)
                                            : (SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX);
}
}  // namespace

SqliteConnection::SqliteConnection(const std::string& path, ConnectionMode mode, int busy_timeout_ms)
    : database_(path, open_flags(mode), busy_timeout_ms) {
  // The compiled search SQL relies on LIKE being case-sensitive (ILIKE is
  // compiled to LOWER(...) LIKE LOWER(...)).
  database_.exec("PRAGMA case_sensitive_like = ON");
  // A modest page cache per connection (the OS page cache holds the rest): five
  // connections with large caches or memory-mapped files would keep tens of
  // MiB resident for good once a long history or a large search has been read.
  database_.exec("PRAGMA cache_size = -4000");
}

StatementLease SqliteConnection::statement(const std::string& sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    found = statements_.emplace(sql, std::make_unique<SQLite::Statement>(database_, sql)).first;
  }
  return StatementLease(*found->second);
}

ReadTransaction::ReadTransaction(SqliteConnection& connection) : connection_(connection) {
  connection_.statement("BEGIN")->exec();
}

ReadTransaction::~ReadTransaction() {
  try {
    connection_.statement("COMMIT")->exec();
  } catch (...) {
    // A read-only transaction cannot fail to end in a way the caller could act on.
  }
}

}  // namespace mlflowcpp::server::store
