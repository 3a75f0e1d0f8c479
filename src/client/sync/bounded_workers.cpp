#include "client/sync/bounded_workers.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

namespace mlflowcpp::client::sync {
namespace {
constexpr std::chrono::milliseconds kTickInterval{100};
}

BoundedWorkers::BoundedWorkers(int threads) : max_backlog_(std::size_t(std::max(threads, 1))) {
  for (std::size_t i = 0; i < max_backlog_; ++i) threads_.emplace_back([this] { work(); });
}

BoundedWorkers::~BoundedWorkers() {
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return backlog_.empty() && running_ == 0; });
    stopping_ = true;
  }
  changed_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void BoundedWorkers::submit(std::function<void()> task, const std::function<void()>& tick) {
  std::unique_lock lock(mutex_);
  while (backlog_.size() >= max_backlog_) {
    changed_.wait_for(lock, kTickInterval);
    if (tick && backlog_.size() >= max_backlog_) {
      lock.unlock();
      tick();
      lock.lock();
    }
  }
  backlog_.push_back(std::move(task));
  lock.unlock();
  changed_.notify_all();
}

std::vector<std::exception_ptr> BoundedWorkers::wait(const std::function<void()>& tick) {
  std::unique_lock lock(mutex_);
  while (!backlog_.empty() || running_ > 0) {
    changed_.wait_for(lock, kTickInterval);
    if (tick) {
      lock.unlock();
      tick();
      lock.lock();
    }
  }
  return std::exchange(errors_, {});
}

void BoundedWorkers::work() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return stopping_ || !backlog_.empty(); });
    if (backlog_.empty()) return;  // stopping, nothing left
    std::function<void()> task = std::move(backlog_.front());
    backlog_.pop_front();
    ++running_;
    lock.unlock();
    changed_.notify_all();  // room in the backlog
    std::exception_ptr error;
    try {
      task();
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    --running_;
    if (error) errors_.push_back(error);
    changed_.notify_all();
  }
}

}  // namespace mlflowcpp::client::sync
