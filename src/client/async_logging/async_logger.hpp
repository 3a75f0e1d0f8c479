#pragma once

// The asynchronous logger of one client: a queue, and a sender thread that
// empties it into runs/log-batch requests. The thread lives exactly as long as
// the logger; destroying the logger sends what is queued first.

#include "client/async_logging/batch_sender.hpp"
#include "client/async_logging/log_queue.hpp"

#include <mlflowcpp/async_logging.hpp>
#include <mlflowcpp/connection.hpp>
#include <mlflowcpp/errors.hpp>

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace mlflowcpp::client {

// @par Thread Safety
// Every method may be called from any number of threads at once.
class AsyncLogger {
 public:
  AsyncLogger(std::shared_ptr<Connection> connection, AsyncLoggingOptions options);
  // Sends everything queued (as flush() would), reports failures no flush()
  // collected on stderr, and stops the sender.
  ~AsyncLogger();
  AsyncLogger(const AsyncLogger&) = delete;
  AsyncLogger& operator=(const AsyncLogger&) = delete;

  // Queues the items (moved from) of one run; blocks or drops per the options when the queue is full.
  void enqueue(const std::string& run_id, LogItem* items, std::size_t count);

  // Waits until everything queued before the call is acknowledged or failed for
  // good; then throws, if any request failed since the last flush(), an
  // MlflowException with the first failure's code and status and a count of the rest.
  void flush();
  // Waits as flush() does, leaving failures for flush() to report: before a
  // call that must see what was logged (a read, ending a run).
  void wait_until_sent();

  AsyncLoggingStats stats() const { return queue_.stats(); }

 private:
  void run_sender();
  void record_failure(const std::string& run_id, const MlflowException& error, std::size_t items);

  AsyncLoggingOptions options_;
  LogQueue queue_;
  BatchSender sender_;

  std::mutex failures_mutex_;
  std::optional<MlflowException> first_failure_;
  std::size_t failed_requests_ = 0;
  std::size_t failed_items_ = 0;

  std::thread thread_;  // last: starts once everything it uses is built
};

}  // namespace mlflowcpp::client
