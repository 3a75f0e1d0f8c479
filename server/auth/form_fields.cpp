#include "server/auth/form_fields.hpp"

#include "server/artifacts/uri_parts.hpp"
#include "text/ascii.hpp"

#include <algorithm>
#include <cctype>

namespace mlflowcpp::server::auth {
namespace {

std::string decode_form_text(std::string_view text) {
  std::string spaced(text);
  std::replace(spaced.begin(), spaced.end(), '+', ' ');
  return percent_decode(spaced);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

}  // namespace

std::map<std::string, std::string> parse_form_fields(std::string_view body) {
  std::map<std::string, std::string> fields;
  while (!body.empty()) {
    const std::size_t amp = std::min(body.find('&'), body.size());
    const std::string_view pair = body.substr(0, amp);
    body.remove_prefix(std::min(amp + 1, body.size()));
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    const std::string name = decode_form_text(pair.substr(0, equals));
    const std::string value = equals == std::string_view::npos ? "" : decode_form_text(pair.substr(equals + 1));
    fields.emplace(name, value);
  }
  return fields;
}

bool is_media_type(std::string_view content_type, std::string_view media_type) {
  const std::string_view type = trim(content_type.substr(0, content_type.find(';')));
  return equals_ignoring_case(type, media_type);
}

}  // namespace mlflowcpp::server::auth
