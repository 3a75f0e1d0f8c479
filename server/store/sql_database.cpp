#include "server/store/sql_database.hpp"

#include <variant>

namespace mlflowcpp::server::store::sql {

void bind_values(Statement& statement, const std::vector<search::SqlValue>& values) {
  int index = 1;
  for (const auto& value : values) {
    std::visit([&](const auto& bound) { statement.bind(index, bound); }, value);
    ++index;
  }
}

}  // namespace mlflowcpp::server::store::sql
