#include "progress.hpp"

#include <fmt/format.h>

#include <iostream>

#include "latency_samples.hpp"

namespace mlflowcpp::bench {

void progress(const std::string& message) {
  const double monotonic_seconds = std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
  std::cerr << fmt::format("[bench {:.6f}] {}", monotonic_seconds, message) << std::endl;
}

}  // namespace mlflowcpp::bench
