#pragma once

namespace mlflowcpp::testing {

// A loopback TCP port that was free a moment ago: binds 127.0.0.1:0, reads the
// port the kernel chose and closes the socket. Another process may still take it
// before we use it, so whoever starts a server on it must be ready to retry.
int find_free_port();

// A socket bound and listening on a loopback port for as long as the object
// lives: makes "port already in use" reproducible.
class ListeningSocket {
 public:
  ListeningSocket();
  ~ListeningSocket();
  ListeningSocket(const ListeningSocket&) = delete;
  ListeningSocket& operator=(const ListeningSocket&) = delete;

  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace mlflowcpp::testing
