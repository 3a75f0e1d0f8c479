#pragma once

// The small SQL layer the stores are written against, so one store
// implementation serves SQLite and PostgreSQL. What differs between the two
// databases lives in the implementations of these interfaces
// (sqlite_database.*, postgres_database.*) and in `dialect()`, which the few
// dialect-specific SQL strings (and the search compiler) branch on.
//
// SQL text uses '?' placeholders for both databases; the PostgreSQL
// implementation numbers them ($1, $2, ...) when it prepares a statement.

#include "server/search/search.hpp"
#include "server/store/schema_generation.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mlflowcpp::server::store::sql {

using search::Dialect;

// A database failure, classified so a store can answer a user-visible
// condition (a duplicate name) correctly and a Database can retry what is
// worth retrying.
class DatabaseError : public std::runtime_error {
 public:
  enum class Kind {
    kUniqueViolation,  // a UNIQUE or PRIMARY KEY constraint refused a row
    kRetryable,        // serialization failure, deadlock, lock timeout: the transaction may be run again
    kUnavailable,      // the database cannot be reached (connection refused or lost)
    kOther,
  };
  DatabaseError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

class Statement;

// One column of the current result row of a statement.
class Column {
 public:
  Column(const Statement& statement, int index) : statement_(statement), index_(index) {}
  bool is_null() const;
  int64_t as_int64() const;  // a boolean column reads as 0 or 1
  int as_int() const { return static_cast<int>(as_int64()); }
  double as_double() const;
  std::string as_string() const;  // NULL reads as ""

 private:
  const Statement& statement_;
  int index_;
};

// A prepared statement. Placeholders are numbered from 1, columns from 0.
class Statement {
 public:
  virtual ~Statement() = default;

  virtual void bind(int index, int64_t value) = 0;
  virtual void bind(int index, double value) = 0;
  virtual void bind(int index, const std::string& value) = 0;
  virtual void bind_null(int index) = 0;
  void bind(int index, int value) { bind(index, static_cast<int64_t>(value)); }
  void bind(int index, bool value) { bind(index, static_cast<int64_t>(value ? 1 : 0)); }
  void bind(int index, const char* value) { bind(index, std::string(value)); }

  // Runs a statement that returns no rows; the number of rows it changed.
  virtual int64_t execute() = 0;
  // Runs the statement on the first call, then moves to the next result row;
  // false when there is none.
  virtual bool step() = 0;
  Column column(int index) const { return Column(*this, index); }

  // Back to the unexecuted state with no values bound.
  virtual void reset() = 0;

  // Column access for Column; valid while step() last returned true.
  virtual bool column_is_null(int index) const = 0;
  virtual int64_t column_int64(int index) const = 0;
  virtual double column_double(int index) const = 0;
  virtual std::string column_string(int index) const = 0;
};

inline bool Column::is_null() const { return statement_.column_is_null(index_); }
inline int64_t Column::as_int64() const { return statement_.column_int64(index_); }
inline double Column::as_double() const { return statement_.column_double(index_); }
inline std::string Column::as_string() const { return statement_.column_string(index_); }

// A cached statement on loan: reset when the loan ends, so the next user
// starts clean even after an exception in the middle of a step loop.
class StatementLease {
 public:
  explicit StatementLease(Statement& statement) : statement_(&statement) {}
  StatementLease(const StatementLease&) = delete;
  StatementLease& operator=(const StatementLease&) = delete;
  StatementLease(StatementLease&& other) noexcept : statement_(other.statement_) { other.statement_ = nullptr; }
  StatementLease& operator=(StatementLease&&) = delete;
  ~StatementLease() {
    if (statement_ == nullptr) return;
    try {
      statement_->reset();
    } catch (...) {  // a failed reset leaves the statement to be re-prepared by its next user
    }
  }

  Statement* operator->() const { return statement_; }
  Statement& operator*() const { return *statement_; }

 private:
  Statement* statement_;
};

// One connection, used by one thread at a time (whoever runs the current job).
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // The prepared form of `sql`, prepared once per connection and cached.
  virtual StatementLease statement(const std::string& sql) = 0;
  // Runs SQL without placeholders or results (DDL, one-off commands).
  virtual void execute(const std::string& sql) = 0;
};

// Binds a compiled search query's values to its placeholders, in order.
void bind_values(Statement& statement, const std::vector<search::SqlValue>& values);

// Where the stores' transactions run: a pool of connections (or SQLite's one
// writer and its readers) and the transaction discipline of one database.
class Database {
 public:
  using Job = std::function<void(Connection&)>;
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  // Which MLflow schema the database holds (fixed while it is open).
  virtual SchemaGeneration schema_generation() const = 0;

  // Runs `job` in a write transaction and returns once it is committed.
  // Rethrows what the job threw (its writes are then rolled back). A job may
  // run more than once (after a serialization failure or deadlock), so it must
  // only touch the connection and assign its results.
  virtual void write(const Job& job) = 0;
  // Runs `job` in a read-only transaction: every query sees one snapshot.
  virtual void read(const Job& job) = 0;

  // Put after `FROM metrics` in the queries reading one (run, key) metric series: names the index for them
  // (mlflowcpp_index_metrics_run_uuid_key_step) where this database's planner would not pick it by itself; empty
  // where it would, or where the index is missing.
  virtual std::string metric_series_index_hint() const { return {}; }

  // The server has gone quiet: memory kept only to make the next calls faster (page caches of idle connections) may
  // go back. A connection in use is never waited for or touched; it keeps what it holds. Thread-safe.
  virtual void release_idle_memory() {}
};

}  // namespace mlflowcpp::server::store::sql
