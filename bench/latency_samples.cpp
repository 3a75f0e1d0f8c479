#include "latency_samples.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace mlflowcpp::bench {

double seconds_between(Clock::time_point start, Clock::time_point end) {
  return std::chrono::duration<double>(end - start).count();
}

void LatencySamples::add(Clock::duration elapsed) {
  seconds_.push_back(std::chrono::duration<double>(elapsed).count());
}

double LatencySamples::total_seconds() const { return std::accumulate(seconds_.begin(), seconds_.end(), 0.0); }

double LatencySamples::percentile_ms(double p) const {
  if (seconds_.empty()) return 0.0;
  std::vector<double> sorted = seconds_;
  std::sort(sorted.begin(), sorted.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const std::size_t index = rank < 1.0 ? 0 : std::min(sorted.size() - 1, static_cast<std::size_t>(rank) - 1);
  return sorted[index] * 1000.0;
}

}  // namespace mlflowcpp::bench
