#include "testing/raw_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>

namespace mlflowcpp::testing {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

RawConnection::RawConnection(int port) : socket_(::socket(AF_INET, SOCK_STREAM, 0)) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  connected_ = socket_ >= 0 && ::connect(socket_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
}

RawConnection::~RawConnection() {
  if (socket_ >= 0) ::close(socket_);
}

bool RawConnection::send(const std::string& bytes) {
  return ::send(socket_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

std::string RawConnection::read_until_closed(milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::string received;
  while (!closed_) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) break;
    pollfd entry{socket_, POLLIN, 0};
    if (::poll(&entry, 1, static_cast<int>(left)) <= 0) break;
    char buffer[4096];
    const ssize_t count = ::recv(socket_, buffer, sizeof(buffer), 0);
    if (count <= 0) {
      closed_ = true;
      break;
    }
    received.append(buffer, static_cast<std::size_t>(count));
  }
  return received;
}

bool RawConnection::closed_by_server() {
  pollfd entry{socket_, POLLIN, 0};
  if (::poll(&entry, 1, 0) <= 0) return closed_;
  char buffer[4096];
  const ssize_t count = ::recv(socket_, buffer, sizeof(buffer), MSG_DONTWAIT);
  if (count <= 0) closed_ = true;
  return closed_;
}

}  // namespace mlflowcpp::testing
