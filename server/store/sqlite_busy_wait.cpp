#include "server/store/sqlite_busy_wait.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <thread>

namespace mlflowcpp::server::store {

namespace {
// First pause: short, since most waits are for one transaction of another
// writer (tens of microseconds to a few milliseconds).
constexpr std::chrono::microseconds kFirstPause{50};

// Different per connection and per process, so that waiters do not wake in
// step; never 0, which xorshift would keep.
std::uint64_t jitter_seed(const void* owner) {
  const auto now = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  return (now ^ reinterpret_cast<std::uintptr_t>(owner)) | 1U;
}
}  // namespace

SqliteBusyWait::SqliteBusyWait(std::chrono::milliseconds timeout)
    : timeout_(timeout), jitter_state_(jitter_seed(this)) {}

void SqliteBusyWait::install(sqlite3* connection) { sqlite3_busy_handler(connection, &SqliteBusyWait::on_busy, this); }

int SqliteBusyWait::on_busy(void* self, int attempts) {
  return static_cast<SqliteBusyWait*>(self)->wait(attempts) ? 1 : 0;
}

bool SqliteBusyWait::wait(int attempts) {
  const auto now = std::chrono::steady_clock::now();
  if (attempts == 0) waiting_since_ = now;
  const auto deadline = waiting_since_ + timeout_;
  if (now >= deadline) return false;
  const auto pause = std::min<std::chrono::steady_clock::duration>(next_pause(attempts), deadline - now);
  std::this_thread::sleep_for(pause);
  return true;
}

std::chrono::microseconds SqliteBusyWait::next_pause(int attempts) {
  // Doubling from kFirstPause up to kMaxPause, then a random point between half
  // of it and all of it.
  const int doublings = std::min(attempts, 16);
  const auto ceiling = std::min<std::chrono::microseconds>(kFirstPause * (int64_t{1} << doublings), kMaxPause);
  // xorshift64: cheap, and good enough to spread waiters apart.
  jitter_state_ ^= jitter_state_ << 13;
  jitter_state_ ^= jitter_state_ >> 7;
  jitter_state_ ^= jitter_state_ << 17;
  const auto half = ceiling / 2;
  return half +
         std::chrono::microseconds(static_cast<int64_t>(jitter_state_ % static_cast<std::uint64_t>(half.count() + 1)));
}

}  // namespace mlflowcpp::server::store
