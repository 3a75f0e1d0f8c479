#include "server/search/syntax.hpp"
#include "server/search/search_limits.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <charconv>
#include <limits>
#include <system_error>

namespace mlflowcpp::server::search::detail {
namespace {

// Reads tokens left to right; every syntax error names the whole input.
class FilterParser {
 public:
  explicit FilterParser(std::string_view filter) : filter_(filter), tokens_(tokenize(filter, "filter")) {}

  std::vector<SyntaxClause> run() {
    std::vector<SyntaxClause> clauses;
    if (peek().kind == TokenKind::kEnd) return clauses;
    while (true) {
      clauses.push_back(clause());
      check_filter_clause_count(clauses.size());
      const Token& after = peek();
      if (after.kind == TokenKind::kEnd) return clauses;
      if (after.kind == TokenKind::kSemicolon) {
        throw invalid_parameter(fmt::format(
            "Search filter contained multiple expressions '{}'. Provide an AND-ed expression list.", filter_));
      }
      if (is_keyword(after, "OR")) {
        throw invalid_parameter(fmt::format(
            "Invalid filter '{}': OR is not supported, clauses can only be joined with AND.", filter_));
      }
      if (!is_keyword(after, "AND")) invalid_clause(after);
      ++next_;
      if (peek().kind == TokenKind::kEnd) {
        throw invalid_parameter(fmt::format("Invalid filter '{}': a clause must follow AND.", filter_));
      }
    }
  }

 private:
  const Token& peek() const { return tokens_[next_]; }
  const Token& take() { return tokens_[next_++]; }

  SyntaxClause clause() {
    const Token& identifier = take();
    if (identifier.kind != TokenKind::kIdentifier || is_keyword(identifier, "AND")) invalid_clause(identifier);
    SyntaxClause result;
    result.identifier = identifier.parts;
    result.identifier_source = identifier.source;
    result.comparator = comparator(identifier);
    const bool wants_list = result.comparator == Comparator::kIn || result.comparator == Comparator::kNotIn;
    result.value = value(identifier);
    const bool is_list = result.value.kind == SyntaxValue::Kind::kList;
    if (wants_list && !is_list) {
      throw invalid_parameter(fmt::format(
          "Invalid filter '{}': IN and NOT IN take a parenthesised list of quoted strings, got {}", filter_,
          describe(result.value.source)));
    }
    if (is_list && !wants_list) {
      throw invalid_parameter(fmt::format(
          "Invalid filter '{}': a list of values can only follow IN or NOT IN, not '{}'", filter_,
          comparator_name(result.comparator)));
    }
    return result;
  }

  Comparator comparator(const Token& identifier) {
    const Token& token = take();
    if (token.kind == TokenKind::kOperator) {
      if (token.text == "=") return Comparator::kEq;
      if (token.text == "!=") return Comparator::kNe;
      if (token.text == "<") return Comparator::kLt;
      if (token.text == "<=") return Comparator::kLe;
      if (token.text == ">") return Comparator::kGt;
      if (token.text == ">=") return Comparator::kGe;
      throw invalid_parameter(fmt::format("Invalid comparator '{}' in filter '{}'. Valid comparators are "
                                          "=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN.",
                                          token.text, filter_));
    }
    if (is_keyword(token, "LIKE")) return Comparator::kLike;
    if (is_keyword(token, "ILIKE")) return Comparator::kILike;
    if (is_keyword(token, "IN")) return Comparator::kIn;
    if (is_keyword(token, "NOT") && is_keyword(peek(), "IN")) {
      ++next_;
      return Comparator::kNotIn;
    }
    throw invalid_parameter(fmt::format("Invalid clause in filter '{}': expected a comparator after '{}', found {}",
                                        filter_, identifier.source, describe(token.source)));
  }

  SyntaxValue value(const Token& identifier) {
    const Token& token = take();
    SyntaxValue result;
    result.source = token.source;
    switch (token.kind) {
      case TokenKind::kString:
        result.kind = SyntaxValue::Kind::kString;
        result.text = token.text;
        return result;
      case TokenKind::kNumber:
        result.kind = SyntaxValue::Kind::kNumber;
        result.text = token.text;
        return result;
      case TokenKind::kIdentifier:
        if (token.parts.size() == 1 && token.parts.front().quote == QuoteStyle::kDouble) {
          result.kind = SyntaxValue::Kind::kString;
          result.text = token.parts.front().text;
        } else {
          result.kind = SyntaxValue::Kind::kUnquoted;
          result.text = token.source;
        }
        return result;
      case TokenKind::kLeftParen:
        return list(token);
      default:
        throw invalid_parameter(fmt::format("Invalid clause in filter '{}': expected a value after '{}', found {}",
                                            filter_, identifier.source, describe(token.source)));
    }
  }

  // After '(': 'a' (, 'b')* ')'. Only single-quoted strings may be listed.
  SyntaxValue list(const Token& open) {
    SyntaxValue result;
    result.kind = SyntaxValue::Kind::kList;
    result.source = open.source;
    if (peek().kind == TokenKind::kRightParen) {
      throw invalid_parameter(fmt::format(
          "Invalid filter '{}': expected a non-empty list of quoted strings, but got an empty list", filter_));
    }
    while (true) {
      const Token& item = take();
      if (item.kind != TokenKind::kString) {
        throw invalid_parameter(fmt::format(
            "Invalid filter '{}': a list may only hold single-quoted strings separated by commas, found {}",
            filter_, describe(item.source)));
      }
      result.items.push_back(item.text);
      check_in_list_size(result.items.size());
      result.source += item.source;
      const Token& separator = take();
      result.source += separator.source;
      if (separator.kind == TokenKind::kRightParen) return result;
      if (separator.kind != TokenKind::kComma) {
        throw invalid_parameter(fmt::format(
            "Invalid filter '{}': ill-formed list, expected ',' or ')' but found {}", filter_,
            describe(separator.source)));
      }
      result.source += ' ';
    }
  }

  [[noreturn]] void invalid_clause(const Token& token) const {
    throw invalid_parameter(fmt::format("Invalid clause(s) in filter string '{}' at {}", filter_,
                                        describe(token.source)));
  }

  static std::string describe(const std::string& source) {
    return source.empty() ? std::string("the end of the filter") : fmt::format("'{}'", source);
  }

  std::string_view filter_;
  std::vector<Token> tokens_;
  std::size_t next_ = 0;
};

}  // namespace

std::vector<SyntaxClause> parse_filter_syntax(std::string_view filter) {
  check_filter_length(filter);  // before the tokenizer spends time on it
  return FilterParser(filter).run();
}

SyntaxOrderBy parse_order_by_syntax(std::string_view order_by) {
  const std::vector<Token> tokens = tokenize(order_by, "order_by clause");
  auto cannot_parse = [&] {
    return invalid_parameter(fmt::format("Invalid order_by clause '{}'. Could not be parsed.", order_by));
  };
  if (tokens.front().kind != TokenKind::kIdentifier) throw cannot_parse();
  SyntaxOrderBy result;
  result.identifier = tokens.front().parts;
  result.identifier_source = tokens.front().source;
  if (tokens.size() == 2) return result;  // identifier, end
  if (tokens.size() != 3) throw cannot_parse();
  if (is_keyword(tokens[1], "ASC")) {
    result.ascending = true;
  } else if (is_keyword(tokens[1], "DESC")) {
    result.ascending = false;
  } else if (tokens[1].kind == TokenKind::kIdentifier) {
    throw invalid_parameter(fmt::format(
        "Invalid ordering key in order_by clause '{}': expected ASC or DESC, got '{}'.", order_by, tokens[1].source));
  } else {
    throw cannot_parse();
  }
  return result;
}

EntityAndKey split_identifier(const std::vector<IdentifierPart>& parts, std::string_view source) {
  EntityAndKey result;
  if (parts.size() == 1) {
    result.key = parts.front().text;
    return result;
  }
  const IdentifierPart& entity = parts.front();
  // Only backticks may quote the entity: "metrics".loss names no entity.
  result.entity = entity.quote == QuoteStyle::kDouble ? "\"" + entity.text + "\"" : entity.text;
  if (parts.size() == 2) {
    result.key = parts[1].text;
    return result;
  }
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].quote != QuoteStyle::kNone) {
      throw invalid_parameter(fmt::format(
          "Invalid identifier '{}'. Quote the whole key after the entity, e.g. tags.\"my.key\".", source));
    }
    if (i > 1) result.key += '.';
    result.key += parts[i].text;
  }
  return result;
}

double number_value(const std::string& text) {
  // from_chars, unlike strtod, ignores the process locale. The tokenizer only
  // lets decimal numbers through, so the whole text is read; out of range
  // means a huge exponent (±inf, as a comparison needs) or a tiny one (0).
  double value = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(first, last, value);
  if (error == std::errc::result_out_of_range) {
    const bool negative = !text.empty() && text.front() == '-';
    const std::size_t exponent = text.find_first_of("eE");
    const bool tiny = exponent != std::string::npos && exponent + 1 < text.size() && text[exponent + 1] == '-';
    if (tiny) return negative ? -0.0 : 0.0;
    return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  return value;
}

}  // namespace mlflowcpp::server::search::detail
