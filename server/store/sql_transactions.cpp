#include "server/store/sql_transactions.hpp"

#include <mlflowcpp/errors.hpp>

#include <string>

namespace mlflowcpp::server::store {

namespace {

// Attempts of a check-then-insert job that keeps losing its race; each loss
// means another transaction committed the row, so the next attempt sees it.
constexpr int kRecheckAttempts = 5;

[[noreturn]] void rethrow_as_mlflow_error(const sql::DatabaseError& error) {
  using Kind = sql::DatabaseError::Kind;
  switch (error.kind()) {
    case Kind::kUniqueViolation:
      throw MlflowException(ErrorCode::kResourceAlreadyExists, std::string("database error: ") + error.what());
    case Kind::kRetryable:
    case Kind::kUnavailable:
      throw MlflowException(ErrorCode::kTemporarilyUnavailable, std::string("database error: ") + error.what());
    case Kind::kOther:
      break;
  }
  throw MlflowException(ErrorCode::kInternalError, std::string("database error: ") + error.what());
}

}  // namespace

bool is_unique_violation(const sql::DatabaseError& error) {
  return error.kind() == sql::DatabaseError::Kind::kUniqueViolation;
}

void write_transaction(sql::Database& database, const sql::Database::Job& job) {
  try {
    database.write(job);
  } catch (const sql::DatabaseError& error) {
    rethrow_as_mlflow_error(error);
  }
}

void read_transaction(sql::Database& database, const sql::Database::Job& job) {
  try {
    database.read(job);
  } catch (const sql::DatabaseError& error) {
    rethrow_as_mlflow_error(error);
  }
}

void write_transaction_rechecking(sql::Database& database, const sql::Database::Job& job) {
  for (int attempt = 1;; ++attempt) {
    try {
      database.write(job);
      return;
    } catch (const sql::DatabaseError& error) {
      if (!is_unique_violation(error) || attempt == kRecheckAttempts) rethrow_as_mlflow_error(error);
    }
  }
}

void write_transaction_keeping_unique_violation(sql::Database& database, const sql::Database::Job& job) {
  try {
    database.write(job);
  } catch (const sql::DatabaseError& error) {
    if (is_unique_violation(error)) throw;
    rethrow_as_mlflow_error(error);
  }
}

}  // namespace mlflowcpp::server::store
