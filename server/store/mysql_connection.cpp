#include "server/store/mysql_connection.hpp"

#include "server/store/mysql_sql_text.hpp"

#include <errmsg.h>
#include <fmt/format.h>
#include <mysqld_error.h>

#include <charconv>
#include <cmath>
#include <mutex>

namespace mlflowcpp::server::store::mysql {

namespace {

// Per connection, and well under the server's max_prepared_stmt_count
// (16382 by default) for a full pool of connections.
constexpr size_t kMaxPreparedStatements = 250;

// SQL in a message: enough to recognise the statement.
std::string abbreviated(const std::string& sql) { return sql.size() > 200 ? sql.substr(0, 200) + "..." : sql; }

// libmariadb's process-wide state, set up once before the first connection
// (mysql_init would do it too, but not safely from several threads at once).
void initialise_client_library() {
  static std::once_flag once;
  std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

int64_t parse_int64(const std::string& text) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc() && end == text.data() + text.size()) return value;
  double real = 0;
  std::from_chars(text.data(), text.data() + text.size(), real);
  return static_cast<int64_t>(real);  // a DECIMAL read as an integer: truncated, as SQLite does
}

double parse_double(const std::string& text) {
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

}  // namespace

sql::DatabaseError::Kind kind_of_error(unsigned int error_number) {
  using Kind = sql::DatabaseError::Kind;
  switch (error_number) {
    case ER_DUP_ENTRY:
      return Kind::kUniqueViolation;
    case ER_LOCK_DEADLOCK:
    case ER_LOCK_WAIT_TIMEOUT:
      return Kind::kRetryable;
    case CR_CONNECTION_ERROR:   // 2002: no local socket
    case CR_CONN_HOST_ERROR:    // 2003: cannot connect over TCP
    case CR_SERVER_GONE_ERROR:  // 2006
    case CR_SERVER_LOST:        // 2013
    case ER_SERVER_SHUTDOWN:    // 1053: the server is shutting down
    case ER_CONNECTION_KILLED:  // 1927: MariaDB killed the session
    case 4031:                  // MySQL 8: closed after wait_timeout (ER_CLIENT_INTERACTION_TIMEOUT)
      return Kind::kUnavailable;
    default:
      return Kind::kOther;
  }
}

// --- MysqlStatement

MysqlStatement::MysqlStatement(MYSQL* connection, const std::string& sql, std::function<void(unsigned int)> on_error)
    : connection_(connection), sql_(sql), on_error_(std::move(on_error)), statement_(mysql_stmt_init(connection)) {
  if (!statement_) {
    throw sql::DatabaseError(sql::DatabaseError::Kind::kOther, "MySQL: out of memory preparing a statement");
  }
  const std::string text = quote_key_columns(sql);
  if (mysql_stmt_prepare(statement_.get(), text.data(), text.size()) != 0) fail("cannot prepare");
  parameters_.resize(mysql_stmt_param_count(statement_.get()));
  // Buffers sized to the longest value of each column, so no fetch truncates.
  const my_bool update_max_length = 1;
  mysql_stmt_attr_set(statement_.get(), STMT_ATTR_UPDATE_MAX_LENGTH, &update_max_length);
}

void MysqlStatement::fail(const std::string& what) {
  const unsigned int number = mysql_stmt_errno(statement_.get());
  on_error_(number);
  throw sql::DatabaseError(kind_of_error(number), fmt::format("MySQL: {} '{}': {} (error {})", what, abbreviated(sql_),
                                                              mysql_stmt_error(statement_.get()), number));
}

MysqlStatement::Parameter& MysqlStatement::parameter(int index) {
  if (index < 1 || static_cast<size_t>(index) > parameters_.size()) {
    throw sql::DatabaseError(
        sql::DatabaseError::Kind::kOther,
        fmt::format("MySQL: parameter {} out of range (statement has {})", index, parameters_.size()));
  }
  return parameters_[static_cast<size_t>(index) - 1];
}

void MysqlStatement::bind(int index, int64_t value) {
  Parameter& bound = parameter(index);
  bound.type = Parameter::Type::kInteger;
  bound.integer = value;
}

void MysqlStatement::bind(int index, double value) {
  Parameter& bound = parameter(index);
  bound.type = Parameter::Type::kDouble;
  bound.real = value;
}

void MysqlStatement::bind(int index, const std::string& value) {
  Parameter& bound = parameter(index);
  bound.type = Parameter::Type::kText;
  bound.text = value;
}

void MysqlStatement::bind_null(int index) { parameter(index).type = Parameter::Type::kNull; }

void MysqlStatement::run() {
  std::vector<MYSQL_BIND> binds(parameters_.size());
  for (size_t i = 0; i < parameters_.size(); ++i) {
    Parameter& bound = parameters_[i];
    MYSQL_BIND& bind = binds[i];
    bind = MYSQL_BIND{};
    switch (bound.type) {
      case Parameter::Type::kNull:  // unbound parameters are NULL, as in SQLite
        bind.buffer_type = MYSQL_TYPE_NULL;
        break;
      case Parameter::Type::kInteger:
        bind.buffer_type = MYSQL_TYPE_LONGLONG;
        bind.buffer = &bound.integer;
        break;
      case Parameter::Type::kDouble:
        bind.buffer_type = MYSQL_TYPE_DOUBLE;
        bind.buffer = &bound.real;
        break;
      case Parameter::Type::kText:
        bound.length = static_cast<unsigned long>(bound.text.size());
        bind.buffer_type = MYSQL_TYPE_STRING;
        bind.buffer = bound.text.data();
        bind.buffer_length = bound.length;
        bind.length = &bound.length;
        break;
    }
  }
  if (!binds.empty() && mysql_stmt_bind_param(statement_.get(), binds.data()) != 0) fail("cannot bind");
  if (mysql_stmt_execute(statement_.get()) != 0) fail("failed:");
  executed_ = true;
  has_row_ = false;
  if (mysql_stmt_field_count(statement_.get()) == 0) return;
  // Buffered on our side, so other statements may run on the connection while this one's rows are read.
  if (mysql_stmt_store_result(statement_.get()) != 0) fail("cannot read the result of");
  bind_results();
}

void MysqlStatement::bind_results() {
  MYSQL_RES* metadata = mysql_stmt_result_metadata(statement_.get());
  if (metadata == nullptr) fail("no result metadata for");
  const unsigned int count = mysql_num_fields(metadata);
  const MYSQL_FIELD* fields = mysql_fetch_fields(metadata);
  columns_.assign(count, ResultColumn{});
  column_binds_.assign(count, MYSQL_BIND{});
  for (unsigned int i = 0; i < count; ++i) {
    ResultColumn& column = columns_[i];
    MYSQL_BIND& bind = column_binds_[i];
    switch (fields[i].type) {
      case MYSQL_TYPE_TINY:
      case MYSQL_TYPE_SHORT:
      case MYSQL_TYPE_INT24:
      case MYSQL_TYPE_LONG:
      case MYSQL_TYPE_LONGLONG:
      case MYSQL_TYPE_YEAR:
        column.kind = ColumnKind::kInteger;
        bind.buffer_type = MYSQL_TYPE_LONGLONG;
        bind.buffer = &column.integer;
        break;
      case MYSQL_TYPE_FLOAT:
      case MYSQL_TYPE_DOUBLE:
        column.kind = ColumnKind::kDouble;
        bind.buffer_type = MYSQL_TYPE_DOUBLE;
        bind.buffer = &column.real;
        break;
      default:
        column.kind = ColumnKind::kText;
        column.text.resize(fields[i].max_length + 1);
        bind.buffer_type = MYSQL_TYPE_STRING;
        bind.buffer = column.text.data();
        bind.buffer_length = static_cast<unsigned long>(column.text.size());
        break;
    }
    bind.length = &column.length;
    bind.is_null = &column.is_null;
    bind.error = &column.error;
  }
  mysql_free_result(metadata);
  if (mysql_stmt_bind_result(statement_.get(), column_binds_.data()) != 0) fail("cannot bind the result of");
}

int64_t MysqlStatement::execute() {
  run();
  const auto changed = mysql_stmt_affected_rows(statement_.get());
  mysql_stmt_free_result(statement_.get());
  return changed == static_cast<my_ulonglong>(-1) ? 0 : static_cast<int64_t>(changed);
}

bool MysqlStatement::step() {
  if (!executed_) run();
  if (columns_.empty()) return false;
  const int fetched = mysql_stmt_fetch(statement_.get());
  if (fetched == MYSQL_NO_DATA) {
    has_row_ = false;
    return false;
  }
  if (fetched == 1) fail("cannot read a row of");
  if (fetched == MYSQL_DATA_TRUNCATED) {
    // A text value longer than the buffer (max_length was not known): read it whole.
    for (size_t i = 0; i < columns_.size(); ++i) {
      ResultColumn& column = columns_[i];
      if (column.kind != ColumnKind::kText || column.is_null || column.length < column.text.size()) continue;
      column.text.resize(column.length + 1);
      MYSQL_BIND& bind = column_binds_[i];
      bind.buffer = column.text.data();
      bind.buffer_length = static_cast<unsigned long>(column.text.size());
      if (mysql_stmt_fetch_column(statement_.get(), &bind, static_cast<unsigned int>(i), 0) != 0) {
        fail("cannot read a column of");
      }
    }
    if (mysql_stmt_bind_result(statement_.get(), column_binds_.data()) != 0) fail("cannot bind the result of");
  }
  has_row_ = true;
  return true;
}

void MysqlStatement::reset() {
  if (executed_) mysql_stmt_free_result(statement_.get());
  executed_ = false;
  has_row_ = false;
  columns_.clear();
  column_binds_.clear();
  for (Parameter& bound : parameters_) {
    bound.type = Parameter::Type::kNull;
    bound.text.clear();
  }
}

const MysqlStatement::ResultColumn& MysqlStatement::checked_column(int index) const {
  if (!has_row_ || index < 0 || static_cast<size_t>(index) >= columns_.size()) {
    throw sql::DatabaseError(sql::DatabaseError::Kind::kOther,
                             fmt::format("MySQL: column {} read without a current row", index));
  }
  return columns_[static_cast<size_t>(index)];
}

bool MysqlStatement::column_is_null(int index) const { return checked_column(index).is_null != 0; }

int64_t MysqlStatement::column_int64(int index) const {
  const ResultColumn& column = checked_column(index);
  if (column.is_null) return 0;
  switch (column.kind) {
    case ColumnKind::kInteger:
      return column.integer;
    case ColumnKind::kDouble:
      return static_cast<int64_t>(column.real);
    case ColumnKind::kText:
      return parse_int64(column.text.substr(0, column.length));
  }
  return 0;
}

double MysqlStatement::column_double(int index) const {
  const ResultColumn& column = checked_column(index);
  if (column.is_null) return 0;
  switch (column.kind) {
    case ColumnKind::kInteger:
      return static_cast<double>(column.integer);
    case ColumnKind::kDouble:
      return column.real;
    case ColumnKind::kText:
      return parse_double(column.text.substr(0, column.length));
  }
  return 0;
}

std::string MysqlStatement::column_string(int index) const {
  const ResultColumn& column = checked_column(index);
  if (column.is_null) return {};
  switch (column.kind) {
    case ColumnKind::kInteger:
      return std::to_string(column.integer);
    case ColumnKind::kDouble:
      return fmt::format("{}", column.real);
    case ColumnKind::kText:
      return column.text.substr(0, column.length);
  }
  return {};
}

// --- MysqlConnection

namespace {

void set_text_option(MYSQL* connection, mysql_option option, const std::string& value) {
  if (!value.empty()) mysql_optionsv(connection, option, value.c_str());
}

}  // namespace

MysqlConnection::MysqlConnection(const MysqlConnectOptions& options) {
  initialise_client_library();
  connection_.reset(mysql_init(nullptr));
  if (!connection_) {
    throw sql::DatabaseError(sql::DatabaseError::Kind::kUnavailable, "MySQL: out of memory while connecting");
  }
  MYSQL* handle = connection_.get();
  // Without a timeout, a server that does not answer would hold a caller forever.
  const unsigned int timeout = options.connect_timeout_seconds;
  mysql_optionsv(handle, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_optionsv(handle, MYSQL_SET_CHARSET_NAME, options.charset.c_str());
  set_text_option(handle, MYSQL_OPT_SSL_CA, options.ssl_ca);
  set_text_option(handle, MYSQL_OPT_SSL_CERT, options.ssl_cert);
  set_text_option(handle, MYSQL_OPT_SSL_KEY, options.ssl_key);
  if (options.ssl_mode == "REQUIRED" || options.ssl_mode == "VERIFY_CA" || options.ssl_mode == "VERIFY_IDENTITY") {
    const my_bool enforce = 1;
    mysql_optionsv(handle, MYSQL_OPT_SSL_ENFORCE, &enforce);
  }
  if (options.ssl_mode == "VERIFY_CA" || options.ssl_mode == "VERIFY_IDENTITY") {
    const my_bool verify = 1;
    mysql_optionsv(handle, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  }
  // Reconnecting behind our back would lose the session's settings and a transaction.
  const my_bool reconnect = 0;
  mysql_optionsv(handle, MYSQL_OPT_RECONNECT, &reconnect);
  const char* password = options.password ? options.password->c_str() : nullptr;
  // CLIENT_FOUND_ROWS: an UPDATE reports the rows it matched, also those it left unchanged.
  if (mysql_real_connect(handle, options.host.c_str(), options.user.c_str(), password, options.database.c_str(),
                         options.port, nullptr, CLIENT_FOUND_ROWS | CLIENT_MULTI_STATEMENTS) == nullptr) {
    const unsigned int number = mysql_errno(handle);
    const auto kind = kind_of_error(number) == sql::DatabaseError::Kind::kOther ? sql::DatabaseError::Kind::kUnavailable
                                                                                : kind_of_error(number);
    throw sql::DatabaseError(kind, fmt::format("cannot connect to MySQL at {}:{}: {} (error {})", options.host,
                                               options.port, mysql_error(handle), number));
  }
  // ANSI_QUOTES: the search compiler quotes identifiers with double quotes, as
  // standard SQL does. NO_AUTO_VALUE_ON_ZERO: the Default experiment has id 0
  // in an AUTO_INCREMENT column (MLflow sets it for that insert too).
  execute(
      "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'ANSI_QUOTES', "
      "'NO_AUTO_VALUE_ON_ZERO')");
}

void MysqlConnection::note_error(unsigned int error_number) {
  if (kind_of_error(error_number) == sql::DatabaseError::Kind::kUnavailable) broken_ = true;
}

sql::StatementLease MysqlConnection::statement(const std::string& sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    auto statement =
        std::make_unique<MysqlStatement>(connection_.get(), sql, [this](unsigned int number) { note_error(number); });
    found = statements_.emplace(sql, std::move(statement)).first;
  }
  return sql::StatementLease(*found->second);
}

void MysqlConnection::execute(const std::string& sql) {
  MYSQL* handle = connection_.get();
  const auto fail = [&] {
    const unsigned int number = mysql_errno(handle);
    note_error(number);
    throw sql::DatabaseError(kind_of_error(number), fmt::format("MySQL: '{}' failed: {} (error {})", abbreviated(sql),
                                                                mysql_error(handle), number));
  };
  const std::string text = quote_key_columns(sql);
  if (mysql_real_query(handle, text.data(), text.size()) != 0) fail();
  // Every statement of a multi-statement text has a result to consume; an error in a later one shows here.
  for (;;) {
    if (MYSQL_RES* result = mysql_store_result(handle)) mysql_free_result(result);
    const int next = mysql_next_result(handle);
    if (next == -1) return;
    if (next > 0) fail();
  }
}

void MysqlConnection::limit_prepared_statements() {
  if (statements_.size() > kMaxPreparedStatements) statements_.clear();
}

}  // namespace mlflowcpp::server::store::mysql
