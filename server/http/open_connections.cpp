#include "server/http/open_connections.hpp"

#include <sys/socket.h>

namespace mlflowcpp::server::http {

OpenConnections::Entry::Entry(OpenConnections& connections, int socket) : connections_(connections), socket_(socket) {
  std::lock_guard<std::mutex> lock(connections_.mutex_);
  const auto [entry, added] = connections_.busy_by_socket_.try_emplace(socket_, false);
  if (!added) {  // a stale entry under a reused descriptor: replaced
    connections_.count(entry->second, -1);
    entry->second = false;
  }
  connections_.count(false, +1);
}

OpenConnections::Entry::~Entry() {
  std::lock_guard<std::mutex> lock(connections_.mutex_);
  const auto found = connections_.busy_by_socket_.find(socket_);
  if (found == connections_.busy_by_socket_.end()) return;
  connections_.count(found->second, -1);
  connections_.busy_by_socket_.erase(found);
}

void OpenConnections::Entry::set_busy(bool busy) {
  std::lock_guard<std::mutex> lock(connections_.mutex_);
  bool& entry_busy = connections_.busy_by_socket_[socket_];
  if (entry_busy == busy) return;
  connections_.count(entry_busy, -1);
  connections_.count(busy, +1);
  entry_busy = busy;
}

void OpenConnections::count(bool busy, int delta) {
  std::atomic<std::size_t>& counter = busy ? busy_ : idle_;
  if (delta > 0) {
    counter.fetch_add(1, std::memory_order_relaxed);
  } else {
    counter.fetch_sub(1, std::memory_order_relaxed);
  }
}

ConnectionCounts OpenConnections::counts() const {
  ConnectionCounts counts;
  counts.busy = busy_.load(std::memory_order_relaxed);
  counts.idle = idle_.load(std::memory_order_relaxed);
  return counts;
}

ConnectionCounts OpenConnections::cut_all() {
  std::lock_guard<std::mutex> lock(mutex_);
  ConnectionCounts cut;
  for (const auto& [socket, busy] : busy_by_socket_) {
    ::shutdown(socket, SHUT_RDWR);
    ++(busy ? cut.busy : cut.idle);
  }
  return cut;
}

}  // namespace mlflowcpp::server::http
