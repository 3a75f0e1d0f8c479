#pragma once

// The second stage of the search grammar: tokens arranged into clauses and
// order_by terms, before any search decides which identifiers and value types
// it accepts. Internal to the search library.

#include "server/search/search.hpp"
#include "server/search/tokenizer.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlflowcpp::server::search::detail {

struct SyntaxValue {
  enum class Kind {
    kString,    // 'single' or "double" quoted
    kNumber,
    kList,      // ('a', 'b'): IN / NOT IN only
    kUnquoted,  // a bare word or `backticked` text where a value belongs: rejected by every search
  };
  Kind kind = Kind::kString;
  std::string source;              // as written, for messages
  std::string text;                // kString: unquoted text; kNumber: as written
  std::vector<std::string> items;  // kList only
};

struct SyntaxClause {
  std::vector<IdentifierPart> identifier;
  std::string identifier_source;
  Comparator comparator = Comparator::kEq;
  SyntaxValue value;
};

// `clause (AND clause)*`; empty or blank input gives no clauses.
std::vector<SyntaxClause> parse_filter_syntax(std::string_view filter);

struct SyntaxOrderBy {
  std::vector<IdentifierPart> identifier;
  std::string identifier_source;
  bool ascending = true;
};

// `identifier [ASC|DESC]`.
SyntaxOrderBy parse_order_by_syntax(std::string_view order_by);

// An identifier split into its entity prefix (absent for a bare key) and key:
// `metrics.loss`, `` `metrics`.loss ``, `tags."a.b"`, `tags.mlflow.parentRunId`
// (unquoted parts after the prefix join back into one key), `"run name"`.
struct EntityAndKey {
  std::optional<std::string> entity;  // without backticks
  std::string key;
};
EntityAndKey split_identifier(const std::vector<IdentifierPart>& parts, std::string_view source);

// Number text as a double (±inf when out of range).
double number_value(const std::string& text);

}  // namespace mlflowcpp::server::search::detail
