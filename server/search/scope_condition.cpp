#include "server/search/scope_condition.hpp"

#include <charconv>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mlflowcpp::server::search::detail {
namespace {

// The scope's ids as values of the column's type.
std::vector<SqlValue> id_list(const IdScope& scope, ScopedColumn type) {
  std::vector<SqlValue> list;
  for (const std::string& id : scope.ids()) {
    if (type == ScopedColumn::kText) {
      list.emplace_back(id);
      continue;
    }
    int64_t value = 0;
    const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), value);
    if (!id.empty() && error == std::errc() && end == id.data() + id.size()) list.emplace_back(std::in_place_type<int64_t>, value);
  }
  return list;
}

}  // namespace

SqlFragment scope_condition(std::string_view column, ScopedColumn type, const IdScope& scope, Dialect dialect) {
  SqlFragment out;
  if (scope.is_all()) return out;
  const std::vector<SqlValue> ids = id_list(scope, type);
  const bool only = scope.kind() == IdScope::Kind::kOnly;
  if (ids.empty()) return only ? out.text("0 = 1") : out;
  // A scope admits exactly the names it lists: MySQL's columns would match
  // "M1" with "m1" (utf8mb4_general_ci), so there the names compare as bytes.
  const std::string compared =
      dialect == Dialect::kMysql && type == ScopedColumn::kText ? "BINARY " + std::string(column) : std::string(column);
  append_list_condition(out, compared, ids, type == ScopedColumn::kInteger, !only, dialect);
  return out;
}

}  // namespace mlflowcpp::server::search::detail
