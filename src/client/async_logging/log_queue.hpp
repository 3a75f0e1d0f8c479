#pragma once

// The queue between the threads that log and the sender: bounded in items and
// bytes, first in first out, with flush points the callers can wait for.

#include <mlflowcpp/async_logging.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mlflowcpp::client {

enum class LogItemKind : uint8_t { kMetric, kParam, kTag };

// MLflow 3's optional parts of a metric point; rare, so kept out of line.
struct MetricModelFields {
  std::string model_id;
  std::string dataset_name;
  std::string dataset_digest;
};

// One metric point, param or tag of one run. The run is an index into the
// queue's run ids, so an item owns no copy of the 32-character id.
struct LogItem {
  LogItemKind kind = LogItemKind::kMetric;
  uint32_t run = 0;
  std::string key;
  std::string text;  // the value of a param or tag
  double value = 0;  // the value of a metric point
  int64_t timestamp = 0;
  int64_t step = 0;
  std::unique_ptr<MetricModelFields> model;  // null unless set
};

// Approximate memory an item holds (itself and its strings' heap storage).
std::size_t footprint(const LogItem& item);

// What the sender takes at once: every item queued so far, in order.
struct LogPass {
  std::vector<LogItem> items;
  std::vector<std::string> run_ids;  // indexed by LogItem::run
  uint64_t through = 0;              // the sequence number of the last item taken
};

// @par Thread Safety
// Any number of threads push; one sender takes and completes; any thread may
// flush. Items are accepted in the order their push() calls take the lock.
class LogQueue {
 public:
  // `full_batch`: as many items as make a request worth sending at once.
  LogQueue(std::size_t max_items, std::size_t max_bytes, QueueFullPolicy when_full, std::size_t full_batch);

  // Adds items of `run_id` in order. Returns how many were accepted: all of
  // them, unless the policy drops (those after the first refused one are
  // dropped too, keeping each key's points in order) or the queue is closed.
  std::size_t push(const std::string& run_id, LogItem* items, std::size_t count);

  // Waits until there is something to send and takes all of it (into an empty
  // `pass`): when a batch is full, `buffering` has passed since the first item
  // came, a flush asks for it, or the queue closes. False once closed and empty.
  bool take(LogPass& pass, std::chrono::milliseconds buffering);
  // Items of the pass done with (acknowledged or failed for good): frees their room.
  void complete(std::size_t items, std::size_t bytes, bool delivered);
  // The whole pass is done: flushes waiting for its items return.
  void finish_pass(const LogPass& pass);

  // The sequence number of the last item accepted so far; asks the sender to
  // send without waiting for the buffering time.
  uint64_t request_flush();
  // Blocks until every item up to `sequence` is done with.
  void wait_until_done(uint64_t sequence);

  // Refuses new items, wakes the sender to drain what is queued and every blocked caller.
  void close();

  AsyncLoggingStats stats() const;

 private:
  uint32_t run_index(const std::string& run_id);  // under mutex_
  bool has_room(std::size_t bytes) const;         // under mutex_

  const std::size_t max_items_;
  const std::size_t max_bytes_;
  const QueueFullPolicy when_full_;
  const std::size_t full_batch_;

  mutable std::mutex mutex_;
  std::condition_variable sender_wakeup_;
  std::condition_variable room_available_;
  std::condition_variable pass_finished_;
  std::vector<LogItem> queued_;  // swapped out whole by take(), so a push never waits for a copy
  std::vector<std::string> run_ids_;
  uint32_t last_run_ = 0;
  std::size_t open_items_ = 0;  // accepted and not yet completed, taken ones included
  std::size_t open_bytes_ = 0;
  uint64_t accepted_ = 0;
  uint64_t finished_through_ = 0;
  uint64_t flush_through_ = 0;
  bool sender_waiting_ = false;
  bool closed_ = false;
  std::chrono::steady_clock::time_point first_queued_at_;
  AsyncLoggingStats counts_;
};

}  // namespace mlflowcpp::client
