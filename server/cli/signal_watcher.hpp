#pragma once

// Takes SIGINT, SIGTERM and SIGHUP synchronously, so that no handler ever runs
// in signal context: the constructor blocks them in the calling thread, and
// threads inherit the mask, so create the watcher before any other thread.
// Someone must then call next_signal(), or the signals stay pending.

#include <chrono>

#include <signal.h>

namespace mlflowcpp::cli {

class SignalWatcher {
 public:
  SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  // The next of the watched signals to arrive within `timeout`, or 0.
  int next_signal(std::chrono::milliseconds timeout);

 private:
  sigset_t signals_{};
};

// "SIGTERM", "SIGINT", "SIGHUP": for the log.
const char* signal_name(int signal_number);

}  // namespace mlflowcpp::cli
