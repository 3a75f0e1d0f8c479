#pragma once

// One SQLite connection with its own cache of prepared statements.
// A connection is used by one thread at a time (the writer thread, or the
// reader that leased it from the pool), so the cache needs no locking.

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <string>
#include <unordered_map>

namespace mlflowcpp::server::store {

// A cached statement on loan: reset and unbound when the loan ends, so the next
// user starts clean even after an exception in the middle of a step loop.
class StatementLease {
 public:
  explicit StatementLease(SQLite::Statement& statement) : statement_(&statement) {}
  StatementLease(const StatementLease&) = delete;
  StatementLease& operator=(const StatementLease&) = delete;
  StatementLease(StatementLease&& other) noexcept : statement_(other.statement_) { other.statement_ = nullptr; }
  StatementLease& operator=(StatementLease&&) = delete;
  ~StatementLease();

  SQLite::Statement* operator->() const { return statement_; }
  SQLite::Statement& operator*() const { return *statement_; }

 private:
  SQLite::Statement* statement_;
};

enum class ConnectionMode { kReadWrite, kReadOnly };

class SqliteConnection {
 public:
  // Opens `path`; kReadWrite creates the file when absent. Sets the pragmas every
  // connection needs (busy timeout, case-sensitive LIKE for the search SQL).
  SqliteConnection(const std::string& path, ConnectionMode mode, int busy_timeout_ms);

  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  SQLite::Database& database() { return database_; }

  // The prepared form of `sql`, prepared once per connection.
  StatementLease statement(const std::string& sql);

  // Runs SQL without results (DDL, pragmas, transaction control).
  void exec(const std::string& sql) { database_.exec(sql); }

 private:
  SQLite::Database database_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
};

// A read transaction on a connection: every query inside sees one snapshot.
// Ends (COMMIT; a read has nothing to lose) when the scope ends.
class ReadTransaction {
 public:
  explicit ReadTransaction(SqliteConnection& connection);
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;
  ~ReadTransaction();

 private:
  SqliteConnection& connection_;
};

}  // namespace mlflowcpp::server::store
