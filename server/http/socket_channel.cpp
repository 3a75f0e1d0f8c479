#include "server/http/socket_channel.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>

namespace mlflowcpp::server::http {
namespace {

using Clock = std::chrono::steady_clock;

// How long a closing connection waits for the client to stop sending, and how much it reads meanwhile.
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr std::size_t kMaxLingerBytes = 1024 * 1024;

int milliseconds_until(Deadline deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, INT_MAX));
}

}  // namespace

bool wait_for_socket(int socket, short events, Deadline deadline) {
  while (true) {
    pollfd entry{socket, events, 0};
    const int ready = ::poll(&entry, 1, milliseconds_until(deadline));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return false;
  }
}

void close_socket_gracefully(int socket) {
  char scratch[4096];
  const ssize_t pending = ::recv(socket, scratch, sizeof(scratch), MSG_DONTWAIT | MSG_PEEK);
  if (pending > 0) {
    ::shutdown(socket, SHUT_WR);
    const Deadline deadline = Clock::now() + kLingerTime;
    std::size_t drained = 0;
    while (drained < kMaxLingerBytes && wait_for_socket(socket, POLLIN, deadline)) {
      const ssize_t count = ::recv(socket, scratch, sizeof(scratch), MSG_DONTWAIT);
      if (count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR)) break;
      if (count > 0) drained += static_cast<std::size_t>(count);
    }
  }
  ::close(socket);
}

SocketChannel::~SocketChannel() { close_socket_gracefully(socket()); }

ssize_t SocketChannel::read(char* data, std::size_t size, Deadline deadline) {
  while (true) {
    const ssize_t count = ::recv(socket(), data, size, MSG_DONTWAIT);
    if (count >= 0) return count;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
    if (!wait_for_socket(socket(), POLLIN, deadline)) {
      note_timeout();
      return -1;
    }
  }
}

ssize_t SocketChannel::write(const char* data, std::size_t size, Deadline deadline) {
  while (true) {
    const ssize_t count = ::send(socket(), data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (count >= 0) return count;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
    if (!wait_for_socket(socket(), POLLOUT, deadline)) {
      note_timeout();
      return -1;
    }
  }
}

bool SocketChannel::wait_readable(Deadline deadline) { return wait_for_socket(socket(), POLLIN, deadline); }

}  // namespace mlflowcpp::server::http
