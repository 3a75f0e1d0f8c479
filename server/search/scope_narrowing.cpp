#include "server/search/scope_narrowing.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_set>

namespace mlflowcpp::server::search {
namespace {

std::optional<int64_t> experiment_number(std::string_view id) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), value);
  if (id.empty() || error != std::errc() || end != id.data() + id.size()) return std::nullopt;
  return value;
}

}  // namespace

std::vector<std::string> admitted_experiment_ids(const std::vector<std::string>& requested, const IdScope& scope) {
  if (scope.is_all()) return requested;
  // A set, so that a scope of tens of thousands of grants costs one pass per list.
  std::unordered_set<int64_t> listed;
  for (const std::string& id : scope.ids()) {
    if (const auto number = experiment_number(id)) listed.insert(*number);
  }
  const bool keep_listed = scope.kind() == IdScope::Kind::kOnly;
  std::vector<std::string> admitted;
  for (const std::string& id : requested) {
    const auto number = experiment_number(id);
    if (number && (listed.count(*number) != 0) == keep_listed) admitted.push_back(id);
  }
  return admitted;
}

}  // namespace mlflowcpp::server::search
