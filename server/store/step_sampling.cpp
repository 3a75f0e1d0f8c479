#include "server/store/step_sampling.hpp"

#include <cstddef>

namespace mlflowcpp::server::store {

std::set<int64_t> sample_steps(const std::vector<int64_t>& steps, int64_t max_results) {
  if (max_results <= 0) return {};
  if (static_cast<int64_t>(steps.size()) <= max_results) return {steps.begin(), steps.end()};
  std::set<int64_t> sampled;
  if (max_results == 1) {
    sampled.insert(steps.front());
    return sampled;
  }
  const double stride = static_cast<double>(steps.size() - 1) / static_cast<double>(max_results - 1);
  for (int64_t i = 0; i < max_results; ++i) {
    sampled.insert(steps[static_cast<size_t>(static_cast<double>(i) * stride + 0.5)]);
  }
  sampled.insert(steps.back());
  return sampled;
}

}  // namespace mlflowcpp::server::store
