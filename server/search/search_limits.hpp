#pragma once

// How big a search may be: one home for the limits every search (runs,
// experiments, registered models, model versions, logged models) enforces
// before a query reaches the database. Each limit keeps the compiled SQL well
// inside what both databases accept: SQLite's 32766 bound parameters
// (SQLITE_MAX_VARIABLE_NUMBER), its expression depth of 1000 and 64 tables a
// join, PostgreSQL's 65535 bound parameters and its stack depth. A search
// beyond a limit answers INVALID_PARAMETER_VALUE naming the limit, never a
// database error.

#include "server/search/search.hpp"

#include <cstddef>
#include <string_view>

namespace mlflowcpp::server::search {

// Characters of one filter string.
inline constexpr std::size_t kMaxFilterLength = 64 * 1024;
// ANDed clauses of one filter: each becomes a condition (often a subquery) of the WHERE clause.
inline constexpr std::size_t kMaxFilterClauses = 100;
// Values of one IN / NOT IN list.
inline constexpr std::size_t kMaxInListValues = 1000;
// order_by terms of one search: metric, param and tag keys become joins.
inline constexpr std::size_t kMaxOrderByKeys = 20;
// Bound values of one compiled query (experiment ids, filter values, paging). SQLite and PostgreSQL get a list of
// ids (a permission scope, the experiments of a search) as one bound JSON array; MySQL gets one placeholder a value
// (server/search/placeholder_list.hpp), so its limit is higher, inside the 65535 placeholders a MySQL prepared
// statement takes.
inline constexpr std::size_t kMaxBoundValues = 10000;
inline constexpr std::size_t kMaxMysqlBoundValues = 60000;

// Each throws INVALID_PARAMETER_VALUE when its count is beyond its limit.
void check_filter_length(std::string_view filter);
void check_filter_clause_count(std::size_t clauses);
void check_in_list_size(std::size_t values);
void check_order_by_count(std::size_t keys);
void check_bound_value_count(std::size_t values, Dialect dialect);

}  // namespace mlflowcpp::server::search
