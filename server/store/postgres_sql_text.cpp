#include "server/store/postgres_sql_text.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

namespace mlflowcpp::server::store::postgres {

namespace {

// Index just past the construct opened at `start` and closed by `close`
// (a doubled close character inside quotes is an escaped one).
size_t skip_quoted(const std::string& sql, size_t start, char close) {
  size_t i = start + 1;
  while (i < sql.size()) {
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

NumberedSql number_placeholders(const std::string& sql) {
  NumberedSql numbered;
  numbered.sql.reserve(sql.size() + 16);
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    size_t end = i + 1;
    if (c == '\'' || c == '"') {
      end = skip_quoted(sql, i, c);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      end = sql.find('\n', i);
      end = end == std::string::npos ? sql.size() : end + 1;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      end = sql.find("*/", i + 2);
      end = end == std::string::npos ? sql.size() : end + 2;
    } else if (c == '?') {
      numbered.sql += '$';
      numbered.sql += std::to_string(++numbered.parameter_count);
      i = end;
      continue;
    }
    numbered.sql.append(sql, i, end - i);
    i = end;
  }
  return numbered;
}

std::string float8_text(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return fmt::format("{}", value);
}

double parse_float8(const std::string& text) {
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity") return std::numeric_limits<double>::infinity();
  if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  if (text == "t") return 1;
  if (text == "f") return 0;
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

int64_t parse_int64(const std::string& text) {
  if (text == "t") return 1;
  if (text == "f") return 0;
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc() && end == text.data() + text.size()) return value;
  // A float8 or numeric read as an integer: truncated, as SQLite does.
  return static_cast<int64_t>(parse_float8(text));
}

}  // namespace mlflowcpp::server::store::postgres
