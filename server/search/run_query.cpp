// compile_run_query: one page of search_runs as a single parameterised SELECT.
//
// Shape (every filter on a metric, param, tag or dataset is an EXISTS that
// looks its row up by primary key (key, run_uuid); every order_by on one is a
// LEFT JOIN on the same key, so that missing rows can sort last):
//
//   SELECT runs.run_uuid FROM runs
//     LEFT JOIN latest_metrics AS o1 ON o1."key" = ? AND o1.run_uuid = runs.run_uuid
//   WHERE runs.experiment_id IN (?, ...) AND runs.lifecycle_stage IN ('active')
//     AND EXISTS (SELECT 1 FROM params AS f1 WHERE f1."key" = ? AND f1.run_uuid = runs.run_uuid AND f1.value = ?)
//   ORDER BY CASE WHEN o1.run_uuid IS NULL THEN 2 WHEN o1.is_nan THEN 1 ELSE 0 END, o1.value ASC,
//            runs.start_time DESC, runs.run_uuid ASC
//   LIMIT ? OFFSET ?
#include "server/search/search.hpp"
#include "server/search/search_limits.hpp"
#include "server/search/sql_fragment.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <charconv>
#include <set>
#include <utility>

namespace mlflowcpp::server::search {
namespace {

using detail::SqlFragment;

// runs.<column> for a canonical run attribute. run_name is the runs.name
// column, which the store keeps equal to the mlflow.runName tag.
std::string_view run_column(const std::string& attribute) {
  if (attribute == "run_id") return "runs.run_uuid";
  if (attribute == "run_name") return "runs.name";
  if (attribute == "status") return "runs.status";
  if (attribute == "user_id") return "runs.user_id";
  if (attribute == "artifact_uri") return "runs.artifact_uri";
  if (attribute == "start_time") return "runs.start_time";
  if (attribute == "end_time") return "runs.end_time";
  throw invalid_parameter(fmt::format("Invalid attribute key '{}' specified", attribute));
}

bool is_numeric_run_attribute(const std::string& attribute) {
  return attribute == "start_time" || attribute == "end_time";
}

std::string_view key_value_table(Entity entity) {
  switch (entity) {
    case Entity::kMetric: return "latest_metrics";
    case Entity::kParam: return "params";
    case Entity::kTag: return "tags";
    default: throw invalid_parameter(fmt::format("Invalid entity type '{}'", entity_name(entity)));
  }
}

// MLflow's run ids are lower-case hex; MLflow drops list items with upper-case
// letters (so that case-insensitive MySQL cannot match them). Kept here for the
// same answers on run ids that are not.
std::vector<std::string> without_upper_case(const std::vector<std::string>& items) {
  std::vector<std::string> kept;
  for (const std::string& item : items) {
    bool has_upper = false;
    for (char c : item) has_upper = has_upper || (c >= 'A' && c <= 'Z');
    if (!has_upper) kept.push_back(item);
  }
  return kept;
}

SqlFragment metric_condition(const Clause& clause, const std::string& alias) {
  const double value = detail::metric_value(clause.value, fmt::format("metric '{}'", clause.key));
  const std::string column = alias + ".value";
  SqlFragment out;
  out.text("EXISTS (SELECT 1 FROM latest_metrics AS ").text(alias).text(" WHERE ").text(alias).text(".\"key\" = ");
  out.bind(clause.key).text(" AND ").text(alias).text(".run_uuid = runs.run_uuid AND ");
  // NaN is stored as 0 with is_nan set: it differs from every number and is
  // neither smaller nor larger than any.
  if (clause.comparator == Comparator::kNe) {
    out.text("(").text(alias).text(".is_nan OR ");
    detail::append_number_comparison(out, column, clause.comparator, value);
    out.text(")");
  } else {
    out.text("NOT ").text(alias).text(".is_nan AND ");
    detail::append_number_comparison(out, column, clause.comparator, value);
  }
  out.text(")");
  return out;
}

SqlFragment param_or_tag_condition(const Clause& clause, const std::string& alias, Dialect dialect) {
  SqlFragment out;
  out.text("EXISTS (SELECT 1 FROM ").text(key_value_table(clause.entity)).text(" AS ").text(alias);
  out.text(" WHERE ").text(alias).text(".\"key\" = ").bind(clause.key);
  out.text(" AND ").text(alias).text(".run_uuid = runs.run_uuid AND ");
  detail::append_string_comparison(out, alias + ".value", clause.comparator, clause.value, dialect);
  out.text(")");
  return out;
}

SqlFragment attribute_condition(const Clause& clause, Dialect dialect) {
  const std::string_view column = run_column(clause.key);
  SqlFragment out;
  if (is_numeric_run_attribute(clause.key)) {
    detail::append_number_comparison(
        out, column, clause.comparator,
        detail::integer_column_value(clause.value, fmt::format("numeric attribute: {}", clause.key)));
  } else if (const auto* items = detail::list_value(clause.value); items != nullptr && clause.key == "run_id") {
    detail::append_string_comparison(out, column, clause.comparator, without_upper_case(*items), dialect);
  } else {
    detail::append_string_comparison(out, column, clause.comparator, clause.value, dialect);
  }
  return out;
}

// True when any dataset input of the run matches. (MLflow 2.9 also drops
// upper-case items from dataset lists, a side effect of its run-id rule that
// makes `dataset.name IN ('MNIST')` match nothing; names and digests are user
// text, so their lists are kept whole here.)
SqlFragment dataset_condition(const Clause& clause, const std::string& alias, Dialect dialect) {
  SqlFragment out;
  out.text("EXISTS (SELECT 1 FROM inputs AS ").text(alias);
  std::string column;
  if (clause.key == "context") {
    const std::string tags = alias + "t";
    out.text(" JOIN input_tags AS ").text(tags).text(" ON ").text(tags).text(".input_uuid = ").text(alias);
    out.text(".input_uuid AND ").text(tags).text(".name = 'mlflow.data.context'");
    column = tags + ".value";
  } else if (clause.key == "name" || clause.key == "digest") {
    const std::string datasets = alias + "d";
    out.text(" JOIN datasets AS ").text(datasets).text(" ON ").text(datasets).text(".dataset_uuid = ").text(alias);
    out.text(".source_id");
    column = datasets + "." + clause.key;  // one of two fixed column names
  } else {
    throw invalid_parameter(fmt::format("Invalid dataset key '{}' specified", clause.key));
  }
  out.text(" WHERE ").text(alias).text(".destination_type = 'RUN' AND ").text(alias);
  out.text(".destination_id = runs.run_uuid AND ").text(alias).text(".source_type = 'DATASET' AND ");
  detail::append_string_comparison(out, column, clause.comparator, clause.value, dialect);
  out.text(")");
  return out;
}

SqlFragment clause_condition(const Clause& clause, const std::string& alias, Dialect dialect) {
  switch (clause.entity) {
    case Entity::kMetric: return metric_condition(clause, alias);
    case Entity::kParam:
    case Entity::kTag: return param_or_tag_condition(clause, alias, dialect);
    case Entity::kAttribute: return attribute_condition(clause, dialect);
    case Entity::kDataset: return dataset_condition(clause, alias, dialect);
  }
  throw invalid_parameter("Invalid search clause");
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
  out.text("runs.experiment_id IN (");
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out.text(", ");
    out.bind(ids[i]);
  }
  return out.text(")");
}

struct Ordering {
  SqlFragment joins;
  SqlFragment terms;
};

Ordering ordering(const std::vector<OrderBy>& order_by) {
  Ordering out;
  std::set<std::pair<Entity, std::string>> seen;
  bool start_time_listed = false;
  int alias_number = 0;
  for (const OrderBy& each : order_by) {
    if (!seen.emplace(each.entity, each.key).second) {
      throw invalid_parameter(fmt::format("`order_by` contains duplicate fields: {} '{}'", entity_name(each.entity),
                                          each.key));
    }
    if (!out.terms.empty()) out.terms.text(", ");
    if (each.entity == Entity::kAttribute) {
      const std::string_view column = run_column(each.key);
      start_time_listed = start_time_listed || each.key == "start_time";
      out.terms.text("CASE WHEN ").text(column).text(" IS NULL THEN 1 ELSE 0 END, ").text(column);
      out.terms.text(detail::direction(each.ascending));
      continue;
    }
    const std::string alias = "o" + std::to_string(++alias_number);
    out.joins.text(" LEFT JOIN ").text(key_value_table(each.entity)).text(" AS ").text(alias);
    out.joins.text(" ON ").text(alias).text(".\"key\" = ").bind(each.key);
    out.joins.text(" AND ").text(alias).text(".run_uuid = runs.run_uuid");
    // Missing rows last, then (metrics) NaN after every number, in either direction.
    if (each.entity == Entity::kMetric) {
      out.terms.text("CASE WHEN ").text(alias).text(".run_uuid IS NULL THEN 2 WHEN ").text(alias);
      out.terms.text(".is_nan THEN 1 ELSE 0 END, ");
    } else {
      out.terms.text("CASE WHEN ").text(alias).text(".value IS NULL THEN 1 ELSE 0 END, ");
    }
    out.terms.text(alias).text(".value").text(detail::direction(each.ascending));
  }
  if (!out.terms.empty()) out.terms.text(", ");
  if (!start_time_listed) out.terms.text("runs.start_time DESC, ");
  out.terms.text("runs.run_uuid ASC");
  return out;
}

}  // namespace

SqlQuery compile_run_query(const RunQuery& query, Dialect dialect) {
  detail::assert_valid_page(query.limit, query.offset);
  check_filter_clause_count(query.filter.clauses.size());
  check_order_by_count(query.order_by.size());
  const std::string_view stages = detail::lifecycle_stages(query.view_type);
  const Ordering order = ordering(query.order_by);

  SqlFragment where = experiment_condition(query.experiment_ids);
  where.text(" AND runs.lifecycle_stage IN ").text(stages);
  int alias_number = 0;
  for (const Clause& clause : query.filter.clauses) {
    where.text(" AND ").append(clause_condition(clause, "f" + std::to_string(++alias_number), dialect));
  }

  SqlFragment sql;
  sql.text("SELECT runs.run_uuid FROM runs").append(order.joins);
  sql.text(" WHERE ").append(where);
  sql.text(" ORDER BY ").append(order.terms);
  sql.text(" LIMIT ").bind(query.limit).text(" OFFSET ").bind(query.offset);
  check_bound_value_count(sql.bindings.size(), dialect);
  return SqlQuery{std::move(sql.sql), std::move(sql.bindings)};
}

}  // namespace mlflowcpp::server::search
