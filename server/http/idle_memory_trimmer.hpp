#pragma once

// Gives freed heap memory back to the operating system once the server goes
// idle. glibc keeps what large answers and request bodies freed in its arenas
// (one per thread that allocated), so without this a server that once served a
// 100,000-point history or a burst of batches keeps that memory resident for
// good. A trim costs a few milliseconds, so it runs only after a quiet spell
// that followed some activity, never in the middle of a load.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace mlflowcpp::server::http {

class IdleMemoryTrimmer {
 public:
  explicit IdleMemoryTrimmer(std::chrono::milliseconds quiet_period = std::chrono::milliseconds(1000));
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
  std::atomic<uint64_t> activity_{0};
  std::atomic<uint64_t> trims_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace mlflowcpp::server::http
