#include "server/search/tokenizer.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

namespace mlflowcpp::server::search::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Letters, digits and underscore; bytes of multi-byte UTF-8 sequences count as
// word characters so that keys in any script can be written unquoted.
bool is_word_char(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || byte >= 0x80;
}

bool is_word_start(char c) { return is_word_char(c) && !is_digit(c); }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool is_operator_char(char c) { return c == '=' || c == '!' || c == '<' || c == '>'; }

class Tokenizer {
 public:
  Tokenizer(std::string_view input, std::string_view what) : input_(input), what_(what) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    while (true) {
      while (pos_ < input_.size() && is_space(input_[pos_])) ++pos_;
      if (pos_ >= input_.size()) break;
      tokens.push_back(next());
    }
    Token end;
    end.kind = TokenKind::kEnd;
    tokens.push_back(std::move(end));
    return tokens;
  }

 private:
  Token next() {
    const std::size_t start = pos_;
    const char c = input_[pos_];
    Token token;
    if (c == '\'') {
      token.kind = TokenKind::kString;
      token.text = read_quoted('\'');
    } else if (is_word_start(c) || c == '`' || c == '"') {
      token.kind = TokenKind::kIdentifier;
      token.parts = read_identifier();
    } else if (is_digit(c) || ((c == '-' || c == '.') && starts_number(pos_))) {
      token.kind = TokenKind::kNumber;
      read_number();
    } else if (is_operator_char(c)) {
      token.kind = TokenKind::kOperator;
      while (pos_ < input_.size() && is_operator_char(input_[pos_])) ++pos_;
    } else if (c == '(' || c == ')' || c == ',' || c == ';') {
      token.kind = c == '(' ? TokenKind::kLeftParen
                   : c == ')' ? TokenKind::kRightParen
                   : c == ',' ? TokenKind::kComma
                              : TokenKind::kSemicolon;
      ++pos_;
    } else {
      fail(fmt::format("Invalid character '{}' at position {}", c, start));
    }
    token.source = std::string(input_.substr(start, pos_ - start));
    if (token.kind != TokenKind::kString) token.text = token.source;
    return token;
  }

  // After an opening quote at pos_: the text up to the closing quote. The
  // grammar has no escapes, so a value cannot contain its own quote character.
  std::string read_quoted(char quote) {
    const std::size_t start = pos_;
    const std::size_t close = input_.find(quote, start + 1);
    if (close == std::string_view::npos) {
      fail(fmt::format("Unterminated quoted text starting at position {}", start));
    }
    pos_ = close + 1;
    return std::string(input_.substr(start + 1, close - start - 1));
  }

  std::vector<IdentifierPart> read_identifier() {
    std::vector<IdentifierPart> parts;
    while (true) {
      const char c = input_[pos_];
      IdentifierPart part;
      if (c == '`' || c == '"') {
        part.quote = c == '`' ? QuoteStyle::kBacktick : QuoteStyle::kDouble;
        part.text = read_quoted(c);
      } else {
        const std::size_t start = pos_;
        while (pos_ < input_.size() && is_word_char(input_[pos_])) ++pos_;
        part.text = std::string(input_.substr(start, pos_ - start));
      }
      parts.push_back(std::move(part));
      if (pos_ >= input_.size() || input_[pos_] != '.') return parts;
      ++pos_;  // the dot
      if (pos_ >= input_.size() || !(is_word_char(input_[pos_]) || input_[pos_] == '`' || input_[pos_] == '"')) {
        fail(fmt::format("Invalid identifier: nothing follows the '.' at position {}", pos_ - 1));
      }
    }
  }

  bool starts_number(std::size_t at) const {
    if (at < input_.size() && input_[at] == '-') ++at;
    if (at < input_.size() && input_[at] == '.') ++at;
    return at < input_.size() && is_digit(input_[at]);
  }

  // -?(digits[.digits*] | .digits)([eE][+-]?digits)?, not followed by a word character.
  void read_number() {
    const std::size_t start = pos_;
    if (input_[pos_] == '-') ++pos_;
    auto skip_digits = [this] {
      std::size_t count = 0;
      for (; pos_ < input_.size() && is_digit(input_[pos_]); ++pos_) ++count;
      return count;
    };
    std::size_t digits = skip_digits();
    if (pos_ < input_.size() && input_[pos_] == '.') {
      ++pos_;
      digits += skip_digits();
    }
    bool valid = digits > 0;
    if (valid && pos_ < input_.size() && (input_[pos_] == 'e' || input_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < input_.size() && (input_[pos_] == '+' || input_[pos_] == '-')) ++pos_;
      valid = skip_digits() > 0;
    }
    if (!valid || (pos_ < input_.size() && (is_word_char(input_[pos_]) || input_[pos_] == '.'))) {
      while (pos_ < input_.size() && (is_word_char(input_[pos_]) || input_[pos_] == '.')) ++pos_;
      fail(fmt::format("Invalid number '{}' at position {}", input_.substr(start, pos_ - start), start));
    }
  }

  [[noreturn]] void fail(const std::string& problem) const {
    throw invalid_parameter(fmt::format("Error on parsing {} '{}': {}", what_, input_, problem));
  }

  std::string_view input_;
  std::string_view what_;
  std::size_t pos_ = 0;
};

char to_upper_ascii(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

std::vector<Token> tokenize(std::string_view input, std::string_view what) { return Tokenizer(input, what).run(); }

bool is_keyword(const Token& token, std::string_view keyword) {
  if (token.kind != TokenKind::kIdentifier || token.parts.size() != 1) return false;
  const IdentifierPart& part = token.parts.front();
  if (part.quote != QuoteStyle::kNone || part.text.size() != keyword.size()) return false;
  for (std::size_t i = 0; i < keyword.size(); ++i) {
    if (to_upper_ascii(part.text[i]) != keyword[i]) return false;
  }
  return true;
}

}  // namespace mlflowcpp::server::search::detail
