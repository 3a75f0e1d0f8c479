#pragma once

// One libpq connection behind the SQL layer: statements are prepared once per
// connection under generated names, parameters and results travel as text.

#include "server/store/sql_database.hpp"

#include <libpq-fe.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace mlflowcpp::server::store::postgres {

struct PGconnCloser {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct PGresultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultHandle = std::unique_ptr<PGresult, PGresultClearer>;

// The DatabaseError for a failed libpq call: the SQLSTATE decides the kind
// (23505 unique violation; 40001, 40P01, 55P03 retryable; class 08, 57P0x
// and a lost connection unavailable). `result` may be null.
sql::DatabaseError postgres_error(PGconn* connection, const PGresult* result, const std::string& what);

// A statement prepared on the server once per combination of parameter
// types it is executed with: integers go as int8 and doubles as float8 (so
// `bigint_column > 1.5` compares numbers, as in SQLite), strings and NULLs
// untyped, for the server to infer from their place (a varchar, a boolean
// via `(? <> 0)`, a json via CAST). Values travel as text.
class PostgresStatement final : public sql::Statement {
 public:
  // `next_name` gives a name unique on the connection for each preparation.
  PostgresStatement(PGconn* connection, std::string sql, std::function<std::string()> next_name);

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
  void set_parameter(int index, std::string text, Oid type);
  // The server-side name of this statement prepared for the current types.
  const std::string& prepared_name();
  void run();
  void check_column(int index) const;

  PGconn* connection_;
  std::string sql_;       // as written, for messages
  std::string numbered_;  // with $1, $2, ...
  std::function<std::string()> next_name_;
  std::map<std::vector<Oid>, std::string> prepared_;  // parameter types -> name
  // Unbound parameters are NULL, as in SQLite.
  std::vector<std::string> values_;
  std::vector<bool> bound_;
  std::vector<Oid> types_;
  ResultHandle result_;
  int row_ = -1;
};

class PostgresConnection final : public sql::Connection {
 public:
  // Connects with a libpq connection string or URI; throws sql::DatabaseError
  // (kUnavailable) when the server cannot be reached or refuses us.
  explicit PostgresConnection(const std::string& conninfo);

  sql::Dialect dialect() const override { return sql::Dialect::kPostgres; }
  sql::StatementLease statement(const std::string& sql) override;
  void execute(const std::string& sql) override;

  // The connection was lost (the server went away or killed the session).
  bool is_broken() const;
  // Forgets every prepared statement once there are more than a bound: search
  // filters make new SQL texts without end. Call it only when no statement is
  // on loan (between transactions).
  void limit_prepared_statements();

 private:
  std::unique_ptr<PGconn, PGconnCloser> connection_;
  std::unordered_map<std::string, std::unique_ptr<PostgresStatement>> statements_;
  int64_t statements_prepared_ = 0;  // names statements uniquely on this connection
};

}  // namespace mlflowcpp::server::store::postgres
