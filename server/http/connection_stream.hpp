#pragma once

// cpp-httplib's view of one connection (httplib::Stream), over a ConnectionChannel,
// kept for all the requests of the connection (so bytes read ahead are not lost).
// It enforces what httplib does not: the head of each request (request line and
// headers) must arrive within the read timeout as a whole, not just byte by
// byte, and within max_header_bytes. A head that breaks either makes reads fail
// and keeps httplib's own answer off the wire; head_failure() then says which.

#include "server/http/connection_channel.hpp"
#include "server/http/connection_limits.hpp"

#include <httplib.h>

#include <array>
#include <string>

namespace mlflowcpp::server::http {

enum class HeadFailure {
  kNone,
  kTimedOut,         // the head did not arrive in time
  kLineTooLong,      // max_header_bytes passed within the request line
  kHeadersTooLarge,  // max_header_bytes passed within the headers
};

class ConnectionStream : public httplib::Stream {
 public:
  // Both must outlive the stream.
  ConnectionStream(ConnectionChannel& channel, const ConnectionLimits& limits);

  // Whether the next request begins before `deadline` (false: idle, or the client left).
  bool wait_for_request(Deadline deadline);
  // The next request's head begins: its clock and byte budget start.
  void begin_request();
  // The head was read whole and parsed.
  void end_head() { in_head_ = false; }
  HeadFailure head_failure() const { return head_failure_; }
  // Whether the answer to the current request said "Connection: close" (httplib
  // sends it, but keeps the connection open): the server must then close it.
  bool answer_closes_connection() const { return answer_closes_connection_; }

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return channel_.socket(); }

 private:
  ConnectionChannel& channel_;
  const ConnectionLimits& limits_;
  std::array<char, 4096> buffer_{};
  std::size_t buffer_start_ = 0;
  std::size_t buffer_end_ = 0;

  bool in_head_ = false;
  bool request_line_read_ = false;
  std::size_t head_bytes_ = 0;
  Deadline head_deadline_{};
  HeadFailure head_failure_ = HeadFailure::kNone;
  bool answer_head_written_ = false;
  bool answer_closes_connection_ = false;
};

}  // namespace mlflowcpp::server::http
