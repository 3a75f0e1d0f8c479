#pragma once

// The SQL condition that keeps a search inside the caller's read scope.
// Internal to the search library.
//
// On SQLite and PostgreSQL the scope's ids travel as one bound JSON array,
// never as one parameter per id: a caller may hold tens of thousands of
// grants, beyond SQLite's 32766 and PostgreSQL's 65535 bound parameters, and
// the search limits (search_limits.hpp) count the scope as one value. On MySQL
// they are placeholder lists (placeholder_list.hpp: JSON_TABLE subqueries
// crashed MariaDB 10.11), counted value by value against MySQL's own limit.

#include "server/search/id_scope.hpp"
#include "server/search/sql_fragment.hpp"

#include <string_view>

namespace mlflowcpp::server::search::detail {

// The type of the column holding the scoped id: experiment ids are integer
// columns in MLflow's schema (the scope's ids that are no integers name no
// experiment), registered model names text.
enum class ScopedColumn { kInteger, kText };

// `column IN (<list>)` for an only-scope, `column NOT IN (<list>)` for an
// all-except one; `0 = 1` when an only-scope admits nothing. Empty when the
// scope admits everything (all, or all except nothing): add no condition then.
SqlFragment scope_condition(std::string_view column, ScopedColumn type, const IdScope& scope, Dialect dialect);

}  // namespace mlflowcpp::server::search::detail
