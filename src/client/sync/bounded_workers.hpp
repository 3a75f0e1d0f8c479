#pragma once

// A fixed set of threads running tasks, with a bounded backlog: what keeps a
// sync's requests in flight in parallel without reading everything into memory
// ahead of the senders.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mlflowcpp::client::sync {

class BoundedWorkers {
 public:
  // `threads` workers (at least one); submit() waits while `threads` tasks are already waiting for one.
  explicit BoundedWorkers(int threads);
  // Waits for the tasks already submitted, then stops the threads.
  ~BoundedWorkers();
  BoundedWorkers(const BoundedWorkers&) = delete;
  BoundedWorkers& operator=(const BoundedWorkers&) = delete;

  // Queues `task`. While the backlog is full it waits, calling `tick` about every 100 ms (progress reports come
  // from the submitting thread).
  void submit(std::function<void()> task, const std::function<void()>& tick = {});
  // Waits until every submitted task has finished, calling `tick` meanwhile. Returns what the tasks threw since the
  // previous wait(), in the order they threw it.
  std::vector<std::exception_ptr> wait(const std::function<void()>& tick = {});

 private:
  void work();

  std::size_t max_backlog_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> backlog_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::exception_ptr> errors_;
  std::vector<std::thread> threads_;
};

}  // namespace mlflowcpp::client::sync
