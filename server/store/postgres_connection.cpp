#include "server/store/postgres_connection.hpp"

#include "server/store/postgres_sql_text.hpp"

#include <cstdlib>

namespace mlflowcpp::server::store::postgres {

namespace {

constexpr size_t kMaxPreparedStatements = 1000;

sql::DatabaseError::Kind kind_of_sqlstate(const std::string& state) {
  using Kind = sql::DatabaseError::Kind;
  if (state == "23505") return Kind::kUniqueViolation;
  // serialization_failure, deadlock_detected, lock_not_available
  if (state == "40001" || state == "40P01" || state == "55P03") return Kind::kRetryable;
  // connection_exception; admin_shutdown, crash_shutdown, cannot_connect_now
  if (state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03") {
    return Kind::kUnavailable;
  }
  return Kind::kOther;
}

// libpq messages end with a newline (and may span lines); one line reads better in logs.
std::string one_line(const char* message) {
  std::string text = message == nullptr ? "" : message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  return text;
}

bool is_ok(const PGresult* result) {
  const auto status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

void ignore_notice(void*, const char*) {}

// SQL in a message: enough to recognise the statement.
std::string abbreviated(const std::string& sql) { return sql.size() > 200 ? sql.substr(0, 200) + "..." : sql; }

}  // namespace

sql::DatabaseError postgres_error(PGconn* connection, const PGresult* result, const std::string& what) {
  const char* state = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
  std::string message = result == nullptr ? one_line(PQerrorMessage(connection))
                                           : one_line(PQresultErrorMessage(result));
  if (message.empty()) message = one_line(PQerrorMessage(connection));
  auto kind = state == nullptr ? sql::DatabaseError::Kind::kOther : kind_of_sqlstate(state);
  // No SQLSTATE and a dead connection: the server is gone, whatever was asked.
  if (PQstatus(connection) != CONNECTION_OK) kind = sql::DatabaseError::Kind::kUnavailable;
  std::string text = "PostgreSQL: " + what + ": " + message;
  if (state != nullptr) text += std::string(" (SQLSTATE ") + state + ")";
  return sql::DatabaseError(kind, text);
}

// --- PostgresStatement

namespace {
// pg_type OIDs (catalog/pg_type_d.h, stable across versions); 0 lets the server infer.
constexpr Oid kInferredType = 0;
constexpr Oid kInt8Type = 20;
constexpr Oid kFloat8Type = 701;
}  // namespace

PostgresStatement::PostgresStatement(PGconn* connection, std::string sql, std::function<std::string()> next_name)
    : connection_(connection), sql_(std::move(sql)), next_name_(std::move(next_name)) {
  NumberedSql numbered = number_placeholders(sql_);
  numbered_ = std::move(numbered.sql);
  const auto count = static_cast<size_t>(numbered.parameter_count);
  values_.resize(count);
  bound_.resize(count, false);
  types_.resize(count, kInferredType);
}

void PostgresStatement::set_parameter(int index, std::string text, Oid type) {
  if (index < 1 || static_cast<size_t>(index) > values_.size()) {
    throw sql::DatabaseError(sql::DatabaseError::Kind::kOther,
                             "PostgreSQL: parameter " + std::to_string(index) + " out of range (statement has " +
                                 std::to_string(values_.size()) + ")");
  }
  values_[index - 1] = std::move(text);
  bound_[index - 1] = true;
  types_[index - 1] = type;
}

void PostgresStatement::bind(int index, int64_t value) { set_parameter(index, std::to_string(value), kInt8Type); }
void PostgresStatement::bind(int index, double value) { set_parameter(index, float8_text(value), kFloat8Type); }
void PostgresStatement::bind(int index, const std::string& value) { set_parameter(index, value, kInferredType); }

void PostgresStatement::bind_null(int index) {
  set_parameter(index, std::string(), kInferredType);
  bound_[index - 1] = false;
}

const std::string& PostgresStatement::prepared_name() {
  auto found = prepared_.find(types_);
  if (found != prepared_.end()) return found->second;
  std::string name = next_name_();
  ResultHandle prepared(PQprepare(connection_, name.c_str(), numbered_.c_str(), static_cast<int>(types_.size()),
                                  types_.data()));
  if (!prepared || !is_ok(prepared.get())) {
    throw postgres_error(connection_, prepared.get(), "cannot prepare '" + abbreviated(sql_) + "'");
  }
  return prepared_.emplace(types_, std::move(name)).first->second;
}

void PostgresStatement::run() {
  std::vector<const char*> pointers(values_.size(), nullptr);
  for (size_t i = 0; i < values_.size(); ++i) {
    if (bound_[i]) pointers[i] = values_[i].c_str();
  }
  const std::string& name = prepared_name();
  result_.reset(PQexecPrepared(connection_, name.c_str(), static_cast<int>(pointers.size()), pointers.data(),
                               nullptr, nullptr, /*resultFormat=text*/ 0));
  if (!result_ || !is_ok(result_.get())) {
    auto error = postgres_error(connection_, result_.get(), "'" + abbreviated(sql_) + "' failed");
    result_.reset();
    throw error;
  }
  row_ = -1;
}

int64_t PostgresStatement::execute() {
  run();
  const char* changed = PQcmdTuples(result_.get());
  return changed == nullptr || *changed == '\0' ? 0 : parse_int64(changed);
}

bool PostgresStatement::step() {
  if (!result_) run();
  ++row_;
  return row_ < PQntuples(result_.get());
}

void PostgresStatement::reset() {
  result_.reset();
  row_ = -1;
  for (size_t i = 0; i < values_.size(); ++i) {
    values_[i].clear();
    bound_[i] = false;
    types_[i] = kInferredType;
  }
}

void PostgresStatement::check_column(int index) const {
  if (!result_ || row_ < 0 || row_ >= PQntuples(result_.get()) || index < 0 || index >= PQnfields(result_.get())) {
    throw sql::DatabaseError(sql::DatabaseError::Kind::kOther,
                             "PostgreSQL: column " + std::to_string(index) + " read without a current row");
  }
}

bool PostgresStatement::column_is_null(int index) const {
  check_column(index);
  return PQgetisnull(result_.get(), row_, index) == 1;
}

int64_t PostgresStatement::column_int64(int index) const {
  if (column_is_null(index)) return 0;
  return parse_int64(PQgetvalue(result_.get(), row_, index));
}

double PostgresStatement::column_double(int index) const {
  if (column_is_null(index)) return 0;
  return parse_float8(PQgetvalue(result_.get(), row_, index));
}

std::string PostgresStatement::column_string(int index) const {
  check_column(index);
  const char* value = PQgetvalue(result_.get(), row_, index);
  return std::string(value, static_cast<size_t>(PQgetlength(result_.get(), row_, index)));
}

// --- PostgresConnection

namespace {

// Opens a connection with `conninfo` (a URI or key=value string), under
// defaults it may override: a connect timeout, so a server that does not
// answer cannot hold a caller forever (libpq waits without end otherwise),
// and the name the server's pg_stat_activity shows.
PGconn* connect_with_defaults(const std::string& conninfo) {
  // Values later in the arrays override earlier ones, so those in `conninfo`
  // (expanded from dbname, last) win over the defaults before it.
  std::vector<const char*> keywords = {"fallback_application_name"};
  std::vector<const char*> values = {"mlflowcpp"};
  if (std::getenv("PGCONNECT_TIMEOUT") == nullptr) {
    keywords.push_back("connect_timeout");
    values.push_back("10");
  }
  keywords.push_back("dbname");
  values.push_back(conninfo.c_str());
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  return PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1);
}

}  // namespace

PostgresConnection::PostgresConnection(const std::string& conninfo) : connection_(connect_with_defaults(conninfo)) {
  if (!connection_) {
    throw sql::DatabaseError(sql::DatabaseError::Kind::kUnavailable, "PostgreSQL: out of memory while connecting");
  }
  if (PQstatus(connection_.get()) != CONNECTION_OK) {
    throw sql::DatabaseError(sql::DatabaseError::Kind::kUnavailable,
                             "cannot connect to PostgreSQL: " + one_line(PQerrorMessage(connection_.get())));
  }
  // Notices (e.g. "there is no transaction in progress") are not errors.
  PQsetNoticeProcessor(connection_.get(), ignore_notice, nullptr);
}

sql::StatementLease PostgresConnection::statement(const std::string& sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    // Prepared on first execution, when the types of its parameters are known.
    auto statement = std::make_unique<PostgresStatement>(
        connection_.get(), sql, [this] { return "mlflowcpp_" + std::to_string(++statements_prepared_); });
    found = statements_.emplace(sql, std::move(statement)).first;
  }
  return sql::StatementLease(*found->second);
}

void PostgresConnection::execute(const std::string& sql) {
  ResultHandle result(PQexec(connection_.get(), sql.c_str()));
  if (!result || !is_ok(result.get())) {
    throw postgres_error(connection_.get(), result.get(), "'" + abbreviated(sql) + "' failed");
  }
}

bool PostgresConnection::is_broken() const { return PQstatus(connection_.get()) != CONNECTION_OK; }

void PostgresConnection::limit_prepared_statements() {
  if (statements_.size() <= kMaxPreparedStatements) return;
  execute("DEALLOCATE ALL");
  statements_.clear();
}

}  // namespace mlflowcpp::server::store::postgres
