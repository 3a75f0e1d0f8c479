#include "server/http/connection_queue.hpp"

#include <utility>

namespace mlflowcpp::server::http {

ConnectionQueue::ConnectionQueue(std::size_t threads, std::size_t max_connections) : max_connections_(max_connections) {
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { serve(); });
}

ConnectionQueue::~ConnectionQueue() { shutdown(); }

void ConnectionQueue::enqueue(std::function<void()> connection) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!shutting_down_ && serving_ + waiting_.size() < max_connections_) {
      waiting_.push_back(std::move(connection));
      work_ready_.notify_one();
      return;
    }
  }
  connection();  // over the bound: the server refuses it on this (the accepting) thread
}

void ConnectionQueue::shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shutting_down_ && threads_.empty()) return;
    shutting_down_ = true;
  }
  work_ready_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void ConnectionQueue::serve() {
  while (true) {
    std::function<void()> connection;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_ready_.wait(lock, [this] { return shutting_down_ || !waiting_.empty(); });
      if (waiting_.empty()) return;
      connection = std::move(waiting_.front());
      waiting_.pop_front();
      ++serving_;
    }
    connection();
    std::lock_guard<std::mutex> lock(mutex_);
    --serving_;
  }
}

}  // namespace mlflowcpp::server::http
