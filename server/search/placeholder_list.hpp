#pragma once

// Lists of values written as placeholders, `column IN (?, ?, ...)`, for MySQL /
// MariaDB. SQLite and PostgreSQL bind a list as one JSON array expanded in SQL;
// on MariaDB that expansion (JSON_TABLE) is materialized into an internal
// temporary table per execution, and MariaDB 10.11 can crash while dropping
// such a table (ha_maria::drop_table on a handler already closed), taking the
// server down. A plain list of placeholders needs no temporary table.
//
// Every statement text is cached per connection, so the number of
// placeholders is rounded up to a few sizes (1, 4, 16, 64, 256, then whole
// chunks of 256) and the tail is padded with repeats of the last value, which
// changes neither IN nor NOT IN. A chunk stays below MariaDB's
// in_predicate_conversion_threshold (1000), beyond which the server turns a
// long IN list back into a materialized subquery.

#include <cstddef>
#include <string>
#include <string_view>

namespace mlflowcpp::server::search {

inline constexpr std::size_t kPlaceholderChunk = 256;

// How many placeholders a list of `count` values is written with (0 for none).
std::size_t padded_list_size(std::size_t count);

// `column IN (?, ...)`, or `column NOT IN (?, ...)` when `negated`, with
// `placeholders` placeholders (a padded_list_size()) in chunks of at most
// kPlaceholderChunk, joined with OR (AND when negated) inside parentheses. With
// no placeholders: a condition that holds for no row (every row when negated).
std::string placeholder_in_condition(std::string_view column, std::size_t placeholders, bool negated = false);

}  // namespace mlflowcpp::server::search
