#include "server/artifacts/uri_parts.hpp"

#include "text/ascii.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace mlflowcpp::server {
namespace {

bool is_scheme_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.';
}

// urllib's uses_params: the schemes whose last path segment may carry ";params".
bool has_params(std::string_view scheme) {
  static constexpr std::array<std::string_view, 15> kSchemes = {
      "", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp", "rtspu", "sip", "sips", "mms", "sftp",
      "tel"};
  return std::find(kSchemes.begin(), kSchemes.end(), scheme) != kSchemes.end();
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

UriParts split_uri(std::string_view uri) {
  UriParts parts;
  const std::size_t colon = uri.find(':');
  if (colon != std::string_view::npos && colon > 0 && std::isalpha(static_cast<unsigned char>(uri[0])) != 0 &&
      std::all_of(uri.begin(), uri.begin() + static_cast<std::ptrdiff_t>(colon), is_scheme_char)) {
    parts.scheme = to_lower_ascii(uri.substr(0, colon));
    uri.remove_prefix(colon + 1);
  }
  if (uri.substr(0, 2) == "//") {
    const std::size_t end = uri.find_first_of("/?#", 2);
    parts.netloc = std::string(uri.substr(2, end == std::string_view::npos ? std::string_view::npos : end - 2));
    uri.remove_prefix(end == std::string_view::npos ? uri.size() : end);
  }
  uri = uri.substr(0, uri.find('#'));
  uri = uri.substr(0, uri.find('?'));
  if (has_params(parts.scheme)) {
    const std::size_t last_slash = uri.rfind('/');
    const std::size_t semicolon = uri.find(';', last_slash == std::string_view::npos ? 0 : last_slash);
    if (semicolon != std::string_view::npos) uri = uri.substr(0, semicolon);
  }
  parts.path = std::string(uri);
  return parts;
}

std::string uri_hostname(std::string_view netloc) {
  const std::size_t at = netloc.rfind('@');
  std::string_view host = netloc.substr(at == std::string_view::npos ? 0 : at + 1);
  if (!host.empty() && host.front() == '[') {
    const std::size_t close = host.find(']');
    host = host.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  return to_lower_ascii(host);
}

std::string percent_decode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      decoded += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      decoded += text[i];
    }
  }
  return decoded;
}

}  // namespace mlflowcpp::server
