#include "protocol/json_string.hpp"

#include "protocol/json_codec.hpp"

#include <cstddef>

namespace mlflowcpp::protocol {
namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// The length of the well-formed UTF-8 sequence at `at` (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or 0 when it is not one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  const std::size_t left = text.size() - at;
  const unsigned char lead = byte(0);
  if (lead >= 0xC2 && lead <= 0xDF) return left >= 2 && is_continuation(byte(1)) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (left < 3 || !is_continuation(byte(1)) || !is_continuation(byte(2))) return 0;
    if (lead == 0xE0 && byte(1) < 0xA0) return 0;  // overlong
    if (lead == 0xED && byte(1) > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (left < 4 || !is_continuation(byte(1)) || !is_continuation(byte(2)) || !is_continuation(byte(3))) return 0;
    if (lead == 0xF0 && byte(1) < 0x90) return 0;  // overlong
    if (lead == 0xF4 && byte(1) > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// The escape of an ASCII byte, or nullptr when it is written as it is.
const char* escape_of(unsigned char byte) {
  switch (byte) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: return nullptr;
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view value) {
  const std::size_t start = out.size();
  out += '"';
  std::size_t plain_from = 0;  // the start of the bytes not yet copied
  std::size_t at = 0;
  while (at < value.size()) {
    const auto byte = static_cast<unsigned char>(value[at]);
    if (byte >= 0x80) {
      const std::size_t length = utf8_sequence_length(value, at);
      if (length == 0) {
        // How the bad bytes are replaced is protocol::dump's business: one rule in one place.
        out.resize(start);
        out += dump(Json(std::string(value)));
        return;
      }
      at += length;
      continue;
    }
    if (byte >= 0x20 && byte != '"' && byte != '\\') {
      ++at;
      continue;
    }
    out.append(value, plain_from, at - plain_from);
    if (const char* escape = escape_of(byte)) {
      out += escape;
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
    plain_from = ++at;
  }
  out.append(value, plain_from, value.size() - plain_from);
  out += '"';
}

}  // namespace mlflowcpp::protocol
