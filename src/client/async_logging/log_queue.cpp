#include "client/async_logging/log_queue.hpp"

namespace mlflowcpp::client {
namespace {

// Heap bytes of a string beyond what fits in the object itself.
std::size_t heap_bytes(const std::string& text) {
  return text.capacity() > std::string().capacity() ? text.capacity() + 1 : 0;
}

}  // namespace

std::size_t footprint(const LogItem& item) {
  std::size_t bytes = sizeof(LogItem) + heap_bytes(item.key) + heap_bytes(item.text);
  if (item.model) {
    bytes += sizeof(MetricModelFields) + heap_bytes(item.model->model_id) + heap_bytes(item.model->dataset_name) +
             heap_bytes(item.model->dataset_digest);
  }
  return bytes;
}

LogQueue::LogQueue(std::size_t max_items, std::size_t max_bytes, QueueFullPolicy when_full, std::size_t full_batch)
    : max_items_(max_items), max_bytes_(max_bytes), when_full_(when_full), full_batch_(full_batch) {}

uint32_t LogQueue::run_index(const std::string& run_id) {
  // Calls come in long stretches for one run: check the last one first.
  if (last_run_ < run_ids_.size() && run_ids_[last_run_] == run_id) return last_run_;
  for (uint32_t index = 0; index < run_ids_.size(); ++index) {
    if (run_ids_[index] == run_id) return last_run_ = index;
  }
  run_ids_.push_back(run_id);
  return last_run_ = static_cast<uint32_t>(run_ids_.size() - 1);
}

bool LogQueue::has_room(std::size_t bytes) const {
  // An empty queue takes any one item, however large, so nothing waits forever.
  return open_items_ == 0 || (open_items_ < max_items_ && open_bytes_ + bytes <= max_bytes_);
}

std::size_t LogQueue::push(const std::string& run_id, LogItem* items, std::size_t count) {
  bool wake_sender = false;
  std::size_t accepted = 0;
  {
    std::unique_lock lock(mutex_);
    const uint32_t run = run_index(run_id);
    for (; accepted < count; ++accepted) {
      const std::size_t bytes = footprint(items[accepted]);
      while (!closed_ && !has_room(bytes)) {
        if (when_full_ == QueueFullPolicy::kDrop) break;
        room_available_.wait(lock);
      }
      if (closed_ || !has_room(bytes)) {
        counts_.dropped += count - accepted;
        break;
      }
      if (queued_.empty()) {
        first_queued_at_ = std::chrono::steady_clock::now();
        wake_sender = true;  // the sender waits without a deadline while there is nothing
      }
      items[accepted].run = run;
      queued_.push_back(std::move(items[accepted]));
      ++open_items_;
      open_bytes_ += bytes;
      ++accepted_;
    }
    if (queued_.size() >= full_batch_) wake_sender = true;
    wake_sender = wake_sender && sender_waiting_;
  }
  if (wake_sender) sender_wakeup_.notify_one();
  return accepted;
}

bool LogQueue::take(LogPass& pass, std::chrono::milliseconds buffering) {
  std::unique_lock lock(mutex_);
  while (true) {
    if (!queued_.empty()) {
      const auto send_at = first_queued_at_ + buffering;
      const bool ready = closed_ || flush_through_ > finished_through_ || queued_.size() >= full_batch_ ||
                         buffering.count() == 0 || std::chrono::steady_clock::now() >= send_at;
      if (ready) {
        queued_.swap(pass.items);
        // Run ids are only ever appended.
        if (pass.run_ids.size() != run_ids_.size()) pass.run_ids = run_ids_;
        pass.through = accepted_;
        return true;
      }
      sender_waiting_ = true;
      sender_wakeup_.wait_until(lock, send_at);
      sender_waiting_ = false;
      continue;
    }
    if (closed_) return false;
    sender_waiting_ = true;
    sender_wakeup_.wait(lock);
    sender_waiting_ = false;
  }
}

void LogQueue::complete(std::size_t items, std::size_t bytes, bool delivered) {
  {
    std::lock_guard lock(mutex_);
    open_items_ -= items;
    open_bytes_ -= bytes;
    (delivered ? counts_.sent : counts_.failed) += items;
  }
  room_available_.notify_all();
}

void LogQueue::finish_pass(const LogPass& pass) {
  {
    std::lock_guard lock(mutex_);
    finished_through_ = pass.through;
  }
  pass_finished_.notify_all();
}

uint64_t LogQueue::request_flush() {
  bool wake_sender = false;
  uint64_t through = 0;
  {
    std::lock_guard lock(mutex_);
    through = accepted_;
    if (through > flush_through_) flush_through_ = through;
    wake_sender = sender_waiting_;
  }
  if (wake_sender) sender_wakeup_.notify_one();
  return through;
}

void LogQueue::wait_until_done(uint64_t sequence) {
  std::unique_lock lock(mutex_);
  pass_finished_.wait(lock, [&] { return finished_through_ >= sequence; });
}

void LogQueue::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  sender_wakeup_.notify_all();
  room_available_.notify_all();
}

AsyncLoggingStats LogQueue::stats() const {
  std::lock_guard lock(mutex_);
  AsyncLoggingStats stats = counts_;
  stats.queued = open_items_;
  return stats;
}

}  // namespace mlflowcpp::client
