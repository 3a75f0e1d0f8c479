#include "server/search/placeholder_list.hpp"

#include <algorithm>

namespace mlflowcpp::server::search {

std::size_t padded_list_size(std::size_t count) {
  if (count == 0) return 0;
  for (std::size_t bucket = 1; bucket < kPlaceholderChunk; bucket *= 4) {
    if (count <= bucket) return bucket;
  }
  return (count + kPlaceholderChunk - 1) / kPlaceholderChunk * kPlaceholderChunk;
}

std::string placeholder_in_condition(std::string_view column, std::size_t placeholders, bool negated) {
  if (placeholders == 0) return negated ? "1 = 1" : "0 = 1";
  const std::string_view in = negated ? " NOT IN (" : " IN (";
  const std::string_view joiner = negated ? " AND " : " OR ";
  std::string sql = "(";
  for (std::size_t start = 0; start < placeholders; start += kPlaceholderChunk) {
    if (start > 0) sql += joiner;
    sql += column;
    sql += in;
    const std::size_t end = std::min(placeholders, start + kPlaceholderChunk);
    for (std::size_t i = start; i < end; ++i) sql += i == start ? "?" : ", ?";
    sql += ')';
  }
  return sql + ")";
}

}  // namespace mlflowcpp::server::search
