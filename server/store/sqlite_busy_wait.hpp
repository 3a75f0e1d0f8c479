#pragma once

// How a SQLite connection waits for a lock another connection holds (another
// process on the same file, or another SqliteDatabase in this one).
//
// SQLite's own busy timeout sleeps ever longer between attempts, up to 100 ms.
// Against another process whose group-commit writer takes the write lock again
// microseconds after each commit, a waiter that looks only every 100 ms almost
// never finds it free, and runs out its timeout while the other process keeps
// writing. This handler looks again after a short, jittered pause (at most
// kMaxPause), so that waiters take their turn between the other writer's
// transactions, and gives up at the deadline: the statement then fails with
// SQLITE_BUSY, which the SQL layer reports as retryable.

#include <chrono>
#include <cstdint>

struct sqlite3;

namespace mlflowcpp::server::store {

class SqliteBusyWait {
 public:
  // Longest pause between two attempts to take a lock.
  static constexpr std::chrono::microseconds kMaxPause{2000};

  explicit SqliteBusyWait(std::chrono::milliseconds timeout);
  SqliteBusyWait(const SqliteBusyWait&) = delete;
  SqliteBusyWait& operator=(const SqliteBusyWait&) = delete;

  // Makes `connection` wait through this object, which must outlive its use.
  void install(sqlite3* connection);

  // From the next wait on (e.g. briefly shorter around a checkpoint that must not hold the writer long).
  void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }

 private:
  // SQLite's busy handler: `attempts` counts the calls for one lock, from 0.
  // Non-zero means try again.
  static int on_busy(void* self, int attempts);
  bool wait(int attempts);
  std::chrono::microseconds next_pause(int attempts);

  std::chrono::milliseconds timeout_;
  std::chrono::steady_clock::time_point waiting_since_{};
  std::uint64_t jitter_state_;  // a connection is used by one thread at a time
};

}  // namespace mlflowcpp::server::store
