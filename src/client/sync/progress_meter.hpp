#pragma once

#include <mlflowcpp/sync.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <utility>

namespace mlflowcpp::client::sync {

// Counts progress from any thread; reports it from the syncing thread, at most ten times a second.
class ProgressMeter {
 public:
  explicit ProgressMeter(std::function<void(const SyncProgress&)> callback)
      : callback_(std::move(callback)), started_(std::chrono::steady_clock::now()) {}

  void add_points(int64_t count) { points_ += count; }
  void add_bytes(int64_t count) { bytes_ += count; }
  void set_runs_total(int64_t total) { runs_total_ = total; }
  void run_done() { ++runs_done_; }

  // Calls the callback when the last call is 100 ms ago (or `force`). Syncing thread only.
  void report(bool force = false);

 private:
  std::function<void(const SyncProgress&)> callback_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_report_{};
  std::atomic<int64_t> points_{0};
  std::atomic<int64_t> bytes_{0};
  std::atomic<int64_t> runs_total_{0};
  std::atomic<int64_t> runs_done_{0};
};

}  // namespace mlflowcpp::client::sync
