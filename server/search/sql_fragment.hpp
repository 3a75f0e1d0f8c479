#pragma once

// Building blocks of the compiled search SQL. Internal to the search library.
// Text appended with `text` must be fixed SQL written in this library; every
// value that comes from a request goes through `bind`.

#include "server/search/search.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mlflowcpp::server::search::detail {

struct SqlFragment {
  std::string sql;
  std::vector<SqlValue> bindings;

  SqlFragment& text(std::string_view fixed_sql);
  SqlFragment& bind(SqlValue value);  // appends one '?'
  SqlFragment& append(const SqlFragment& other);
  bool empty() const { return sql.empty(); }
};

// `column <op> ?` for a string value, or `column [NOT] IN (?, ...)` for a
// list; LIKE stays case-sensitive and ILIKE is made case-insensitive per
// dialect (see Dialect). Throws INVALID_PARAMETER_VALUE when the comparator
// does not fit the value.
void append_string_comparison(SqlFragment& out, std::string_view column, Comparator comparator,
                              const Literal& value, Dialect dialect);

// `column IN (<values>)`, or `column NOT IN (<values>)` when `negated`; the
// values are all strings, or all integers compared with an integer column.
// SQLite and PostgreSQL: one bound JSON array expanded in SQL (json_each,
// json_array_elements_text), one statement for any number of values. MySQL:
// padded placeholders (placeholder_list.hpp), as MariaDB's JSON_TABLE
// subqueries can crash the server.
void append_list_condition(SqlFragment& out, std::string_view column, const std::vector<SqlValue>& values,
                           bool integers, bool negated, Dialect dialect);

// `column <dir>` with NULLs sorting as the smallest value in both dialects
// (SQLite's own order; PostgreSQL sorts NULLs as the largest).
std::string nulls_smallest_order(std::string_view column, bool ascending);

// `column <op> ?` for a number comparison (=, !=, <, <=, >, >=).
void append_number_comparison(SqlFragment& out, std::string_view column, Comparator comparator,
                              const SqlValue& value);

// The clause's string list, or nullptr.
const std::vector<std::string>* list_value(const Literal& value);

// A number literal for an integer column: int64 when written as an integer
// that fits, else its double value.
SqlValue integer_column_value(const Literal& value, std::string_view what);

// A number literal for a metric: its double, ±inf clamped to the ±DBL_MAX
// MLflow stores for infinities.
double metric_value(const Literal& value, std::string_view what);

// The string of a string literal; INVALID_PARAMETER_VALUE otherwise.
const std::string& string_value(const Literal& value, std::string_view what);

// The SQL list of lifecycle stages for a view type (1 active, 2 deleted,
// 3 all): "('active')"...; INVALID_PARAMETER_VALUE for other numbers.
std::string_view lifecycle_stages(int view_type);

// Asserts what compiling a page assumes: the limit passed validate_page_size()
// (page_size.hpp) and the offset came from decode_page_token(), so neither is negative.
void assert_valid_page(int64_t limit, int64_t offset);

// Fixed SQL for ORDER BY directions.
std::string_view direction(bool ascending);

}  // namespace mlflowcpp::server::search::detail
