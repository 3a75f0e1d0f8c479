#pragma once

// The first stage of the search grammar: a filter or order_by string cut into
// tokens. Internal to the search library.
//
// Identifiers are read whole, dots included (`metrics.loss`,
// `tags."my-key"`, `` `params`.`model class` ``), because whether a dot
// separates an entity from its key, or belongs to an unquoted key such as
// `tags.mlflow.parentRunId`, is decided later from the parts.

#include <string>
#include <string_view>
#include <vector>

namespace mlflowcpp::server::search::detail {

enum class QuoteStyle { kNone, kBacktick, kDouble };

// One dot-separated piece of an identifier, without its quotes.
struct IdentifierPart {
  std::string text;
  QuoteStyle quote = QuoteStyle::kNone;
};

enum class TokenKind {
  kIdentifier,  // one or more parts joined by dots; also keywords (AND, LIKE, ...) and "double-quoted" text
  kString,      // 'single-quoted'
  kNumber,      // -1, 0.5, .5, 1e-3
  kOperator,    // a run of the characters = ! < > (checked by the parser)
  kLeftParen,
  kRightParen,
  kComma,
  kSemicolon,
  kEnd,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string source;                 // as written, quotes included
  std::string text;                   // kString: the text inside the quotes; others: as written
  std::vector<IdentifierPart> parts;  // kIdentifier only
};

// The tokens of `input`, always ending with one kEnd token. Throws
// INVALID_PARAMETER_VALUE on characters outside the grammar, unterminated
// quotes and malformed numbers. `what` names the input in messages ("filter").
std::vector<Token> tokenize(std::string_view input, std::string_view what);

// Whether the token is the bare word `keyword` (compared case-insensitively;
// `keyword` is given in upper case).
bool is_keyword(const Token& token, std::string_view keyword);

}  // namespace mlflowcpp::server::search::detail
