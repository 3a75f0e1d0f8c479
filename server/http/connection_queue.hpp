#pragma once

// The serving threads of the HTTP server, with a bound on the connections they
// hold: at most `max_connections` are being served or waiting for a thread.
// httplib hands every accepted connection to enqueue(); one beyond the bound is
// not queued but run at once on the accepting thread, where the server
// recognises it (EdgeServer) and turns it away without reading from it.

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mlflowcpp::server::http {

class ConnectionQueue : public httplib::TaskQueue {
 public:
  ConnectionQueue(std::size_t threads, std::size_t max_connections);
  ~ConnectionQueue() override;
  ConnectionQueue(const ConnectionQueue&) = delete;
  ConnectionQueue& operator=(const ConnectionQueue&) = delete;

  void enqueue(std::function<void()> connection) override;
  // Serves what is queued, then ends the threads.
  void shutdown() override;

 private:
  void serve();

  const std::size_t max_connections_;
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::deque<std::function<void()>> waiting_;
  std::size_t serving_ = 0;
  bool shutting_down_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace mlflowcpp::server::http
