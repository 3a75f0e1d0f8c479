#pragma once

// Turns the items the sender took from the queue into runs/log-batch requests
// within the server's limits, and says what became of each item.

#include "client/async_logging/log_queue.hpp"
#include "client/log_batch_planner.hpp"

#include <mlflowcpp/connection.hpp>
#include <mlflowcpp/errors.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace mlflowcpp::client {

class BatchSender {
 public:
  // Items done with: acknowledged (`delivered`) or failed for good, and the queue room they held.
  using DoneReport = std::function<void(std::size_t items, std::size_t bytes, bool delivered)>;
  // A request of `run_id` that failed for good, carrying `items` items.
  using FailureReport = std::function<void(const std::string& run_id, const MlflowException& error, std::size_t items)>;

  // Requests go through `connection`, whose retry policy decides how long a
  // request is tried again while the server is unreachable or busy (log-batch is
  // idempotent: a point sent twice is stored once).
  BatchSender(std::shared_ptr<Connection> connection, LogBatchLimits limits = {});

  // Sends every item of the pass, one request at a time, so each run's points
  // of one key reach the server in the order they were logged. Consumes the
  // items (the vector is left empty, with its capacity).
  //
  // A request refused with params in it is sent again without them, then each
  // param alone, so a param conflicting with an earlier value fails alone and
  // the metrics and tags beside it are stored.
  void send(LogPass& pass, const DoneReport& on_done, const FailureReport& on_failure);

 private:
  struct RunItems;
  void send_run(const std::string& run_id, RunItems& items, const DoneReport& on_done, const FailureReport& on_failure);
  // One request; nullopt when acknowledged, else the error that refused it.
  std::optional<MlflowException> post_chunk(const std::string& run_id, const LogBatchChunk& chunk);

  std::shared_ptr<Connection> connection_;
  LogBatchLimits limits_;
};

}  // namespace mlflowcpp::client
