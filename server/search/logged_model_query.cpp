// compile_logged_model_query: one page of SearchLoggedModels as a single
// parameterised SELECT.
//
// Shape (filters on metrics, params and tags are EXISTS on the model's rows;
// a metric order_by term is a scalar subquery for the latest value, missing
// values last):
//
//   SELECT lm.model_id FROM logged_models AS lm
//   WHERE lm.experiment_id IN (?, ...) AND lm.lifecycle_stage = 'active'
//     AND EXISTS (SELECT 1 FROM logged_model_metrics AS f1 WHERE f1.model_id = lm.model_id
//                 AND f1.metric_name = ? AND f1.metric_value > ?)
//   ORDER BY (<latest accuracy>) DESC NULLS LAST, lm.creation_timestamp_ms DESC, lm.model_id ASC
//   LIMIT ? OFFSET ?
#include "server/search/logged_model_search.hpp"
#include "server/search/search_limits.hpp"
#include "server/search/sql_fragment.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <array>
#include <charconv>

namespace mlflowcpp::server::search {
namespace {

using detail::SqlFragment;

struct OrderableAttribute {
  std::string_view field;
  std::string_view column;
};

// The attributes order_by accepts: MLflow takes any column of logged_models
// by name, plus the timestamp aliases.
constexpr std::array<OrderableAttribute, 13> kOrderableAttributes{{
    {"model_id", "lm.model_id"},
    {"experiment_id", "lm.experiment_id"},
    {"name", "lm.name"},
    {"artifact_location", "lm.artifact_location"},
    {"creation_timestamp_ms", "lm.creation_timestamp_ms"},
    {"creation_timestamp", "lm.creation_timestamp_ms"},
    {"creation_time", "lm.creation_timestamp_ms"},
    {"last_updated_timestamp_ms", "lm.last_updated_timestamp_ms"},
    {"last_updated_timestamp", "lm.last_updated_timestamp_ms"},
    {"status", "lm.status"},
    {"model_type", "lm.model_type"},
    {"source_run_id", "lm.source_run_id"},
    {"status_message", "lm.status_message"},
}};

std::string_view attribute_column(const std::string& column) {
  // The grammar hands over canonical column names only.
  for (const auto& each : kOrderableAttributes) {
    if (each.field == column) return each.column;
  }
  throw invalid_parameter(fmt::format("Invalid attribute key: '{}'", column));
}

SqlFragment experiment_condition(const std::vector<std::string>& experiment_ids) {
  // experiment_id is an integer column: an id that is not an integer names no
  // experiment, so it matches nothing.
  std::vector<int64_t> ids;
  for (const std::string& id : experiment_ids) {
    int64_t value = 0;
    const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), value);
    if (error == std::errc() && end == id.data() + id.size() && !id.empty()) ids.push_back(value);
  }
  SqlFragment out;
  if (ids.empty()) return out.text("0 = 1");
  out.text("lm.experiment_id IN (");
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out.text(", ");
    out.bind(ids[i]);
  }
  return out.text(")");
}

// `(alias.dataset_name = ? [AND alias.dataset_digest = ?]) OR ...`, parenthesised.
SqlFragment dataset_condition(const std::vector<LoggedModelDataset>& datasets, const std::string& alias) {
  SqlFragment out;
  out.text("(");
  for (std::size_t i = 0; i < datasets.size(); ++i) {
    if (i > 0) out.text(" OR ");
    out.text("(").text(alias).text(".dataset_name = ").bind(datasets[i].dataset_name);
    if (datasets[i].dataset_digest) out.text(" AND ").text(alias).text(".dataset_digest = ").bind(*datasets[i].dataset_digest);
    out.text(")");
  }
  return out.text(")");
}

SqlFragment metric_condition(const LoggedModelClause& clause, const std::vector<LoggedModelDataset>& datasets,
                             const std::string& alias) {
  const double value = detail::metric_value(clause.value, fmt::format("metric '{}'", clause.key));
  SqlFragment out;
  out.text("EXISTS (SELECT 1 FROM logged_model_metrics AS ").text(alias).text(" WHERE ").text(alias);
  out.text(".model_id = lm.model_id AND ").text(alias).text(".metric_name = ").bind(clause.key).text(" AND ");
  detail::append_number_comparison(out, alias + ".metric_value", clause.comparator, value);
  if (!datasets.empty()) out.text(" AND ").append(dataset_condition(datasets, alias));
  return out.text(")");
}

SqlFragment param_or_tag_condition(const LoggedModelClause& clause, const std::string& alias, Dialect dialect) {
  const bool param = clause.entity == LoggedModelEntity::kParam;
  const std::string_view table = param ? "logged_model_params" : "logged_model_tags";
  const std::string key_column = alias + (param ? ".param_key" : ".tag_key");
  const std::string value_column = alias + (param ? ".param_value" : ".tag_value");
  SqlFragment out;
  out.text("EXISTS (SELECT 1 FROM ").text(table).text(" AS ").text(alias).text(" WHERE ").text(alias);
  out.text(".model_id = lm.model_id AND ").text(key_column).text(" = ").bind(clause.key).text(" AND ");
  detail::append_string_comparison(out, value_column, clause.comparator, clause.value, dialect);
  return out.text(")");
}

SqlFragment attribute_condition(const LoggedModelClause& clause, Dialect dialect) {
  const std::string_view column = attribute_column(clause.key);
  SqlFragment out;
  if (std::holds_alternative<Number>(clause.value)) {
    detail::append_number_comparison(out, column, clause.comparator,
                                      detail::integer_column_value(clause.value, clause.key));
  } else {
    detail::append_string_comparison(out, column, clause.comparator, clause.value, dialect);
  }
  return out;
}

// The model's latest value of one metric (greatest timestamp, then step), on
// the term's dataset when it names one.
SqlFragment latest_metric_value(const LoggedModelOrderBy& term, const std::string& key, const std::string& alias) {
  SqlFragment out;
  out.text("(SELECT ").text(alias).text(".metric_value FROM logged_model_metrics AS ").text(alias);
  out.text(" WHERE ").text(alias).text(".model_id = lm.model_id AND ").text(alias).text(".metric_name = ").bind(key);
  if (term.dataset_name) out.text(" AND ").text(alias).text(".dataset_name = ").bind(*term.dataset_name);
  if (term.dataset_digest) out.text(" AND ").text(alias).text(".dataset_digest = ").bind(*term.dataset_digest);
  // Values logged at the same time and step by several runs (MLflow leaves the
  // choice open): the greatest run id's, so the choice does not depend on the
  // database. That is the order of the table's primary key (model_id,
  // metric_name, metric_timestamp_ms, metric_step, run_id): the subquery reads
  // one index entry, without sorting, for each model it orders.
  out.text(" ORDER BY ").text(alias).text(".metric_timestamp_ms DESC, ").text(alias).text(".metric_step DESC, ");
  out.text(alias).text(".run_id DESC LIMIT 1)");
  return out;
}

SqlFragment ordering(const std::vector<LoggedModelOrderBy>& order_by, Dialect dialect) {
  SqlFragment out;
  bool creation_listed = false;
  int alias_number = 0;
  for (const LoggedModelOrderBy& term : order_by) {
    const std::string_view direction = detail::direction(term.ascending);
    const std::size_t dot = term.field_name.find('.');
    if (dot == std::string::npos) {
      std::string_view column;
      for (const auto& each : kOrderableAttributes) {
        if (each.field == term.field_name) column = each.column;
      }
      if (column.empty()) throw invalid_parameter(fmt::format("Invalid order by field name: {}", term.field_name));
      creation_listed = creation_listed || column == "lm.creation_timestamp_ms";
      out.text("CASE WHEN ").text(column).text(" IS NULL THEN 1 ELSE 0 END, ").text(column).text(direction);
      out.text(", ");
      continue;
    }
    if (term.field_name.compare(0, dot, "metrics") != 0) {
      throw invalid_parameter(
          fmt::format("Invalid order by field name: {}. Only metrics are supported.", term.field_name));
    }
    const std::string key = term.field_name.substr(dot + 1);
    // NULLS LAST (SQLite 3.30+, PostgreSQL) rather than a CASE on the value: the
    // subquery then runs once per model, not twice.
    const SqlFragment value = latest_metric_value(term, key, "o" + std::to_string(++alias_number));
    if (dialect == Dialect::kMysql) {
      // MySQL has no NULLS LAST: a missing value sorts after every other first.
      out.append(value).text(" IS NULL, ").append(value).text(direction).text(", ");
    } else {
      out.append(value).text(direction).text(" NULLS LAST, ");
    }
  }
  if (!creation_listed) out.text("lm.creation_timestamp_ms DESC, ");
  return out.text("lm.model_id ASC");
}

}  // namespace

SqlQuery compile_logged_model_query(const LoggedModelQuery& query, Dialect dialect) {
  detail::assert_valid_page(query.limit, query.offset);
  check_filter_clause_count(query.filter.size());
  check_order_by_count(query.order_by.size());
  SqlFragment where = experiment_condition(query.experiment_ids);
  where.text(" AND lm.lifecycle_stage = 'active'");
  bool has_metric_clause = false;
  int alias_number = 0;
  for (const LoggedModelClause& clause : query.filter) {
    const std::string alias = "f" + std::to_string(++alias_number);
    where.text(" AND ");
    switch (clause.entity) {
      case LoggedModelEntity::kMetric:
        has_metric_clause = true;
        where.append(metric_condition(clause, query.datasets, alias));
        break;
      case LoggedModelEntity::kParam:
      case LoggedModelEntity::kTag: where.append(param_or_tag_condition(clause, alias, dialect)); break;
      case LoggedModelEntity::kAttribute: where.append(attribute_condition(clause, dialect)); break;
    }
  }
  // Datasets without a metric clause: models with any metric on one of them.
  if (!query.datasets.empty() && !has_metric_clause) {
    where.text(" AND EXISTS (SELECT 1 FROM logged_model_metrics AS d WHERE d.model_id = lm.model_id AND ");
    where.append(dataset_condition(query.datasets, "d")).text(")");
  }

  SqlFragment sql;
  sql.text("SELECT lm.model_id FROM logged_models AS lm WHERE ").append(where);
  sql.text(" ORDER BY ").append(ordering(query.order_by, dialect));
  sql.text(" LIMIT ").bind(query.limit).text(" OFFSET ").bind(query.offset);
  check_bound_value_count(sql.bindings.size(), dialect);
  return SqlQuery{std::move(sql.sql), std::move(sql.bindings)};
}

}  // namespace mlflowcpp::server::search
