#pragma once

// One MySQL / MariaDB connection (libmariadb) behind the SQL layer: statements
// are prepared on the server once per connection ('?' placeholders are
// native), parameters and results travel in the binary protocol.

#include "server/store/mysql_uri.hpp"
#include "server/store/sql_database.hpp"

#include <mysql.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace mlflowcpp::server::store::mysql {

struct MysqlCloser {
  void operator()(MYSQL* connection) const { mysql_close(connection); }
};
struct MysqlStatementCloser {
  void operator()(MYSQL_STMT* statement) const { mysql_stmt_close(statement); }
};

// The DatabaseError kind of a MySQL error number: 1062 (duplicate key) a
// unique violation; 1213 (deadlock) and 1205 (lock wait timeout) retryable;
// a lost or refused connection (2002, 2003, 2006, 2013, ...) unavailable.
sql::DatabaseError::Kind kind_of_error(unsigned int error_number);

class MysqlStatement final : public sql::Statement {
 public:
  // Prepares `sql` on `connection`; `on_error` hears of every error number
  // (the connection notes that it is broken). Throws sql::DatabaseError.
  MysqlStatement(MYSQL* connection, const std::string& sql, std::function<void(unsigned int)> on_error);

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
  // How a result column is fetched: integers and floating point natively,
  // everything else (text, decimals, dates) as text.
  enum class ColumnKind { kInteger, kDouble, kText };
  struct Parameter {
    enum class Type { kNull, kInteger, kDouble, kText } type = Type::kNull;
    long long integer = 0;
    double real = 0;
    std::string text;
    unsigned long length = 0;
  };
  struct ResultColumn {
    ColumnKind kind = ColumnKind::kText;
    long long integer = 0;
    double real = 0;
    std::string text;  // sized to the value after a fetch
    unsigned long length = 0;
    my_bool is_null = 0;
    my_bool error = 0;
  };

  Parameter& parameter(int index);
  void run();
  void bind_results();
  [[noreturn]] void fail(const std::string& what);
  const ResultColumn& checked_column(int index) const;

  MYSQL* connection_;
  std::string sql_;  // for messages
  std::function<void(unsigned int)> on_error_;
  std::unique_ptr<MYSQL_STMT, MysqlStatementCloser> statement_;
  std::vector<Parameter> parameters_;
  std::vector<ResultColumn> columns_;
  std::vector<MYSQL_BIND> column_binds_;
  bool executed_ = false;
  bool has_row_ = false;
};

class MysqlConnection final : public sql::Connection {
 public:
  // Connects (utf8mb4 unless the URI says otherwise; ANSI_QUOTES, so the
  // "quoted" identifiers of the search compiler read as identifiers;
  // NO_AUTO_VALUE_ON_ZERO, so experiment id 0 can be written; affected
  // rows count the rows matched, as in SQLite and PostgreSQL). Throws
  // sql::DatabaseError (kUnavailable) when the server cannot be reached or
  // refuses us.
  explicit MysqlConnection(const MysqlConnectOptions& options);

  sql::Dialect dialect() const override { return sql::Dialect::kMysql; }
  sql::StatementLease statement(const std::string& sql) override;
  // Runs one or more ';'-separated statements.
  void execute(const std::string& sql) override;

  // The connection was lost (the server went away, restarted or closed it
  // after wait_timeout); it cannot be used again.
  bool is_broken() const { return broken_; }
  // Closes every prepared statement once there are more than a bound: search
  // filters make new SQL texts without end, and the server limits prepared
  // statements (max_prepared_stmt_count) across all connections. Call it only
  // when no statement is on loan (between transactions).
  void limit_prepared_statements();

 private:
  void note_error(unsigned int error_number);

  std::unique_ptr<MYSQL, MysqlCloser> connection_;
  std::unordered_map<std::string, std::unique_ptr<MysqlStatement>> statements_;
  bool broken_ = false;
};

}  // namespace mlflowcpp::server::store::mysql
