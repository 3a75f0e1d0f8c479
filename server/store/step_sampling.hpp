#pragma once

// Which steps of a metric's history get-history-bulk-interval answers when there are more than it may return.

#include <cstdint>
#include <set>
#include <vector>

namespace mlflowcpp::server::store {

// At most `max_results` of the sorted distinct `steps`, spread evenly, the first and the last always among them.
std::set<int64_t> sample_steps(const std::vector<int64_t>& steps, int64_t max_results);

}  // namespace mlflowcpp::server::store
