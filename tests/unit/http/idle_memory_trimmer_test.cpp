#include "server/http/idle_memory_trimmer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace mlflowcpp::server::http {
namespace {

using namespace std::chrono_literals;

bool wait_for_trims(const IdleMemoryTrimmer& trimmer, uint64_t count, std::chrono::milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    if (trimmer.trims() >= count) return true;
    std::this_thread::sleep_for(5ms);
  }
  return trimmer.trims() >= count;
}

TEST(IdleMemoryTrimmer, TrimsOnceAfterActivityThenStaysQuiet) {
  IdleMemoryTrimmer trimmer(20ms);
  trimmer.note_activity();
  ASSERT_TRUE(wait_for_trims(trimmer, 1, 5s));
  // No new activity: no new trim however long it stays idle.
  EXPECT_FALSE(wait_for_trims(trimmer, 2, 200ms));
  trimmer.note_activity();
  EXPECT_TRUE(wait_for_trims(trimmer, 2, 5s));
}

TEST(IdleMemoryTrimmer, NeverTrimsWithoutActivity) {
  IdleMemoryTrimmer trimmer(10ms);
  EXPECT_FALSE(wait_for_trims(trimmer, 1, 150ms));
}

TEST(IdleMemoryTrimmer, WaitsWhileBusy) {
  IdleMemoryTrimmer trimmer(100ms);
  const auto end = std::chrono::steady_clock::now() + 400ms;
  while (std::chrono::steady_clock::now() < end) {
    trimmer.note_activity();
    std::this_thread::sleep_for(5ms);
  }
  // Activity every 5 ms never leaves a 100 ms quiet period; the trim comes after.
  EXPECT_EQ(trimmer.trims(), 0u);
  EXPECT_TRUE(wait_for_trims(trimmer, 1, 5s));
}

TEST(IdleMemoryTrimmer, LetsTheCachesGoBeforeEachTrim) {
  std::atomic<int> releases{0};
  std::atomic<uint64_t> trims_seen_by_release{0};
  std::atomic<const IdleMemoryTrimmer*> trimmer_seen{nullptr};
  IdleMemoryTrimmer trimmer(10ms, [&] {
    // The trim counter moves only after the caches went: the heap they freed is part of the trim.
    if (const IdleMemoryTrimmer* seen = trimmer_seen.load()) trims_seen_by_release = seen->trims();
    releases.fetch_add(1);
  });
  trimmer_seen = &trimmer;
  EXPECT_FALSE(wait_for_trims(trimmer, 1, 100ms));
  EXPECT_EQ(releases.load(), 0);  // no activity, nothing to release
  trimmer.note_activity();
  ASSERT_TRUE(wait_for_trims(trimmer, 1, 5s));
  EXPECT_EQ(releases.load(), 1);
  EXPECT_EQ(trims_seen_by_release.load(), 0u);
}

}  // namespace
}  // namespace mlflowcpp::server::http
