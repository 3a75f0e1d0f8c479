#include "server/http/open_connections.hpp"

#include <sys/socket.h>

namespace mlflowcpp::server::http {

OpenConnections::Entry::Entry(OpenConnections& connections, int socket) : connections_(connections), socket_(socket) {
  std::lock_guard<std::mutex> lock(connections_.mutex_);
  connections_.busy_by_socket_[socket_] = false;
}

OpenConnections::Entry::~Entry() {
  std::lock_guard<std::mutex> lock(connections_.mutex_);
  connections_.busy_by_socket_.erase(socket_);
}

void OpenConnections::Entry::set_busy(bool busy) {
  std::lock_guard<std::mutex> lock(connections_.mutex_);
  connections_.busy_by_socket_[socket_] = busy;
}

ConnectionCounts OpenConnections::counts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  ConnectionCounts counts;
  for (const auto& [socket, busy] : busy_by_socket_) ++(busy ? counts.busy : counts.idle);
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
