// The filter grammar of SearchLoggedModels: parse_logged_model_filter.
#include "server/search/logged_model_search.hpp"
#include "server/search/search_limits.hpp"
#include "server/search/python_text.hpp"
#include "server/search/syntax.hpp"
#include "server/search/tokenizer.hpp"

#include <mlflowcpp/errors.hpp>
#include <mlflowcpp/logged_model.hpp>

#include <fmt/format.h>

#include <array>
#include <optional>

namespace mlflowcpp::server::search {
namespace {

using detail::Token;
using detail::TokenKind;

enum class ValueType { kString, kNumber, kStatus };

struct AttributeName {
  std::string_view written;
  std::string_view column;
  ValueType type;
};

constexpr std::array<AttributeName, 12> kAttributes{{
    {"name", "name", ValueType::kString},
    {"model_id", "model_id", ValueType::kString},
    {"model_type", "model_type", ValueType::kString},
    {"source_run_id", "source_run_id", ValueType::kString},
    {"status_message", "status_message", ValueType::kString},
    {"artifact_location", "artifact_location", ValueType::kString},
    {"status", "status", ValueType::kStatus},
    {"creation_timestamp_ms", "creation_timestamp_ms", ValueType::kNumber},
    {"creation_timestamp", "creation_timestamp_ms", ValueType::kNumber},
    {"creation_time", "creation_timestamp_ms", ValueType::kNumber},
    {"last_updated_timestamp_ms", "last_updated_timestamp_ms", ValueType::kNumber},
    {"last_updated_timestamp", "last_updated_timestamp_ms", ValueType::kNumber},
}};

const AttributeName& attribute(const std::string& key) {
  for (const auto& each : kAttributes) {
    if (each.written == key) return each;
  }
  throw invalid_parameter(fmt::format(
      "Invalid attribute key: {}. Expected one of ['name', 'model_id', 'model_type', 'source_run_id', "
      "'status', 'status_message', 'artifact_location', 'creation_timestamp', 'last_updated_timestamp'].",
      detail::python_repr(std::string_view(key))));
}

LoggedModelEntity entity_from_word(const std::string& word) {
  if (word == "attributes") return LoggedModelEntity::kAttribute;
  if (word == "metrics") return LoggedModelEntity::kMetric;
  if (word == "params") return LoggedModelEntity::kParam;
  if (word == "tags") return LoggedModelEntity::kTag;
  throw invalid_parameter(fmt::format(
      "Invalid entity type: {}. Expected one of ['attributes', 'metrics', 'params', 'tags'].",
      detail::python_repr(std::string_view(word))));
}

std::string_view entity_word(LoggedModelEntity entity) {
  switch (entity) {
    case LoggedModelEntity::kMetric: return "metrics";
    case LoggedModelEntity::kParam: return "params";
    case LoggedModelEntity::kTag: return "tags";
    case LoggedModelEntity::kAttribute: break;
  }
  return "attributes";
}

bool is_lower_word(const detail::IdentifierPart& part) {
  if (part.text.empty() || part.quote == detail::QuoteStyle::kDouble) return false;
  for (char c : part.text) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

class LoggedModelFilterParser {
 public:
  explicit LoggedModelFilterParser(std::string_view filter)
      : filter_(filter), tokens_(detail::tokenize(filter, "filter")) {}

  std::vector<LoggedModelClause> run() {
    std::vector<LoggedModelClause> clauses;
    if (peek().kind == TokenKind::kEnd) return clauses;
    while (true) {
      clauses.push_back(comparison());
      check_filter_clause_count(clauses.size());
      if (peek().kind == TokenKind::kEnd) return clauses;
      if (!detail::is_keyword(peek(), "AND")) not_a_list_of_comparisons();
      ++next_;
      if (peek().kind == TokenKind::kEnd) not_a_list_of_comparisons();
    }
  }

 private:
  const Token& peek() const { return tokens_[next_]; }
  const Token& take() { return tokens_[next_++]; }

  [[noreturn]] void not_a_list_of_comparisons() const {
    throw invalid_parameter(fmt::format(
        "Invalid filter string: {}. Expected a list of comparisons separated by 'AND' "
        "(e.g. 'metrics.loss > 0.1 AND params.lr = 0.01').",
        detail::python_repr(filter_)));
  }

  LoggedModelClause comparison() {
    const Token& identifier = take();
    if (identifier.kind != TokenKind::kIdentifier || detail::is_keyword(identifier, "AND")) {
      not_a_list_of_comparisons();
    }
    LoggedModelClause clause;
    // An identifier names an entity when it starts with a lower-case word and a
    // dot (`metrics.loss`); anything else is an attribute.
    const auto& parts = identifier.parts;
    if (parts.size() >= 2 && is_lower_word(parts.front())) {
      const detail::EntityAndKey name = detail::split_identifier(parts, identifier.source);
      clause.entity = entity_from_word(*name.entity);
      clause.key = name.key;
    } else {
      clause.key = parts.size() == 1 ? parts.front().text : identifier.source;
    }
    ValueType type = ValueType::kString;
    if (clause.entity == LoggedModelEntity::kMetric) type = ValueType::kNumber;
    if (clause.entity == LoggedModelEntity::kAttribute) {
      const AttributeName& name = attribute(clause.key);
      clause.key = std::string(name.column);
      type = name.type;
    }
    const std::string what = fmt::format("{}.{}", entity_word(clause.entity), clause.key);
    clause.comparator = comparator(what, type);
    clause.value = value(what, type, clause.comparator);
    return clause;
  }

  Comparator comparator(const std::string& what, ValueType type) {
    const Token& token = take();
    std::optional<Comparator> found;
    std::string written = token.text;
    if (token.kind == TokenKind::kOperator) {
      if (token.text == "=") found = Comparator::kEq;
      if (token.text == "!=") found = Comparator::kNe;
      if (token.text == "<") found = Comparator::kLt;
      if (token.text == "<=") found = Comparator::kLe;
      if (token.text == ">") found = Comparator::kGt;
      if (token.text == ">=") found = Comparator::kGe;
    } else if (detail::is_keyword(token, "LIKE")) {
      found = Comparator::kLike;
    } else if (detail::is_keyword(token, "ILIKE")) {
      found = Comparator::kILike;
    } else if (detail::is_keyword(token, "IN")) {
      found = Comparator::kIn;
    } else if (detail::is_keyword(token, "NOT") && detail::is_keyword(peek(), "IN")) {
      ++next_;
      found = Comparator::kNotIn;
      written = "NOT IN";
    } else if (token.kind == TokenKind::kEnd) {
      not_a_list_of_comparisons();
    }
    bool allowed = false;
    if (found) {
      const Comparator op = *found;
      const bool numeric_op = op == Comparator::kEq || op == Comparator::kNe || op == Comparator::kLt ||
                              op == Comparator::kLe || op == Comparator::kGt || op == Comparator::kGe;
      const bool string_op = op == Comparator::kEq || op == Comparator::kNe || op == Comparator::kLike ||
                             op == Comparator::kILike || op == Comparator::kIn || op == Comparator::kNotIn;
      allowed = type == ValueType::kNumber   ? numeric_op
                : type == ValueType::kStatus ? op == Comparator::kEq || op == Comparator::kNe
                                             : string_op;
    }
    if (!allowed) {
      // MLflow's message lists the string operators whatever the identifier.
      throw invalid_parameter(fmt::format(
          "Invalid comparison operator for {}: {}. Expected one of ('=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN').",
          what, detail::python_repr(std::string_view(written))));
    }
    return *found;
  }

  Literal value(const std::string& what, ValueType type, Comparator comparator) {
    const bool wants_list = comparator == Comparator::kIn || comparator == Comparator::kNotIn;
    if (wants_list) return list(what);
    const Token& token = take();
    if (type == ValueType::kNumber) {
      if (token.kind != TokenKind::kNumber) {
        throw invalid_parameter(
            fmt::format("Invalid filter string: {}. Expected a number to compare {} with, got {}.",
                        detail::python_repr(filter_), what, token.kind == TokenKind::kEnd ? "nothing" : token.source));
      }
      return Number{token.text, detail::number_value(token.text)};
    }
    std::string text;
    if (token.kind == TokenKind::kString || token.kind == TokenKind::kNumber) {
      text = token.text;
    } else {
      throw invalid_parameter(fmt::format("Invalid filter string: {}. Expected a quoted string to compare {} with, got {}.",
                                          detail::python_repr(filter_), what,
                                          token.kind == TokenKind::kEnd ? "nothing" : token.source));
    }
    if (type == ValueType::kStatus) {
      const std::optional<LoggedModelStatus> status = parse_logged_model_status(text);
      if (!status) {
        throw invalid_parameter(fmt::format(
            "Invalid status {}: expected one of LOGGED_MODEL_PENDING, LOGGED_MODEL_READY, "
            "LOGGED_MODEL_UPLOAD_FAILED.",
            detail::python_repr(std::string_view(text))));
      }
      const int number = static_cast<int>(*status);
      return Number{std::to_string(number), static_cast<double>(number)};
    }
    return text;
  }

  std::vector<std::string> list(const std::string& what) {
    const auto bad_list = [&] {
      throw invalid_parameter(fmt::format("Invalid filter string: {}. Expected a parenthesised list of quoted "
                                          "strings to compare {} with.",
                                          detail::python_repr(filter_), what));
    };
    if (take().kind != TokenKind::kLeftParen) bad_list();
    std::vector<std::string> items;
    while (true) {
      const Token& item = take();
      if (item.kind != TokenKind::kString && item.kind != TokenKind::kNumber) bad_list();
      items.push_back(item.text);
      const Token& separator = take();
      if (separator.kind == TokenKind::kRightParen) return items;
      if (separator.kind != TokenKind::kComma) bad_list();
    }
  }

  std::string_view filter_;
  std::vector<Token> tokens_;
  std::size_t next_ = 0;
};

}  // namespace

std::vector<LoggedModelClause> parse_logged_model_filter(std::string_view filter) {
  check_filter_length(filter);  // before the tokenizer spends time on it
  return LoggedModelFilterParser(filter).run();
}

}  // namespace mlflowcpp::server::search
