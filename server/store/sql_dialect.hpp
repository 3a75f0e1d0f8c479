#pragma once

// The SQL the stores write differently for SQLite and PostgreSQL. Everything
// else the stores send is SQL both accept unchanged:
//   - upserts:  INSERT ... ON CONFLICT (...) DO UPDATE SET c = excluded.c [WHERE ...]
//               (SQLite >= 3.24);
//   - new ids:  INSERT ... RETURNING (SQLite >= 3.35);
//   - booleans: is_nan is INTEGER in SQLite's schema and BOOLEAN in
//               PostgreSQL's; it is written through kBooleanParameter, read
//               with Column::as_int64 (0 or 1), and tested in SQL as a truth
//               value (`NOT m.is_nan`), which both accept;
//   - ordering: every ORDER BY on a nullable column says where NULLs go
//               (`CASE WHEN c IS NULL ...`), as the two sort NULLs differently;
//   - row values: (a, b, c) > (x, y, z) in both.
// The search compiler (server/search) branches on the dialect for LIKE/ILIKE
// and lists of values in the same way.

#include "server/store/sql_database.hpp"

#include <string>
#include <string_view>

namespace mlflowcpp::server::store::sql_dialect {

// A bound integer (0 or 1, Statement::bind(int, bool)) written into a boolean
// column: an INTEGER 0/1 in SQLite, a BOOLEAN in PostgreSQL.
inline constexpr const char* kBooleanParameter = "(? <> 0)";

// `INSERT <into_and_values>` that skips rows already present (same primary
// key) instead of failing. SQLite: INSERT OR IGNORE, which unlike ON CONFLICT
// DO NOTHING lets a multi-row INSERT run without a statement journal (a temp
// file written for every row). PostgreSQL: ON CONFLICT DO NOTHING.
std::string insert_ignoring_duplicates(sql::Dialect dialect, std::string_view into_and_values);

// A subquery listing the elements of one bound JSON array (json_string_array,
// json_integer_array in sql_entity_reader.hpp), for `x IN (<subquery>)`: one
// cached statement serves any number of values.
std::string string_list_subquery(sql::Dialect dialect);
std::string integer_list_subquery(sql::Dialect dialect);

// Whether the rows of one batch (params, tags) are written in key order
// rather than in the order of the request. PostgreSQL: yes, so that two
// transactions writing rows of one run take their row locks in the same order
// and cannot deadlock. SQLite: no, its one writer cannot deadlock, and the
// rows keep the request's order, in which the official server lists them.
bool writes_batches_in_key_order(sql::Dialect dialect);

// Appended to a SELECT of one row to lock it until the transaction ends, so
// that transactions deriving a value from it (the next model version number)
// run one after the other. PostgreSQL: FOR UPDATE. SQLite: nothing, its one
// writer runs transactions one at a time anyway.
std::string_view row_lock(sql::Dialect dialect);

// A column that orders a table's rows by insertion, as the official server
// lists tags and params: SQLite's rowid; PostgreSQL's ctid (the physical
// position, which is insertion order for rows never updated in place).
// `table_alias` may be empty.
std::string insertion_order(sql::Dialect dialect, std::string_view table_alias = {});

}  // namespace mlflowcpp::server::store::sql_dialect
