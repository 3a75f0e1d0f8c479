#pragma once

// Reading a request body as MLflow does: absent, empty, invalid or non-object
// JSON is an empty object (so the error that follows names the missing field);
// a JSON string holding JSON (legacy double encoding) is decoded twice.
// Nesting deeper than kMaxJsonDepth counts as invalid, so hostile input cannot
// exhaust the stack of anything that later walks the value.

#include "protocol/json_codec.hpp"

#include <cstddef>
#include <string_view>

namespace mlflowcpp::server::http {

inline constexpr std::size_t kMaxJsonDepth = 64;

protocol::Json parse_json_body(std::string_view body);

// Whether `text` nests arrays/objects deeper than `max_depth` (strings skipped).
bool exceeds_json_depth(std::string_view text, std::size_t max_depth);

}  // namespace mlflowcpp::server::http
