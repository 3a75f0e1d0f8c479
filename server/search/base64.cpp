#include "server/search/base64.hpp"

#include <algorithm>
#include <cstdint>

namespace mlflowcpp::server::search::detail {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    uint32_t chunk = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      chunk = (chunk << 8) | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0u);
    }
    for (std::size_t j = 0; j < 4; ++j) out += j <= n ? kAlphabet[(chunk >> (18 - 6 * j)) & 0x3f] : '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last_quad = i + 4 == text.size();
    uint32_t chunk = 0;
    std::size_t padding = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      uint32_t sextet = 0;
      if (c == '=') {
        if (!last_quad || j < 2) return std::nullopt;
        ++padding;
      } else {
        if (padding > 0) return std::nullopt;  // data after padding
        const std::size_t index = kAlphabet.find(c);
        if (index == std::string_view::npos) return std::nullopt;
        sextet = static_cast<uint32_t>(index);
      }
      chunk = (chunk << 6) | sextet;
    }
    for (std::size_t j = 0; j < 3 - padding; ++j) out += static_cast<char>((chunk >> (16 - 8 * j)) & 0xff);
  }
  return out;
}

}  // namespace mlflowcpp::server::search::detail
