#include "server/http/json_body.hpp"

namespace mlflowcpp::server::http {
namespace {

// nullopt-like: a discarded value when `text` is not JSON we accept.
protocol::Json parse_limited(std::string_view text) {
  if (exceeds_json_depth(text, kMaxJsonDepth)) return protocol::Json(protocol::Json::value_t::discarded);
  return protocol::Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

}  // namespace

bool exceeds_json_depth(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

protocol::Json parse_json_body(std::string_view body) {
  protocol::Json parsed = parse_limited(body);
  if (parsed.is_string()) parsed = parse_limited(parsed.get_ref<const std::string&>());
  if (!parsed.is_object()) return protocol::Json::object();
  return parsed;
}

}  // namespace mlflowcpp::server::http
