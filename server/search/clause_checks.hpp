#pragma once

// Checks shared by the run and experiment grammars: the value type and the
// comparators each kind of identifier accepts. Internal to the search library.

#include "server/search/search.hpp"
#include "server/search/syntax.hpp"

#include <initializer_list>
#include <string>
#include <string_view>

namespace mlflowcpp::server::search::detail {

inline constexpr std::initializer_list<Comparator> kNumericComparators = {
    Comparator::kEq, Comparator::kNe, Comparator::kLt, Comparator::kLe, Comparator::kGt, Comparator::kGe};
inline constexpr std::initializer_list<Comparator> kStringComparators = {
    Comparator::kEq, Comparator::kNe, Comparator::kLike, Comparator::kILike};
inline constexpr std::initializer_list<Comparator> kStringOrListComparators = {
    Comparator::kEq,   Comparator::kNe, Comparator::kLike,
    Comparator::kILike, Comparator::kIn, Comparator::kNotIn};

// The value as a Number; otherwise INVALID_PARAMETER_VALUE saying
// "Expected numeric value type for <what>. Found <value>".
Number require_number(const SyntaxValue& value, std::string_view what);

// The value as a quoted string; a number or list is rejected with
// `wrong_type_message`, unquoted text with a message asking for quotes.
std::string require_string(const SyntaxValue& value, const std::string& wrong_type_message);

// Throws INVALID_PARAMETER_VALUE unless `comparator` is one of `allowed`;
// `what` names the identifier ("metric 'loss'").
void require_comparator(Comparator comparator, std::initializer_list<Comparator> allowed, const std::string& what);

}  // namespace mlflowcpp::server::search::detail
