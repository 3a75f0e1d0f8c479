#include "server/store/sql_dialect.hpp"

namespace mlflowcpp::server::store::sql_dialect {

std::string insert_ignoring_duplicates(sql::Dialect dialect, std::string_view into_and_values) {
  if (dialect == sql::Dialect::kPostgres) {
    return "INSERT INTO " + std::string(into_and_values) + " ON CONFLICT DO NOTHING";
  }
  return "INSERT OR IGNORE INTO " + std::string(into_and_values);
}

std::string string_list_subquery(sql::Dialect dialect) {
  if (dialect == sql::Dialect::kPostgres) return "SELECT json_array_elements_text(CAST(? AS json))";
  return "SELECT value FROM json_each(?)";
}

std::string integer_list_subquery(sql::Dialect dialect) {
  if (dialect == sql::Dialect::kPostgres) return "SELECT CAST(json_array_elements_text(CAST(? AS json)) AS BIGINT)";
  return "SELECT value FROM json_each(?)";
}

bool writes_batches_in_key_order(sql::Dialect dialect) { return dialect == sql::Dialect::kPostgres; }

std::string_view row_lock(sql::Dialect dialect) { return dialect == sql::Dialect::kPostgres ? " FOR UPDATE" : ""; }

std::string insertion_order(sql::Dialect dialect, std::string_view table_alias) {
  std::string column(table_alias);
  if (!column.empty()) column += '.';
  column += dialect == sql::Dialect::kPostgres ? "ctid" : "rowid";
  return column;
}

}  // namespace mlflowcpp::server::store::sql_dialect
