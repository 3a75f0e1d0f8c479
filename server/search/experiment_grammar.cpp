// Which identifiers, values and comparators search_experiments accepts
// (MLflow's SearchExperimentsUtils rules): parse_experiment_filter and
// parse_experiment_order_by.
#include "server/search/clause_checks.hpp"
#include "server/search/search.hpp"
#include "server/search/syntax.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <optional>

namespace mlflowcpp::server::search {
namespace {

// Experiments know only attributes and tags, and fewer spellings than runs.
Entity experiment_entity(const std::optional<std::string>& word) {
  if (!word || *word == "attribute") return Entity::kAttribute;
  if (*word == "tag" || *word == "tags") return Entity::kTag;
  throw invalid_parameter(fmt::format(
      "Invalid entity type '{}'. Valid entity types are ('attribute', 'tag', 'tags')", *word));
}

bool is_numeric_attribute(const std::string& key) { return key == "creation_time" || key == "last_update_time"; }

Clause experiment_clause(const detail::SyntaxClause& syntax) {
  const detail::EntityAndKey name = detail::split_identifier(syntax.identifier, syntax.identifier_source);
  Clause clause;
  clause.entity = experiment_entity(name.entity);
  clause.key = name.key;
  clause.comparator = syntax.comparator;
  const detail::SyntaxValue& value = syntax.value;
  if (clause.entity == Entity::kTag) {
    clause.value = detail::require_string(
        value, fmt::format("Expected a quoted string value for tag (e.g. 'my-value'). Got value {}", value.source));
    detail::require_comparator(clause.comparator, detail::kStringComparators, fmt::format("tag '{}'", clause.key));
    return clause;
  }
  if (is_numeric_attribute(clause.key)) {
    clause.value = detail::require_number(value, fmt::format("numeric attribute: {}", clause.key));
    detail::require_comparator(clause.comparator, detail::kNumericComparators,
                               fmt::format("numeric attribute '{}'", clause.key));
    return clause;
  }
  if (clause.key != "name") {
    throw invalid_parameter(fmt::format(
        "Invalid attribute key '{}' specified. Valid keys are 'name', 'creation_time', 'last_update_time'",
        clause.key));
  }
  if (value.kind == detail::SyntaxValue::Kind::kList) {
    throw invalid_parameter("Only the 'run_id' attribute supports comparison with a list of quoted string values.");
  }
  clause.value = detail::require_string(
      value, fmt::format("Expected a quoted string value for attributes. Got value {}", value.source));
  detail::require_comparator(clause.comparator, detail::kStringComparators, "string attribute 'name'");
  return clause;
}

}  // namespace

Filter parse_experiment_filter(std::string_view filter) {
  Filter result;
  for (const detail::SyntaxClause& syntax : detail::parse_filter_syntax(filter)) {
    result.clauses.push_back(experiment_clause(syntax));
  }
  return result;
}

OrderBy parse_experiment_order_by(std::string_view order_by) {
  const detail::SyntaxOrderBy syntax = detail::parse_order_by_syntax(order_by);
  const detail::EntityAndKey name = detail::split_identifier(syntax.identifier, syntax.identifier_source);
  OrderBy result;
  result.entity = experiment_entity(name.entity);
  result.key = name.key;
  result.ascending = syntax.ascending;
  if (result.entity != Entity::kAttribute) {
    throw invalid_parameter(fmt::format("Invalid order_by entity: {}", entity_name(result.entity)));
  }
  if (result.key != "name" && result.key != "experiment_id" && !is_numeric_attribute(result.key)) {
    throw invalid_parameter(fmt::format(
        "Invalid attribute key '{}' specified. Valid keys are 'name', 'experiment_id', 'creation_time', "
        "'last_update_time'",
        result.key));
  }
  return result;
}

}  // namespace mlflowcpp::server::search
