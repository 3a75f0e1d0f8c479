#pragma once

// Asynchronous logging: log_metric, log_param, set_tag and log_batch put their
// items on a queue and return; a background sender turns the queue into
// runs/log-batch requests. Off by default, as in MLflow; switched on by
// MLFLOW_ENABLE_ASYNC_LOGGING=true, ClientOptions::async_logging,
// MlflowClient::enable_async_logging() or StartRunOptions::async_logging.

#include <mlflowcpp/errors.hpp>
#include <mlflowcpp/export.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace mlflowcpp {

// What a logging call does when the queue is at its capacity.
enum class QueueFullPolicy {
  kBlock,  // wait until the sender has made room (the default: nothing is lost)
  kDrop,   // drop the item and count it (AsyncLoggingStats::dropped)
};

// Counts of items (one metric point, param or tag each) since the logger started.
struct AsyncLoggingStats {
  uint64_t queued = 0;   // accepted, not yet acknowledged by the server nor failed
  uint64_t sent = 0;     // acknowledged by the server
  uint64_t dropped = 0;  // refused because the queue was full (QueueFullPolicy::kDrop)
  uint64_t failed = 0;   // sent, and refused by the server or not delivered after every retry
};

// Called on the sender thread for each request that failed for good, with the
// run and the number of items it carried. It must not call back into the
// client's logging methods; exceptions it throws are ignored.
using AsyncLoggingErrorCallback =
    std::function<void(const std::string& run_id, const MlflowException& error, std::size_t items)>;

struct AsyncLoggingOptions {
  // How long the sender lets items gather before sending a batch that is not
  // full (MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS). Zero: send as soon as there
  // is something, batching what arrives while a request is under way.
  std::chrono::milliseconds buffering{0};
  // The queue holds at most this many items not yet acknowledged, and this many
  // bytes of them (approximately: the item and its strings).
  std::size_t max_queued_items = 1000000;
  std::size_t max_queued_bytes = std::size_t{256} << 20;
  QueueFullPolicy when_full = QueueFullPolicy::kBlock;
  AsyncLoggingErrorCallback on_error;
};

}  // namespace mlflowcpp
