#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

namespace mlflowcpp::bench {

using Clock = std::chrono::steady_clock;

// Seconds between two clock readings, as a double.
double seconds_between(Clock::time_point start, Clock::time_point end);

// Durations of individual requests, kept so percentiles can be read afterwards.
class LatencySamples {
 public:
  void reserve(std::size_t count) { seconds_.reserve(count); }
  void add(Clock::duration elapsed);

  std::size_t count() const { return seconds_.size(); }
  double total_seconds() const;
  // Nearest-rank percentile in milliseconds, p in [0, 100]; 0 when empty.
  double percentile_ms(double p) const;

 private:
  std::vector<double> seconds_;
};

}  // namespace mlflowcpp::bench
