#pragma once

// One file's transfer progress, fed from any number of threads and passed on
// to the caller's callback one call at a time.

#include <mlflowcpp/artifacts.hpp>

#include <cstdint>
#include <mutex>

namespace mlflowcpp::client {

class TransferProgress {
 public:
  TransferProgress(const ArtifactProgressCallback& callback, std::uint64_t total)
      : callback_(callback), total_(total) {}

  // `delta` more bytes moved (negative when a retried piece starts over).
  void add(std::int64_t delta) {
    if (!callback_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = static_cast<std::uint64_t>(static_cast<std::int64_t>(done_) + delta);
    callback_(done_, total_);
  }
  void start() { add(0); }

 private:
  const ArtifactProgressCallback& callback_;
  const std::uint64_t total_;
  std::mutex mutex_;
  std::uint64_t done_ = 0;
};

}  // namespace mlflowcpp::client
