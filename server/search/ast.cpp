// Names and equality of the search AST.
#include "server/search/search.hpp"

namespace mlflowcpp::server::search {

std::string_view comparator_name(Comparator comparator) {
  switch (comparator) {
    case Comparator::kEq: return "=";
    case Comparator::kNe: return "!=";
    case Comparator::kLt: return "<";
    case Comparator::kLe: return "<=";
    case Comparator::kGt: return ">";
    case Comparator::kGe: return ">=";
    case Comparator::kLike: return "LIKE";
    case Comparator::kILike: return "ILIKE";
    case Comparator::kIn: return "IN";
    case Comparator::kNotIn: return "NOT IN";
  }
  return "?";
}

std::string_view entity_name(Entity entity) {
  switch (entity) {
    case Entity::kMetric: return "metric";
    case Entity::kParam: return "parameter";
    case Entity::kTag: return "tag";
    case Entity::kAttribute: return "attribute";
    case Entity::kDataset: return "dataset";
  }
  return "?";
}

bool operator==(const Number& a, const Number& b) { return a.text == b.text && a.value == b.value; }

bool operator==(const Clause& a, const Clause& b) {
  return a.entity == b.entity && a.key == b.key && a.comparator == b.comparator && a.value == b.value;
}

bool operator==(const Filter& a, const Filter& b) { return a.clauses == b.clauses; }

bool operator==(const OrderBy& a, const OrderBy& b) {
  return a.entity == b.entity && a.key == b.key && a.ascending == b.ascending;
}

}  // namespace mlflowcpp::server::search
