// compile_experiment_query: one page of search_experiments as a single
// parameterised SELECT; tag filters are EXISTS lookups by the primary key
// (key, experiment_id) of experiment_tags.
#include "server/search/scope_condition.hpp"
#include "server/search/search.hpp"
#include "server/search/search_limits.hpp"
#include "server/search/sql_fragment.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

namespace mlflowcpp::server::search {
namespace {

using detail::SqlFragment;

std::string_view experiment_column(const std::string& attribute) {
  if (attribute == "name") return "experiments.name";
  if (attribute == "experiment_id") return "experiments.experiment_id";
  if (attribute == "creation_time") return "experiments.creation_time";
  if (attribute == "last_update_time") return "experiments.last_update_time";
  throw invalid_parameter(fmt::format("Invalid attribute key '{}' specified", attribute));
}

bool is_numeric(const std::string& attribute) {
  return attribute == "experiment_id" || attribute == "creation_time" || attribute == "last_update_time";
}

SqlFragment clause_condition(const Clause& clause, const std::string& alias, Dialect dialect) {
  SqlFragment out;
  if (clause.entity == Entity::kTag) {
    out.text("EXISTS (SELECT 1 FROM experiment_tags AS ").text(alias).text(" WHERE ").text(alias);
    out.text(".\"key\" = ").bind(clause.key).text(" AND ").text(alias);
    out.text(".experiment_id = experiments.experiment_id AND ");
    detail::append_string_comparison(out, alias + ".value", clause.comparator, clause.value, dialect);
    return out.text(")");
  }
  if (clause.entity != Entity::kAttribute) {
    throw invalid_parameter(fmt::format("Invalid entity type '{}' for experiments", entity_name(clause.entity)));
  }
  const std::string_view column = experiment_column(clause.key);
  if (is_numeric(clause.key)) {
    detail::append_number_comparison(
        out, column, clause.comparator,
        detail::integer_column_value(clause.value, fmt::format("numeric attribute: {}", clause.key)));
  } else {
    detail::append_string_comparison(out, column, clause.comparator, clause.value, dialect);
  }
  return out;
}

void append_term(SqlFragment& terms, const std::string& key, bool ascending) {
  const std::string_view column = experiment_column(key);
  if (!terms.empty()) terms.text(", ");
  // Old experiments may lack times: NULL sorts last in either direction.
  if (key == "creation_time" || key == "last_update_time") {
    terms.text("CASE WHEN ").text(column).text(" IS NULL THEN 1 ELSE 0 END, ");
  }
  terms.text(column).text(detail::direction(ascending));
}

SqlFragment ordering(const std::vector<OrderBy>& order_by) {
  SqlFragment terms;
  if (order_by.empty()) {
    append_term(terms, "creation_time", false);
    append_term(terms, "experiment_id", true);
    return terms;
  }
  bool experiment_id_listed = false;
  for (const OrderBy& each : order_by) {
    if (each.entity != Entity::kAttribute) {
      throw invalid_parameter(fmt::format("Invalid order_by entity: {}", entity_name(each.entity)));
    }
    experiment_id_listed = experiment_id_listed || each.key == "experiment_id";
    append_term(terms, each.key, each.ascending);
  }
  // The official store's tie-break when order_by is given.
  if (!experiment_id_listed) append_term(terms, "experiment_id", false);
  return terms;
}

}  // namespace

SqlQuery compile_experiment_query(const ExperimentQuery& query, Dialect dialect) {
  detail::assert_valid_page(query.limit, query.offset);
  check_filter_clause_count(query.filter.clauses.size());
  check_order_by_count(query.order_by.size());
  SqlFragment sql;
  sql.text("SELECT experiments.experiment_id FROM experiments WHERE experiments.lifecycle_stage IN ");
  sql.text(detail::lifecycle_stages(query.view_type));
  const SqlFragment in_scope =
      detail::scope_condition("experiments.experiment_id", detail::ScopedColumn::kInteger, query.scope, dialect);
  if (!in_scope.empty()) sql.text(" AND ").append(in_scope);
  int alias_number = 0;
  for (const Clause& clause : query.filter.clauses) {
    sql.text(" AND ").append(clause_condition(clause, "f" + std::to_string(++alias_number), dialect));
  }
  sql.text(" ORDER BY ").append(ordering(query.order_by));
  sql.text(" LIMIT ").bind(query.limit).text(" OFFSET ").bind(query.offset);
  check_bound_value_count(sql.bindings.size(), dialect);
  return SqlQuery{std::move(sql.sql), std::move(sql.bindings)};
}

}  // namespace mlflowcpp::server::search
