#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlflowcpp::client {

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string percent_encode(std::string_view text);

// "a=1&b=x%20y" from the pairs, in order; repeated keys stay repeated, as MLflow expects.
std::string encode_query(const std::vector<std::pair<std::string, std::string>>& query);

}  // namespace mlflowcpp::client
