#include "server/search/sql_fragment.hpp"

#include "server/search/placeholder_list.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cassert>
#include <charconv>
#include <limits>

namespace mlflowcpp::server::search::detail {

SqlFragment& SqlFragment::text(std::string_view fixed_sql) {
  sql += fixed_sql;
  return *this;
}

SqlFragment& SqlFragment::bind(SqlValue value) {
  sql += '?';
  bindings.push_back(std::move(value));
  return *this;
}

SqlFragment& SqlFragment::append(const SqlFragment& other) {
  sql += other.sql;
  bindings.insert(bindings.end(), other.bindings.begin(), other.bindings.end());
  return *this;
}

namespace {

[[noreturn]] void comparator_mismatch(Comparator comparator, std::string_view column) {
  throw invalid_parameter(
      fmt::format("Invalid comparator '{}' for the values compared with {}", comparator_name(comparator), column));
}

std::string_view number_operator(Comparator comparator, std::string_view column) {
  switch (comparator) {
    case Comparator::kEq: return " = ";
    case Comparator::kNe: return " <> ";
    case Comparator::kLt: return " < ";
    case Comparator::kLe: return " <= ";
    case Comparator::kGt: return " > ";
    case Comparator::kGe: return " >= ";
    default: comparator_mismatch(comparator, column);
  }
}

// MySQL: the collation's comparison (which an index answers) and the exact
// one on the bytes; `!=` is the negation of `=`.
void append_binary_string_comparison(SqlFragment& out, std::string_view column, Comparator comparator,
                                     const std::string& text) {
  switch (comparator) {
    case Comparator::kEq:
      out.text("(").text(column).text(" = ").bind(text).text(" AND BINARY ").text(column).text(" = ").bind(text);
      break;
    case Comparator::kNe:
      out.text("(").text(column).text(" <> ").bind(text).text(" OR BINARY ").text(column).text(" <> ").bind(text);
      break;
    case Comparator::kLike:
      out.text("(").text(column).text(" LIKE ").bind(text).text(" AND BINARY ").text(column).text(" LIKE ").bind(text);
      break;
    default:
      comparator_mismatch(comparator, column);
  }
  out.text(")");
}

}  // namespace

const std::vector<std::string>* list_value(const Literal& value) {
  return std::get_if<std::vector<std::string>>(&value);
}

const std::string& string_value(const Literal& value, std::string_view what) {
  const auto* text = std::get_if<std::string>(&value);
  if (text == nullptr) throw invalid_parameter(fmt::format("Expected a quoted string value for {}", what));
  return *text;
}

void append_string_comparison(SqlFragment& out, std::string_view column, Comparator comparator,
                              const Literal& value, Dialect dialect) {
  if (comparator == Comparator::kIn || comparator == Comparator::kNotIn) {
    const auto* items = list_value(value);
    if (items == nullptr) {
      throw invalid_parameter(fmt::format("{} needs a list of values", comparator_name(comparator)));
    }
    if (items->empty()) {
      // Nothing is in an empty list (and `IN ()` is not valid everywhere).
      out.text(comparator == Comparator::kIn ? "0 = 1" : "1 = 1");
      return;
    }
    out.text(column).text(comparator == Comparator::kIn ? " IN (" : " NOT IN (");
    for (std::size_t i = 0; i < items->size(); ++i) {
      if (i > 0) out.text(", ");
      out.bind((*items)[i]);
    }
    out.text(")");
    return;
  }
  const std::string& text = string_value(value, column);
  if (dialect == Dialect::kMysql && comparator != Comparator::kILike) {
    append_binary_string_comparison(out, column, comparator, text);
    return;
  }
  switch (comparator) {
    case Comparator::kEq:
    case Comparator::kNe:
      out.text(column).text(number_operator(comparator, column)).bind(text);
      return;
    case Comparator::kLike:
      out.text(column).text(" LIKE ").bind(text);
      return;
    case Comparator::kILike:
      if (dialect == Dialect::kPostgres) {
        out.text(column).text(" ILIKE ").bind(text);
      } else {
        out.text("lower(").text(column).text(") LIKE lower(").bind(text).text(")");
      }
      return;
    default:
      comparator_mismatch(comparator, column);
  }
}

void append_number_comparison(SqlFragment& out, std::string_view column, Comparator comparator,
                              const SqlValue& value) {
  out.text(column).text(number_operator(comparator, column)).bind(value);
}

SqlValue integer_column_value(const Literal& value, std::string_view what) {
  const auto* number = std::get_if<Number>(&value);
  if (number == nullptr) throw invalid_parameter(fmt::format("Expected numeric value type for {}", what));
  int64_t integer = 0;
  const char* first = number->text.data();
  const char* last = first + number->text.size();
  const auto [end, error] = std::from_chars(first, last, integer);
  if (error == std::errc() && end == last) return integer;
  return number->value;
}

double metric_value(const Literal& value, std::string_view what) {
  const auto* number = std::get_if<Number>(&value);
  if (number == nullptr) throw invalid_parameter(fmt::format("Expected numeric value type for {}", what));
  constexpr double kLargest = std::numeric_limits<double>::max();
  if (number->value > kLargest) return kLargest;
  if (number->value < -kLargest) return -kLargest;
  return number->value;
}

std::string_view lifecycle_stages(int view_type) {
  switch (view_type) {
    case 1: return "('active')";
    case 2: return "('deleted')";
    case 3: return "('active', 'deleted')";
    default: throw invalid_parameter(fmt::format("Invalid view_type {}: expected 1, 2 or 3", view_type));
  }
}

void assert_valid_page([[maybe_unused]] int64_t limit, [[maybe_unused]] int64_t offset) {
  assert(limit >= 0 && offset >= 0);
}

std::string_view direction(bool ascending) { return ascending ? " ASC" : " DESC"; }

void append_list_condition(SqlFragment& out, std::string_view column, const std::vector<SqlValue>& values,
                           bool integers, bool negated, Dialect dialect) {
  if (dialect == Dialect::kMysql) {
    const std::size_t placeholders = padded_list_size(values.size());
    out.text(placeholder_in_condition(column, placeholders, negated));
    // The padding repeats the last value: the same rows match.
    for (std::size_t i = 0; i < placeholders; ++i) out.bindings.push_back(values[std::min(i, values.size() - 1)]);
    return;
  }
  nlohmann::json array = nlohmann::json::array();
  for (const auto& value : values) std::visit([&](const auto& item) { array.push_back(item); }, value);
  out.text(column).text(negated ? " NOT IN (" : " IN (");
  if (dialect == Dialect::kPostgres) {
    out.text(integers ? "SELECT CAST(json_array_elements_text(CAST(? AS json)) AS BIGINT)"
                      : "SELECT json_array_elements_text(CAST(? AS json))");
  } else {
    out.text("SELECT value FROM json_each(?)");
  }
  out.bindings.emplace_back(array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  out.text(")");
}

std::string nulls_smallest_order(std::string_view column, bool ascending) {
  std::string sql = "CASE WHEN ";
  sql += column;
  sql += " IS NULL THEN 0 ELSE 1 END";
  sql += direction(ascending);
  sql += ", ";
  sql += column;
  sql += direction(ascending);
  return sql;
}

}  // namespace mlflowcpp::server::search::detail
