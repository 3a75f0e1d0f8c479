// Page tokens.
#include "server/search/base64.hpp"
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

}  // namespace

std::string encode_page_token(int64_t offset) {
  // The exact bytes Python's json.dumps gives, so tokens match the official server's.
  return detail::base64_encode(fmt::format("{{\"offset\": {}}}", offset));
}

int64_t decode_page_token(std::string_view token) {
  if (token.empty()) return 0;
  const std::optional<std::string> decoded = detail::base64_decode(token);
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
