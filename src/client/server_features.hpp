#pragma once

// What a client has learned about its server's protocol generation: asked
// once, by the first call that needs to know, and kept for the client's life.

#include <atomic>

namespace mlflowcpp::client {

class ServerFeatures {
 public:
  enum class LoggedModels { kUnknown, kSupported, kUnsupported };

  LoggedModels logged_models() const noexcept { return logged_models_.load(std::memory_order_relaxed); }
  // Concurrent first calls may each find out; they find out the same answer.
  void set_logged_models(LoggedModels answer) noexcept { logged_models_.store(answer, std::memory_order_relaxed); }

 private:
  std::atomic<LoggedModels> logged_models_{LoggedModels::kUnknown};
};

}  // namespace mlflowcpp::client
