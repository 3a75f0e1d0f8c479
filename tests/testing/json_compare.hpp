#pragma once

#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace mlflowcpp::testing {

// How two MLflow answers are compared.
struct JsonCompareRules {
  // Arrays held under these object keys must match element by element in order;
  // every other array is compared as a multiset (the protocol gives no order for
  // tags, params, metrics, dataset inputs, ...).
  std::set<std::string> ordered_array_keys;
  // Values under these keys are opaque (page tokens): both sides must have a
  // non-empty string, the text itself is not compared.
  std::set<std::string> opaque_string_keys;
};

// nullopt when `actual` matches `expected`; otherwise the JSON path of the first
// difference and what differs ("/runs/0/data/metrics: ..."). Objects must have the
// same keys; numbers compare exactly (an integer equals a double of the same value);
// the string "NaN" only equals "NaN".
std::optional<std::string> first_json_difference(const nlohmann::json& expected, const nlohmann::json& actual,
                                                 const JsonCompareRules& rules = {});

}  // namespace mlflowcpp::testing
