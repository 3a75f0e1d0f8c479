#pragma once

// Text conversions between the SQL layer and PostgreSQL's wire format.

#include <cstdint>
#include <string>

namespace mlflowcpp::server::store::postgres {

// `sql` with its '?' placeholders numbered $1, $2, ... as PostgreSQL's
// extended protocol wants them. A '?' inside a quoted literal, a quoted
// identifier or a comment is text, not a placeholder, and stays as it is.
struct NumberedSql {
  std::string sql;
  int parameter_count = 0;
};
NumberedSql number_placeholders(const std::string& sql);

// A double as float8 input text that reads back to the same value:
// shortest round-trip digits, and NaN / Infinity / -Infinity spelled as
// PostgreSQL spells them.
std::string float8_text(double value);
// float8 output text (also NaN / Infinity / -Infinity) as a double.
double parse_float8(const std::string& text);
// An integer column, a boolean column ('t' / 'f' read as 1 / 0) or a numeric
// aggregate without a fraction, as an integer.
int64_t parse_int64(const std::string& text);

}  // namespace mlflowcpp::server::store::postgres
