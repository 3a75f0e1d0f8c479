#include "protocol/json_numbers.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace mlflowcpp::protocol {
namespace {

// Decimal exponents of the first significant digit written without an exponent: the same range as fmt's and
// Python's repr (0.0001 and 1234567890123456.0 stay plain, 1e-05 and 1e+16 do not).
constexpr int kLowestPlainExponent = -4;
constexpr int kFirstExponentForm = 16;

char* copy(char* out, const char* text, std::size_t length) {
  std::memcpy(out, text, length);
  return out + length;
}

char* fill_zeros(char* out, int count) {
  for (int i = 0; i < count; ++i) *out++ = '0';
  return out;
}

// The shortest round-trip digits of a finite |value| (no sign, no point) and the decimal exponent of the first one.
struct ShortestDigits {
  char digits[24];
  int count = 0;
  int exponent = 0;
};

ShortestDigits shortest_digits(double magnitude) {
  // std::to_chars in scientific form gives the shortest digits that read back as the same double:
  // d[.ddd]e(+|-)XX[X].
  char scientific[kMaxJsonNumberChars];
  const char* const end =
      std::to_chars(scientific, scientific + sizeof scientific, magnitude, std::chars_format::scientific).ptr;
  ShortestDigits result;
  const char* p = scientific;
  result.digits[result.count++] = *p++;
  if (*p == '.') {
    for (++p; *p != 'e'; ++p) result.digits[result.count++] = *p;
  }
  ++p;  // 'e'
  const bool negative_exponent = *p++ == '-';
  int exponent = 0;
  for (; p < end; ++p) exponent = exponent * 10 + (*p - '0');
  result.exponent = negative_exponent ? -exponent : exponent;
  return result;
}

char* write_exponent_form(char* out, const ShortestDigits& number) {
  *out++ = number.digits[0];
  if (number.count > 1) {
    *out++ = '.';
    out = copy(out, number.digits + 1, static_cast<std::size_t>(number.count - 1));
  }
  *out++ = 'e';
  *out++ = number.exponent < 0 ? '-' : '+';
  const int exponent = std::abs(number.exponent);
  if (exponent >= 100) *out++ = static_cast<char>('0' + exponent / 100);
  *out++ = static_cast<char>('0' + exponent / 10 % 10);
  *out++ = static_cast<char>('0' + exponent % 10);
  return out;
}

char* write_plain_form(char* out, const ShortestDigits& number) {
  const auto count = static_cast<std::size_t>(number.count);
  if (number.exponent < 0) {  // 0.000ddd
    out = copy(out, "0.", 2);
    out = fill_zeros(out, -number.exponent - 1);
    return copy(out, number.digits, count);
  }
  const auto integer_digits = static_cast<std::size_t>(number.exponent) + 1;
  if (count <= integer_digits) {  // ddd000.0: an integral value still reads as a double
    out = copy(out, number.digits, count);
    out = fill_zeros(out, static_cast<int>(integer_digits - count));
    return copy(out, ".0", 2);
  }
  out = copy(out, number.digits, integer_digits);
  *out++ = '.';
  return copy(out, number.digits + integer_digits, count - integer_digits);
}

}  // namespace

char* write_json_double(char* out, double value) {
  if (std::isnan(value)) return copy(out, "\"NaN\"", 5);
  if (std::isinf(value)) return value > 0 ? copy(out, "\"Infinity\"", 10) : copy(out, "\"-Infinity\"", 11);
  if (std::signbit(value)) *out++ = '-';
  const ShortestDigits number = shortest_digits(std::fabs(value));
  if (number.exponent < kLowestPlainExponent || number.exponent >= kFirstExponentForm) {
    return write_exponent_form(out, number);
  }
  return write_plain_form(out, number);
}

char* write_json_int64(char* out, std::int64_t value) {
  return std::to_chars(out, out + kMaxJsonNumberChars, value).ptr;
}

void append_json_double(std::string& out, double value) {
  char buffer[kMaxJsonNumberChars];
  out.append(buffer, write_json_double(buffer, value));
}

}  // namespace mlflowcpp::protocol
