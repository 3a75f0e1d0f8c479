#include "server/store/sql_dialect.hpp"

#include "server/search/placeholder_list.hpp"
#include "server/store/sql_entity_reader.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace mlflowcpp::server::store::sql_dialect {

namespace {

// The first column named in "table (a, b, ...) VALUES ...".
std::string first_column(std::string_view into_and_values) {
  const auto open = into_and_values.find('(');
  const auto end = into_and_values.find_first_of(",)", open);
  if (open == std::string_view::npos || end == std::string_view::npos) {
    throw std::logic_error("an INSERT without a column list: " + std::string(into_and_values));
  }
  std::string column(into_and_values.substr(open + 1, end - open - 1));
  while (!column.empty() && column.front() == ' ') column.erase(0, 1);
  while (!column.empty() && column.back() == ' ') column.pop_back();
  return column;
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string json_array(const std::vector<std::string>& values) { return json_string_array(values); }
std::string json_array(const std::vector<int64_t>& values) { return json_integer_array(values); }

}  // namespace

std::string insert_ignoring_duplicates(sql::Dialect dialect, std::string_view into_and_values) {
  switch (dialect) {
    case sql::Dialect::kPostgres:
      return "INSERT INTO " + std::string(into_and_values) + " ON CONFLICT DO NOTHING";
    case sql::Dialect::kMysql: {
      // Not INSERT IGNORE, which also turns other errors (a value too long) into warnings.
      const std::string column = first_column(into_and_values);
      return "INSERT INTO " + std::string(into_and_values) + " ON DUPLICATE KEY UPDATE " + column + " = " + column;
    }
    case sql::Dialect::kSqlite:
      break;
  }
  return "INSERT OR IGNORE INTO " + std::string(into_and_values);
}

std::string upsert(sql::Dialect dialect, std::string_view into_and_values,
                   const std::vector<std::string>& conflict_columns, const std::vector<std::string>& updated_columns) {
  std::string sql = "INSERT INTO " + std::string(into_and_values);
  std::vector<std::string> assignments;
  if (dialect == sql::Dialect::kMysql) {
    // VALUES(c) rather than MySQL 8's row alias, which MariaDB does not read.
    for (const auto& column : updated_columns) assignments.push_back(column + " = VALUES(" + column + ")");
    return sql + " ON DUPLICATE KEY UPDATE " + joined(assignments, ", ");
  }
  for (const auto& column : updated_columns) assignments.push_back(column + " = excluded." + column);
  return sql + " ON CONFLICT (" + joined(conflict_columns, ", ") + ") DO UPDATE SET " + joined(assignments, ", ");
}

std::string returning(sql::Dialect dialect, std::string_view column) {
  return dialect == sql::Dialect::kMysql ? std::string() : " RETURNING " + std::string(column);
}

int64_t inserted_id(sql::Connection& connection, sql::Statement& insert) {
  if (connection.dialect() == sql::Dialect::kMysql) {
    insert.execute();
    // Per connection: the key this connection's last INSERT generated.
    auto query = connection.statement("SELECT LAST_INSERT_ID()");
    if (!query->step()) throw std::runtime_error("SELECT LAST_INSERT_ID() returned no row");
    return query->column(0).as_int64();
  }
  if (!insert.step()) throw std::runtime_error("INSERT ... RETURNING returned no row");
  return insert.column(0).as_int64();
}

BoundList::BoundList(sql::Dialect dialect, std::vector<std::string> values)
    : dialect_(dialect), values_(std::move(values)) {}

BoundList::BoundList(sql::Dialect dialect, std::vector<int64_t> values)
    : dialect_(dialect), values_(std::move(values)) {}

int BoundList::placeholder_count() const {
  if (dialect_ != sql::Dialect::kMysql) return 1;
  return static_cast<int>(search::padded_list_size(std::visit([](const auto& v) { return v.size(); }, values_)));
}

std::string BoundList::in_condition(std::string_view column) const {
  const bool integers = std::holds_alternative<std::vector<int64_t>>(values_);
  switch (dialect_) {
    case sql::Dialect::kPostgres:
      return std::string(column) + (integers ? " IN (SELECT CAST(json_array_elements_text(CAST(? AS json)) AS BIGINT))"
                                             : " IN (SELECT json_array_elements_text(CAST(? AS json)))");
    case sql::Dialect::kMysql:
      return search::placeholder_in_condition(column, static_cast<std::size_t>(placeholder_count()));
    case sql::Dialect::kSqlite:
      break;
  }
  return std::string(column) + " IN (SELECT value FROM json_each(?))";
}

int BoundList::bind(sql::Statement& statement, int first) const {
  return std::visit(
      [&](const auto& values) {
        if (dialect_ != sql::Dialect::kMysql) {
          statement.bind(first, json_array(values));
          return first + 1;
        }
        const int count = placeholder_count();
        for (int i = 0; i < count; ++i) {
          // The padding repeats the last value: the same rows match.
          statement.bind(first + i, values[std::min(static_cast<std::size_t>(i), values.size() - 1)]);
        }
        return first + count;
      },
      values_);
}

bool writes_batches_in_key_order(sql::Dialect dialect) { return dialect != sql::Dialect::kSqlite; }

std::string_view row_lock(sql::Dialect dialect) { return dialect == sql::Dialect::kSqlite ? "" : " FOR UPDATE"; }

std::string insertion_order(sql::Dialect dialect, std::string_view table, std::string_view table_alias) {
  const std::string prefix = table_alias.empty() ? std::string() : std::string(table_alias) + ".";
  if (dialect == sql::Dialect::kPostgres) return prefix + "ctid";
  if (dialect == sql::Dialect::kSqlite) return prefix + "rowid";
  // The primary keys of MLflow's MySQL schema (mlflow-3-schema.mysql.sql).
  static const std::map<std::string_view, std::vector<std::string_view>> kPrimaryKeys = {
      {"experiment_tags", {"key", "experiment_id"}},
      {"tags", {"key", "run_uuid"}},
      {"params", {"key", "run_uuid"}},
      {"latest_metrics", {"key", "run_uuid"}},
      {"inputs", {"source_type", "source_id", "destination_type", "destination_id"}},
      {"input_tags", {"input_uuid", "name"}},
      {"model_version_tags", {"key", "name", "version"}},
      {"registered_model_tags", {"key", "name"}},
      {"logged_model_metrics", {"model_id", "metric_name", "metric_timestamp_ms", "metric_step", "run_id"}},
      {"logged_model_params", {"model_id", "param_key"}},
      {"logged_model_tags", {"model_id", "tag_key"}},
  };
  const auto found = kPrimaryKeys.find(table);
  if (found == kPrimaryKeys.end()) throw std::logic_error("no insertion order known for table " + std::string(table));
  std::string order;
  for (const auto column : found->second) {
    if (!order.empty()) order += ", ";
    order += prefix + std::string(column);
  }
  return order;
}

}  // namespace mlflowcpp::server::store::sql_dialect
