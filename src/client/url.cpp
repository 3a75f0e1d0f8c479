#include "client/url.hpp"

namespace mlflowcpp::client {

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') ||
                      byte == '-' || byte == '_' || byte == '.' || byte == '~';
    if (unreserved) {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[byte >> 4];
      encoded += kHex[byte & 0x0F];
    }
  }
  return encoded;
}

std::string encode_query(const std::vector<std::pair<std::string, std::string>>& query) {
  std::string encoded;
  for (const auto& [key, value] : query) {
    if (!encoded.empty()) encoded += '&';
    encoded += percent_encode(key);
    encoded += '=';
    encoded += percent_encode(value);
  }
  return encoded;
}

}  // namespace mlflowcpp::client
