#include "testing/free_port.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace mlflowcpp::testing {

namespace {

// Opens a TCP socket bound to 127.0.0.1 on a kernel-chosen port; returns the fd
// and stores the port. Throws on failure.
int bind_loopback_ephemeral(int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    int error = errno;
    ::close(fd);
    throw std::system_error(error, std::generic_category(), "bind 127.0.0.1:0");
  }
  port = ntohs(address.sin_port);
  return fd;
}

}  // namespace

int find_free_port() {
  int port = 0;
  ::close(bind_loopback_ephemeral(port));
  return port;
}

ListeningSocket::ListeningSocket() {
  fd_ = bind_loopback_ephemeral(port_);
  if (::listen(fd_, 16) != 0) {
    int error = errno;
    ::close(fd_);
    throw std::system_error(error, std::generic_category(), "listen");
  }
}

ListeningSocket::~ListeningSocket() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace mlflowcpp::testing
