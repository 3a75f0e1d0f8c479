#pragma once

// A plain TCP connection (see connection_channel.hpp).

#include "server/http/connection_channel.hpp"

namespace mlflowcpp::server::http {

// Waits until `socket` has one of `events` (POLLIN, POLLOUT; a hang-up or error
// counts too) or `deadline` passes; false on the deadline or a poll failure.
bool wait_for_socket(int socket, short events, Deadline deadline);

// Ends a connection without losing what was just sent to it: bytes the client
// is still sending would otherwise make the kernel answer with a reset that can
// destroy the response in flight, so those are read and dropped (for at most
// about a second) before the socket closes.
void close_socket_gracefully(int socket);

class SocketChannel : public ConnectionChannel {
 public:
  // Takes ownership of `socket`.
  explicit SocketChannel(int socket) : ConnectionChannel(socket) {}
  ~SocketChannel() override;

  ssize_t read(char* data, std::size_t size, Deadline deadline) override;
  ssize_t write(const char* data, std::size_t size, Deadline deadline) override;
  bool wait_readable(Deadline deadline) override;
};

}  // namespace mlflowcpp::server::http
