#pragma once

// The SQL the stores write differently for SQLite, PostgreSQL and MySQL /
// MariaDB. Everything else the stores send is SQL all of them accept unchanged
// (MySQL with ANSI_QUOTES, its column `key` quoted by the connection):
//   - upserts:  upsert() below; the conditional upsert of latest_metrics is
//               written per dialect where it is used;
//   - new ids:  INSERT ... RETURNING (SQLite >= 3.35, PostgreSQL), or
//               LAST_INSERT_ID() on MySQL (MySQL 8 has no RETURNING);
//   - booleans: is_nan is INTEGER in SQLite's schema, BOOLEAN in
//               PostgreSQL's, tinyint(1) in MySQL's; it is written through kBooleanParameter, read
//               with Column::as_int64 (0 or 1), and tested in SQL as a truth
//               value (`NOT m.is_nan`), which both accept;
//   - ordering: every ORDER BY on a nullable column says where NULLs go
//               (`CASE WHEN c IS NULL ...`), as the two sort NULLs differently;
//   - row values: (a, b, c) > (x, y, z) in both.
// The search compiler (server/search) branches on the dialect for LIKE/ILIKE
// and lists of values in the same way; lists of values: BoundList below.

#include "server/store/sql_database.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mlflowcpp::server::store::sql_dialect {

// A bound integer (0 or 1, Statement::bind(int, bool)) written into a boolean
// column: an INTEGER 0/1 in SQLite, a BOOLEAN in PostgreSQL.
inline constexpr const char* kBooleanParameter = "(? <> 0)";

// `INSERT <into_and_values>` that skips rows already present (same primary
// key) instead of failing. SQLite: INSERT OR IGNORE, which unlike ON CONFLICT
// DO NOTHING lets a multi-row INSERT run without a statement journal (a temp
// file written for every row). PostgreSQL: ON CONFLICT DO NOTHING.
std::string insert_ignoring_duplicates(sql::Dialect dialect, std::string_view into_and_values);

// A list of values a statement compares a column with, `column IN (...)`, and
// binds. SQLite and PostgreSQL: one JSON array parameter expanded in SQL
// (json_each, json_array_elements_text), so one cached statement serves any
// number of values. MySQL / MariaDB: a list of placeholders padded to a few
// sizes (search::placeholder_in_condition), as MariaDB's expansion of a JSON
// array (JSON_TABLE in a subquery) can crash the server.
//
// @par Example
//   const BoundList ids(connection.dialect(), run_ids);
//   auto query = connection.statement("SELECT ... FROM runs WHERE status = ? AND " + ids.in_condition("run_uuid"));
//   query->bind(1, status);
//   ids.bind(*query, 2);
class BoundList {
 public:
  BoundList(sql::Dialect dialect, std::vector<std::string> values);
  BoundList(sql::Dialect dialect, std::vector<int64_t> values);

  // `column IN (...)` (parenthesized on MySQL), holding placeholder_count() placeholders.
  std::string in_condition(std::string_view column) const;
  int placeholder_count() const;
  // Binds the values to the condition's placeholders, the first being `first`;
  // returns the index of the placeholder after them.
  int bind(sql::Statement& statement, int first) const;

 private:
  sql::Dialect dialect_;
  std::variant<std::vector<std::string>, std::vector<int64_t>> values_;
};

// `INSERT INTO <into_and_values>` that, for a row whose key (`conflict_columns`,
// a primary key or unique constraint) is already present, sets
// `updated_columns` to the values of the new row instead.
std::string upsert(sql::Dialect dialect, std::string_view into_and_values,
                   const std::vector<std::string>& conflict_columns, const std::vector<std::string>& updated_columns);

// Appended to an INSERT into a table with a generated integer key, for
// inserted_id(): " RETURNING <column>" where there is RETURNING, "" on MySQL.
std::string returning(sql::Dialect dialect, std::string_view column);
// Runs `insert` (written with returning()) and gives the key it generated.
int64_t inserted_id(sql::Connection& connection, sql::Statement& insert);

// Whether the rows of one batch (params, tags) are written in key order
// rather than in the order of the request. PostgreSQL and MySQL: yes, so that
// two transactions writing rows of one run take their row locks in the same
// order and cannot deadlock (MySQL lists them in key order anyway). SQLite:
// no, its one writer cannot deadlock, and the rows keep the request's order,
// in which the official server lists them.
bool writes_batches_in_key_order(sql::Dialect dialect);

// Appended to a SELECT of one row to lock it until the transaction ends, so
// that transactions deriving a value from it (the next model version number)
// run one after the other. PostgreSQL and MySQL: FOR UPDATE. SQLite:
// nothing, its one writer runs transactions one at a time anyway.
std::string_view row_lock(sql::Dialect dialect);

// The order in which the official server lists the rows of `table` (tags,
// params, ...), which it reads without ORDER BY: insertion order in SQLite
// (rowid) and PostgreSQL (ctid, the physical position, which is insertion
// order for rows never updated in place); on MySQL, InnoDB's clustered
// primary key order, given as the table's primary key columns. `table_alias`
// may be empty.
std::string insertion_order(sql::Dialect dialect, std::string_view table, std::string_view table_alias = {});

}  // namespace mlflowcpp::server::store::sql_dialect
