#pragma once

#include <chrono>
#include <string>

namespace mlflowcpp::testing {

// A raw loopback TCP connection, for what no HTTP client does: a request trickled in pieces, a connection held
// open or left without reading the answer, the moment the server closes it.
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  // Sends all of `bytes`; false when the connection took less (closed, reset).
  bool send(const std::string& bytes);
  // Reads what arrives until the server closes or `timeout` passes; closed() tells which.
  std::string read_until_closed(std::chrono::milliseconds timeout);
  // Whether a read so far saw the server close (or reset) the connection.
  bool closed() const { return closed_; }
  // Without waiting: whether the server has closed the connection by now (what it sent meanwhile is dropped).
  bool closed_by_server();

 private:
  int socket_;
  bool connected_ = false;
  bool closed_ = false;
};

}  // namespace mlflowcpp::testing
