#include "server/search/search_limits.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

namespace mlflowcpp::server::search {
namespace {

void check_at_most(std::size_t count, std::size_t limit, std::string_view what) {
  if (count <= limit) return;
  throw invalid_parameter(fmt::format("Search too large: {} exceeds the limit of {} (got {}).", what, limit, count));
}

}  // namespace

void check_filter_length(std::string_view filter) {
  check_at_most(filter.size(), kMaxFilterLength, "the filter string's length in characters");
}

void check_filter_clause_count(std::size_t clauses) {
  check_at_most(clauses, kMaxFilterClauses, "the number of clauses in the filter");
}

void check_in_list_size(std::size_t values) {
  check_at_most(values, kMaxInListValues, "the number of values in an IN list");
}

void check_order_by_count(std::size_t keys) { check_at_most(keys, kMaxOrderByKeys, "the number of order_by keys"); }

void check_bound_value_count(std::size_t values, Dialect dialect) {
  check_at_most(values, dialect == Dialect::kMysql ? kMaxMysqlBoundValues : kMaxBoundValues,
                "the number of values the query compares (ids, filter values)");
}

}  // namespace mlflowcpp::server::search
