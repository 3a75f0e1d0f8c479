#include "server/search/scope_condition.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdint>

namespace mlflowcpp::server::search::detail {
namespace {

// The scope's ids as a JSON array of the column's type.
nlohmann::json id_list(const IdScope& scope, ScopedColumn type) {
  nlohmann::json list = nlohmann::json::array();
  for (const std::string& id : scope.ids()) {
    if (type == ScopedColumn::kText) {
      list.push_back(id);
      continue;
    }
    int64_t value = 0;
    const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), value);
    if (!id.empty() && error == std::errc() && end == id.data() + id.size()) list.push_back(value);
  }
  return list;
}

}  // namespace

SqlFragment scope_condition(std::string_view column, ScopedColumn type, const IdScope& scope, Dialect dialect) {
  SqlFragment out;
  if (scope.is_all()) return out;
  const nlohmann::json ids = id_list(scope, type);
  const bool only = scope.kind() == IdScope::Kind::kOnly;
  if (ids.empty()) return only ? out.text("0 = 1") : out;
  // A scope admits exactly the names it lists: MySQL's columns would match
  // "M1" with "m1" (utf8mb4_general_ci), so there the names compare as bytes.
  if (dialect == Dialect::kMysql && type == ScopedColumn::kText) out.text("BINARY ");
  out.text(column).text(only ? " IN (" : " NOT IN (");
  // The subquery holds the list's one placeholder.
  out.text(type == ScopedColumn::kInteger ? json_integer_list(dialect) : json_string_list(dialect));
  out.bindings.emplace_back(ids.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return out.text(")");
}

}  // namespace mlflowcpp::server::search::detail
