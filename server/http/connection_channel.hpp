#pragma once

// The bytes of one accepted connection, plain TCP or TLS over it, with every
// wait bounded by a deadline: no read or write can hold a serving thread longer
// than the caller allows. Owns the socket and closes it when destroyed.

#include <sys/types.h>
#include <chrono>
#include <cstddef>

namespace mlflowcpp::server::http {

using Deadline = std::chrono::steady_clock::time_point;

class ConnectionChannel {
 public:
  virtual ~ConnectionChannel() = default;
  ConnectionChannel(const ConnectionChannel&) = delete;
  ConnectionChannel& operator=(const ConnectionChannel&) = delete;

  // Up to `size` bytes: > 0 read, 0 when the peer closed, -1 on an error or when
  // `deadline` passed first (then timed_out()).
  virtual ssize_t read(char* data, std::size_t size, Deadline deadline) = 0;
  // Some of `data` (> 0 bytes), or -1 on an error or when `deadline` passed first.
  virtual ssize_t write(const char* data, std::size_t size, Deadline deadline) = 0;
  // Whether a read would find bytes (or the end of the stream) before `deadline`.
  virtual bool wait_readable(Deadline deadline) = 0;

  int socket() const { return socket_; }
  bool timed_out() const { return timed_out_; }

 protected:
  explicit ConnectionChannel(int socket) : socket_(socket) {}
  void note_timeout() { timed_out_ = true; }

 private:
  int socket_;
  bool timed_out_ = false;
};

}  // namespace mlflowcpp::server::http
