// Which identifiers, values and comparators search_runs accepts (MLflow's
// SearchUtils rules): parse_run_filter and parse_run_order_by.
#include "server/search/clause_checks.hpp"
#include "server/search/search.hpp"
#include "server/search/syntax.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <array>
#include <optional>

namespace mlflowcpp::server::search {
namespace {

using detail::SyntaxValue;

struct EntityWord {
  std::string_view word;
  Entity entity;
};

constexpr std::array<EntityWord, 14> kEntityWords{{
    {"metric", Entity::kMetric},        {"metrics", Entity::kMetric},      {"parameter", Entity::kParam},
    {"parameters", Entity::kParam},     {"param", Entity::kParam},         {"params", Entity::kParam},
    {"tag", Entity::kTag},              {"tags", Entity::kTag},            {"attribute", Entity::kAttribute},
    {"attributes", Entity::kAttribute}, {"attr", Entity::kAttribute},      {"run", Entity::kAttribute},
    {"dataset", Entity::kDataset},      {"datasets", Entity::kDataset},
}};

// Entity words are case-sensitive, as in MLflow.
Entity run_entity(const std::optional<std::string>& word) {
  if (!word) return Entity::kAttribute;
  for (const auto& each : kEntityWords) {
    if (each.word == *word) return each.entity;
  }
  throw invalid_parameter(fmt::format(
      "Invalid entity type '{}'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']", *word));
}

struct AttributeName {
  std::string_view written;
  std::string_view canonical;
  bool numeric;
  bool orderable;  // the "run name" spellings are filter-only in MLflow
};

constexpr std::array<AttributeName, 12> kRunAttributes{{
    {"run_id", "run_id", false, true},
    {"run_name", "run_name", false, true},
    {"status", "status", false, true},
    {"user_id", "user_id", false, true},
    {"artifact_uri", "artifact_uri", false, true},
    {"start_time", "start_time", true, true},
    {"end_time", "end_time", true, true},
    {"created", "start_time", true, true},
    {"Created", "start_time", true, true},
    {"run name", "run_name", false, false},
    {"Run name", "run_name", false, false},
    {"Run Name", "run_name", false, false},
}};

const AttributeName& run_attribute(const std::string& key, bool for_order_by) {
  for (const auto& each : kRunAttributes) {
    if (each.written == key && (each.orderable || !for_order_by)) return each;
  }
  std::string valid;
  for (const auto& each : kRunAttributes) {
    if (!each.orderable && for_order_by) continue;
    valid += valid.empty() ? "" : ", ";
    valid += fmt::format("'{}'", each.written);
  }
  throw invalid_parameter(fmt::format("Invalid attribute key '{}' specified. Valid keys are {}", key, valid));
}

void check_dataset_key(const std::string& key) {
  if (key != "name" && key != "digest" && key != "context") {
    throw invalid_parameter(
        fmt::format("Invalid dataset key '{}' specified. Valid keys are 'name', 'digest', 'context'", key));
  }
}

Literal string_or_list(const SyntaxValue& value, const std::string& wrong_type_message) {
  if (value.kind == SyntaxValue::Kind::kList) return value.items;
  return detail::require_string(value, wrong_type_message);
}

Clause run_clause(const detail::SyntaxClause& syntax) {
  const detail::EntityAndKey name = detail::split_identifier(syntax.identifier, syntax.identifier_source);
  Clause clause;
  clause.entity = run_entity(name.entity);
  clause.key = name.key;
  clause.comparator = syntax.comparator;
  const SyntaxValue& value = syntax.value;
  switch (clause.entity) {
    case Entity::kMetric:
      clause.value = detail::require_number(value, "metric");
      detail::require_comparator(clause.comparator, detail::kNumericComparators,
                                 fmt::format("metric '{}'", clause.key));
      break;
    case Entity::kParam:
    case Entity::kTag: {
      const std::string_view what = entity_name(clause.entity);
      clause.value = detail::require_string(
          value, fmt::format("Expected a quoted string value for {} (e.g. 'my-value'). Got value {}", what,
                             value.source));
      detail::require_comparator(clause.comparator, detail::kStringComparators,
                                 fmt::format("{} '{}'", what, clause.key));
      break;
    }
    case Entity::kAttribute: {
      const AttributeName& attribute = run_attribute(name.key, false);
      clause.key = std::string(attribute.canonical);
      const std::string what = fmt::format("attribute '{}'", clause.key);
      if (attribute.numeric) {
        clause.value = detail::require_number(value, fmt::format("numeric attribute: {}", clause.key));
        detail::require_comparator(clause.comparator, detail::kNumericComparators, what);
      } else {
        if (value.kind == SyntaxValue::Kind::kList && clause.key != "run_id") {
          throw invalid_parameter(
              "Only the 'run_id' attribute supports comparison with a list of quoted string values.");
        }
        clause.value = string_or_list(
            value, fmt::format("Expected a quoted string value for attributes. Got value {}", value.source));
        detail::require_comparator(clause.comparator, detail::kStringOrListComparators, what);
      }
      break;
    }
    case Entity::kDataset:
      check_dataset_key(clause.key);
      clause.value = string_or_list(
          value, fmt::format("Expected a quoted string value for dataset attributes. Got value {}", value.source));
      detail::require_comparator(clause.comparator, detail::kStringOrListComparators,
                                 fmt::format("dataset '{}'", clause.key));
      break;
  }
  return clause;
}

}  // namespace

Filter parse_run_filter(std::string_view filter) {
  Filter result;
  for (const detail::SyntaxClause& syntax : detail::parse_filter_syntax(filter)) {
    result.clauses.push_back(run_clause(syntax));
  }
  return result;
}

OrderBy parse_run_order_by(std::string_view order_by) {
  const detail::SyntaxOrderBy syntax = detail::parse_order_by_syntax(order_by);
  const detail::EntityAndKey name = detail::split_identifier(syntax.identifier, syntax.identifier_source);
  OrderBy result;
  result.entity = run_entity(name.entity);
  result.key = name.key;
  result.ascending = syntax.ascending;
  if (result.entity == Entity::kAttribute) {
    result.key = std::string(run_attribute(name.key, true).canonical);
  } else if (result.entity == Entity::kDataset) {
    throw invalid_parameter(fmt::format(
        "Invalid order_by clause '{}': runs can be ordered by metrics, params, tags and attributes only.", order_by));
  }
  return result;
}

}  // namespace mlflowcpp::server::search
