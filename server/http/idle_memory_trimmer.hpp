#pragma once

// Gives freed heap memory back to the operating system once the server goes
// idle. glibc keeps what large answers and request bodies freed in its arenas
// (one per thread that allocated), so without this a server that once served a
// 100,000-point history or a burst of batches keeps that memory resident for
// good. A trim costs a few milliseconds, so it runs only after a quiet spell
// that followed some activity, never in the middle of a load. Before trimming it
// lets the stores drop the caches they keep only for speed (SQLite page caches),
// which are heap too, so the trim gives that back as well.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace mlflowcpp::server::http {

class IdleMemoryTrimmer {
 public:
  // `release_caches` (may be empty) runs on the trimmer's thread right before each trim; it must not throw, and
  // must not wait for work in progress (it runs while the server is quiet, but a request may arrive meanwhile).
  explicit IdleMemoryTrimmer(std::chrono::milliseconds quiet_period = std::chrono::milliseconds(1000),
                             std::function<void()> release_caches = nullptr);
  IdleMemoryTrimmer(const IdleMemoryTrimmer&) = delete;
  IdleMemoryTrimmer& operator=(const IdleMemoryTrimmer&) = delete;
  ~IdleMemoryTrimmer();

  // Called for every request; cheap (one relaxed atomic increment).
  void note_activity() { activity_.fetch_add(1, std::memory_order_relaxed); }

  // How many trims have run (for tests).
  uint64_t trims() const { return trims_.load(); }

 private:
  void loop();

  const std::chrono::milliseconds quiet_period_;
  const std::function<void()> release_caches_;
  std::atomic<uint64_t> activity_{0};
  std::atomic<uint64_t> trims_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace mlflowcpp::server::http
