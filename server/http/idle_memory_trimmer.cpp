#include "server/http/idle_memory_trimmer.hpp"

#include <malloc.h>

#include <utility>

namespace mlflowcpp::server::http {

IdleMemoryTrimmer::IdleMemoryTrimmer(std::chrono::milliseconds quiet_period, std::function<void()> release_caches)
    : quiet_period_(quiet_period), release_caches_(std::move(release_caches)), thread_([this] { loop(); }) {}

IdleMemoryTrimmer::~IdleMemoryTrimmer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void IdleMemoryTrimmer::loop() {
  // Counted from zero, so activity noted before this thread first runs counts too.
  uint64_t seen = 0;
  uint64_t trimmed_at = 0;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, quiet_period_, [this] { return stopping_; })) {
    const uint64_t now = activity_.load();
    // Quiet for a whole period, and busy at some point since the last trim.
    if (now == seen && now != trimmed_at) {
      if (release_caches_) release_caches_();
      malloc_trim(0);
      trimmed_at = now;
      trims_.fetch_add(1);
    }
    seen = now;
  }
}

}  // namespace mlflowcpp::server::http
