#include "server/store/sqlite_connection.hpp"

#include <sqlite3.h>

namespace mlflowcpp::server::store {

sql::DatabaseError to_database_error(const SQLite::Exception& error) {
  using Kind = sql::DatabaseError::Kind;
  const int extended = error.getExtendedErrorCode();
  if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return sql::DatabaseError(Kind::kUniqueViolation, error.what());
  }
  const int primary = error.getErrorCode() & 0xff;
  if (primary == SQLITE_BUSY) {
    // Reached only once the busy handler has waited out its timeout.
    return sql::DatabaseError(Kind::kRetryable, std::string(error.what()) +
                                                    " (another connection, possibly another process, held the "
                                                    "database lock for the whole wait; try again)");
  }
  if (primary == SQLITE_LOCKED) return sql::DatabaseError(Kind::kRetryable, error.what());
  return sql::DatabaseError(Kind::kOther, error.what());
}

// ---------------------------------------------------------------------------
// SqliteStatement

SqliteStatement::SqliteStatement(SQLite::Database& database, const std::string& sql) try : statement_(database, sql) {
} catch (const SQLite::Exception& error) {
  throw to_database_error(error);
}

void SqliteStatement::bind(int index, int64_t value) {
  try {
    statement_.bind(index, value);
  } catch (const SQLite::Exception& error) {
    throw to_database_error(error);
  }
}

void SqliteStatement::bind(int index, double value) {
  try {
    statement_.bind(index, value);
  } catch (const SQLite::Exception& error) {
    throw to_database_error(error);
  }
}

void SqliteStatement::bind(int index, const std::string& value) {
  try {
    statement_.bind(index, value);
  } catch (const SQLite::Exception& error) {
    throw to_database_error(error);
  }
}

void SqliteStatement::bind_null(int index) {
  try {
    statement_.bind(index);
  } catch (const SQLite::Exception& error) {
    throw to_database_error(error);
  }
}

int64_t SqliteStatement::execute() {
  try {
    // Reset before (it may have been stepped) and after (so that values can be
    // bound for the next run); a reset keeps the values bound.
    statement_.tryReset();
    const int changes = statement_.exec();
    statement_.tryReset();
    return changes;
  } catch (const SQLite::Exception& error) {
    throw to_database_error(error);
  }
}

bool SqliteStatement::step() {
  try {
    return statement_.executeStep();
  } catch (const SQLite::Exception& error) {
    throw to_database_error(error);
  }
}

void SqliteStatement::reset() {
  // tryReset reports the error of the last step, which the caller already saw
  // as an exception; the statement is reusable either way.
  statement_.tryReset();
  try {
    statement_.clearBindings();
  } catch (const SQLite::Exception& error) {
    throw to_database_error(error);
  }
}

bool SqliteStatement::column_is_null(int index) const { return statement_.getColumn(index).isNull(); }

int64_t SqliteStatement::column_int64(int index) const { return statement_.getColumn(index).getInt64(); }

double SqliteStatement::column_double(int index) const { return statement_.getColumn(index).getDouble(); }

std::string SqliteStatement::column_string(int index) const {
  const SQLite::Column column = statement_.getColumn(index);
  if (column.isNull()) return std::string();
  return column.getString();
}

// ---------------------------------------------------------------------------
// SqliteConnection

namespace {
int open_flags(ConnectionMode mode) {
  // NOMUTEX: each connection is confined to one thread at a time by its owner.
  return mode == ConnectionMode::kReadWrite ? (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX)
                                            : (SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX);
}
}  // namespace

SqliteConnection::SqliteConnection(const std::string& path, ConnectionMode mode, int busy_timeout_ms)
    : busy_timeout_(busy_timeout_ms), busy_wait_(busy_timeout_), database_(path, open_flags(mode)) {
  busy_wait_.install(database_.getHandle());
  // The compiled search SQL relies on LIKE being case-sensitive (ILIKE is
  // compiled to LOWER(...) LIKE LOWER(...)).
  database_.exec("PRAGMA case_sensitive_like = ON");
  // A modest page cache per connection (the OS page cache holds the rest): five
  // connections with large caches or memory-mapped files would keep tens of
  // MiB resident for good once a long history or a large search has been read.
  database_.exec("PRAGMA cache_size = -4000");
}

sql::StatementLease SqliteConnection::statement(const std::string& sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    found = statements_.emplace(sql, std::make_unique<SqliteStatement>(database_, sql)).first;
  }
  return sql::StatementLease(*found->second);
}

void SqliteConnection::execute(const std::string& sql) {
  try {
    database_.exec(sql);
  } catch (const SQLite::Exception& error) {
    throw to_database_error(error);
  }
}

void SqliteConnection::trim_statement_cache(std::size_t max_statements) {
  if (statements_.size() > max_statements) statements_.clear();
}

}  // namespace mlflowcpp::server::store
