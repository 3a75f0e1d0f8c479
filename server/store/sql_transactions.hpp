#pragma once

// How the SQL stores run their transactions on a sql::Database, and what a
// database failure that reaches a caller means to it.

#include "server/store/sql_database.hpp"

namespace mlflowcpp::server::store {

// sql::Database::write / read, with a DatabaseError turned into the
// MlflowException a client sees: a unique violation nobody expected is
// RESOURCE_ALREADY_EXISTS; a database that is unreachable, closing, or still
// in conflict after the database's own retries is TEMPORARILY_UNAVAILABLE;
// anything else INTERNAL_ERROR. MlflowExceptions from the job pass unchanged.
void write_transaction(sql::Database& database, const sql::Database::Job& job);
void read_transaction(sql::Database& database, const sql::Database::Job& job);

// write_transaction for a job that checks for a row and then inserts it
// (params, datasets, model version numbers): when another transaction inserted
// the same row in between (a unique violation, possible with several servers
// on one PostgreSQL), the job runs again and sees that row.
void write_transaction_rechecking(sql::Database& database, const sql::Database::Job& job);

// Runs `job` as write_transaction, but hands a unique violation to the caller
// as the DatabaseError itself, for callers that give it a meaning
// (a duplicate experiment or model name).
void write_transaction_keeping_unique_violation(sql::Database& database, const sql::Database::Job& job);

bool is_unique_violation(const sql::DatabaseError& error);

}  // namespace mlflowcpp::server::store
