#include "server/search/clause_checks.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace mlflowcpp::server::search::detail {

Number require_number(const SyntaxValue& value, std::string_view what) {
  if (value.kind != SyntaxValue::Kind::kNumber) {
    throw invalid_parameter(fmt::format("Expected numeric value type for {}. Found {}", what, value.source));
  }
  return Number{value.text, number_value(value.text)};
}

std::string require_string(const SyntaxValue& value, const std::string& wrong_type_message) {
  switch (value.kind) {
    case SyntaxValue::Kind::kString:
      return value.text;
    case SyntaxValue::Kind::kUnquoted:
      throw invalid_parameter(fmt::format(
          "Value {} is either not quoted or quoted with unsupported quotes. Use single or double quotes for "
          "string values.",
          value.source));
    default:
      throw invalid_parameter(wrong_type_message);
  }
}

void require_comparator(Comparator comparator, std::initializer_list<Comparator> allowed, const std::string& what) {
  if (std::find(allowed.begin(), allowed.end(), comparator) != allowed.end()) return;
  std::string names;
  for (Comparator each : allowed) {
    if (!names.empty()) names += ", ";
    names += comparator_name(each);
  }
  throw invalid_parameter(fmt::format("Invalid comparator '{}' for {}. Valid comparators are {}.",
                                      comparator_name(comparator), what, names));
}

}  // namespace mlflowcpp::server::search::detail
