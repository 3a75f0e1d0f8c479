#include "client/async_logging/async_logger.hpp"

#include <iostream>

namespace mlflowcpp::client {
namespace {

// A request's worth of metrics: a queue holding this many is sent without waiting for the buffering time.
constexpr std::size_t kFullBatch = 1000;

}  // namespace

AsyncLogger::AsyncLogger(std::shared_ptr<Connection> connection, AsyncLoggingOptions options)
    : options_(std::move(options)),
      queue_(options_.max_queued_items, options_.max_queued_bytes, options_.when_full, kFullBatch),
      sender_(std::move(connection)),
      thread_([this] { run_sender(); }) {}

AsyncLogger::~AsyncLogger() {
  queue_.close();
  thread_.join();
  std::lock_guard lock(failures_mutex_);
  if (first_failure_) {
    std::cerr << "mlflowcpp: asynchronous logging: " << failed_items_ << " items in " << failed_requests_
              << " requests were not stored; the first error: " << first_failure_->what() << '\n';
  }
}

void AsyncLogger::enqueue(const std::string& run_id, LogItem* items, std::size_t count) {
  queue_.push(run_id, items, count);
}

void AsyncLogger::wait_until_sent() { queue_.wait_until_done(queue_.request_flush()); }

void AsyncLogger::flush() {
  wait_until_sent();
  std::lock_guard lock(failures_mutex_);
  if (!first_failure_) return;
  MlflowException first = *first_failure_;
  std::string message = "Asynchronous logging: " + std::to_string(failed_items_) + " items in " +
                        std::to_string(failed_requests_) + " requests were not stored. First error: " + first.what();
  first_failure_.reset();
  failed_requests_ = failed_items_ = 0;
  throw MlflowException(first.error_code(), first.http_status(), message);
}

void AsyncLogger::record_failure(const std::string& run_id, const MlflowException& error, std::size_t items) {
  {
    std::lock_guard lock(failures_mutex_);
    if (!first_failure_) first_failure_ = error;
    ++failed_requests_;
    failed_items_ += items;
  }
  if (!options_.on_error) return;
  try {
    options_.on_error(run_id, error, items);
  } catch (...) {
    // The sender must go on; the failure is still reported by flush().
  }
}

void AsyncLogger::run_sender() {
  LogPass pass;
  auto on_done = [this](std::size_t items, std::size_t bytes, bool delivered) {
    queue_.complete(items, bytes, delivered);
  };
  auto on_failure = [this](const std::string& run_id, const MlflowException& error, std::size_t items) {
    record_failure(run_id, error, items);
  };
  while (queue_.take(pass, options_.buffering)) {
    sender_.send(pass, on_done, on_failure);
    queue_.finish_pass(pass);
  }
}

}  // namespace mlflowcpp::client
