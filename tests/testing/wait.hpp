#pragma once

#include <chrono>
#include <thread>

namespace mlflowcpp::testing {

// Polls `condition` every `interval` until it holds or `timeout` passes;
// returns whether it held. The way to wait in tests: never a fixed sleep.
template <typename Condition>
bool wait_until(Condition condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval = std::chrono::milliseconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(interval);
  }
}

}  // namespace mlflowcpp::testing
