#include "server/store/mysql_sql_text.hpp"

namespace mlflowcpp::server::store::mysql {

namespace {

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Index just past the quoted text opened at `start` (a doubled quote, or a
// backslash in a string literal, escapes the next character).
size_t skip_quoted(const std::string& sql, size_t start) {
  const char close = sql[start];
  size_t i = start + 1;
  while (i < sql.size()) {
    if (close == '\'' && sql[i] == '\\') {
      i += 2;
      continue;
    }
    if (sql[i] == close) {
      if (i + 1 < sql.size() && sql[i + 1] == close) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return sql.size();
}

}  // namespace

std::string quote_key_columns(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 8);
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    size_t end = i + 1;
    if (c == '\'' || c == '"' || c == '`') {
      end = skip_quoted(sql, i);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      end = sql.find('\n', i);
      end = end == std::string::npos ? sql.size() : end + 1;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      end = sql.find("*/", i + 2);
      end = end == std::string::npos ? sql.size() : end + 2;
    } else if (is_word_char(c)) {
      while (end < sql.size() && is_word_char(sql[end])) ++end;
      if (sql.compare(i, end - i, "key") == 0) {
        out += "`key`";
        i = end;
        continue;
      }
    }
    out.append(sql, i, end - i);
    i = end;
  }
  return out;
}

}  // namespace mlflowcpp::server::store::mysql
