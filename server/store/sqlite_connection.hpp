#pragma once

// The SQLite implementation of the SQL layer's Connection and Statement
// (sql_database.hpp): one SQLite connection with its own cache of prepared
// statements. A connection is used by one thread at a time (the thread running
// the current write group, or the reader that leased it from the pool), so the
// cache needs no locking.
//
// Every SQLite failure leaves these classes as a sql::DatabaseError, so the
// stores never see a SQLite exception.

#include "server/store/sql_database.hpp"
#include "server/store/sqlite_busy_wait.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

namespace mlflowcpp::server::store {

// The SQL layer's classification of a SQLite failure: a UNIQUE or PRIMARY KEY
// constraint is kUniqueViolation, a busy or locked database kRetryable, the
// rest kOther.
sql::DatabaseError to_database_error(const SQLite::Exception& error);

// A prepared SQLite statement behind the SQL layer's Statement.
class SqliteStatement final : public sql::Statement {
 public:
  SqliteStatement(SQLite::Database& database, const std::string& sql);

  void bind(int index, int64_t value) override;
  void bind(int index, double value) override;
  void bind(int index, const std::string& value) override;
  void bind_null(int index) override;
  using sql::Statement::bind;

  int64_t execute() override;
  bool step() override;
  void reset() override;

  bool column_is_null(int index) const override;
  int64_t column_int64(int index) const override;
  double column_double(int index) const override;
  std::string column_string(int index) const override;

 private:
  SQLite::Statement statement_;
};

enum class ConnectionMode { kReadWrite, kReadOnly };

class SqliteConnection final : public sql::Connection {
 public:
  // Opens `path`; kReadWrite creates the file when absent. Sets what every
  // connection needs: waiting up to `busy_timeout_ms` for a lock another
  // connection holds (SqliteBusyWait), case-sensitive LIKE for the search SQL.
  SqliteConnection(const std::string& path, ConnectionMode mode, int busy_timeout_ms);

  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }
  // The prepared form of `sql`, prepared once per connection.
  sql::StatementLease statement(const std::string& sql) override;
  // Runs SQL without results (DDL, pragmas, transaction control).
  void execute(const std::string& sql) override;

  // Drops every cached statement once the cache holds more than
  // `max_statements`. Search SQL differs with the shape of each filter, so the
  // cache would otherwise grow without bound. Only to be called while no
  // statement is on loan (between transactions).
  void trim_statement_cache(std::size_t max_statements);

  // How long a statement waits for a lock another connection holds.
  std::chrono::milliseconds busy_timeout() const { return busy_timeout_; }
  void set_busy_timeout(std::chrono::milliseconds timeout) {
    busy_timeout_ = timeout;
    busy_wait_.set_timeout(timeout);
  }

  // The SQLite handle, for what the SQL layer does not cover (WAL hook,
  // autocommit state, read-only check).
  SQLite::Database& database() { return database_; }

 private:
  std::chrono::milliseconds busy_timeout_;
  SqliteBusyWait busy_wait_;  // before database_: outlives every use the connection makes of it
  SQLite::Database database_;
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>> statements_;
};

}  // namespace mlflowcpp::server::store
