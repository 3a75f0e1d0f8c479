#pragma once

// Standard base64 (RFC 4648, with padding), as Python's base64.b64encode
// writes it, for page tokens. Internal to the search library.

#include <optional>
#include <string>
#include <string_view>

namespace mlflowcpp::server::search::detail {

std::string base64_encode(std::string_view bytes);
// Strict: whole quads, '=' only as final padding; nullopt otherwise.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace mlflowcpp::server::search::detail
