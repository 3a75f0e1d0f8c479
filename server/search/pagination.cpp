// Page tokens.
#include "server/search/search.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>

namespace mlflowcpp::server::search {
namespace {

// No table holds more rows than this (2^53 - 1, also the largest integer every
// JSON reader keeps exact); the bound leaves callers room to add a page size
// to an offset without overflow.
constexpr uint64_t kLargestOffset = 9007199254740991;

constexpr std::string_view kBase64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    uint32_t chunk = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      chunk = (chunk << 8) | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0u);
    }
    for (std::size_t j = 0; j < 4; ++j) {
      out += j <= n ? kBase64Alphabet[(chunk >> (18 - 6 * j)) & 0x3f] : '=';
    }
  }
  return out;
}

// Strict standard base64: whole quads, '=' only as final padding.
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
        const std::size_t index = kBase64Alphabet.find(c);
        if (index == std::string_view::npos) return std::nullopt;
        sextet = static_cast<uint32_t>(index);
      }
      chunk = (chunk << 6) | sextet;
    }
    for (std::size_t j = 0; j < 3 - padding; ++j) out += static_cast<char>((chunk >> (16 - 8 * j)) & 0xff);
  }
  return out;
}

}  // namespace

std::string encode_page_token(int64_t offset) {
  // The exact bytes Python's json.dumps gives, so tokens match the official server's.
  return base64_encode(fmt::format("{{\"offset\": {}}}", offset));
}

int64_t decode_page_token(std::string_view token) {
  if (token.empty()) return 0;
  const std::optional<std::string> decoded = base64_decode(token);
  if (!decoded) throw invalid_parameter("Invalid page token, could not base64-decode");
  const nlohmann::json parsed = nlohmann::json::parse(*decoded, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) throw invalid_parameter("Invalid page token, the decoded value is not JSON");
  // Exactly {"offset": N} with N an integer in 0..kLargestOffset.
  bool well_formed = parsed.is_object() && parsed.size() == 1 && parsed.contains("offset");
  if (well_formed) {
    const nlohmann::json& offset = parsed.at("offset");
    well_formed = offset.is_number_unsigned() && offset.get<uint64_t>() <= kLargestOffset;
  }
  if (!well_formed) {
    throw invalid_parameter(fmt::format("Invalid page token, parsed value={}",
                                        parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  }
  return parsed.at("offset").get<int64_t>();
}

}  // namespace mlflowcpp::server::search
