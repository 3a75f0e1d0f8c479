#include "server/http/connection_stream.hpp"

#include "server/http/socket_channel.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace mlflowcpp::server::http {
namespace {

using Clock = std::chrono::steady_clock;

void numeric_address(const sockaddr_storage& address, socklen_t length, std::string& ip, int& port) {
  char host[NI_MAXHOST] = {};
  char service[NI_MAXSERV] = {};
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&address), length, host, sizeof(host), service, sizeof(service),
                  NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return;
  }
  ip = host;
  port = std::atoi(service);
}

}  // namespace

ConnectionStream::ConnectionStream(ConnectionChannel& channel, const ConnectionLimits& limits)
    : channel_(channel), limits_(limits) {}

bool ConnectionStream::wait_for_request(Deadline deadline) {
  return buffer_start_ < buffer_end_ || channel_.wait_readable(deadline);
}

void ConnectionStream::begin_request() {
  in_head_ = true;
  request_line_read_ = false;
  head_bytes_ = 0;
  head_deadline_ = Clock::now() + limits_.read_timeout;
  head_failure_ = HeadFailure::kNone;
  answer_head_written_ = false;
  answer_closes_connection_ = false;
}

bool ConnectionStream::is_readable() const {
  return buffer_start_ < buffer_end_ || channel_.wait_readable(Clock::now() + limits_.read_timeout);
}

bool ConnectionStream::is_writable() const {
  return wait_for_socket(channel_.socket(), POLLOUT, Clock::now() + limits_.write_timeout);
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (head_failure_ != HeadFailure::kNone) return -1;
  Deadline deadline = Clock::now() + limits_.read_timeout;
  if (in_head_) {
    if (head_bytes_ >= limits_.max_header_bytes) {
      head_failure_ = request_line_read_ ? HeadFailure::kHeadersTooLarge : HeadFailure::kLineTooLong;
      return -1;
    }
    size = std::min(size, limits_.max_header_bytes - head_bytes_);
    deadline = std::min(deadline, head_deadline_);
  }
  if (buffer_start_ == buffer_end_) {
    const ssize_t count = channel_.read(buffer_.data(), buffer_.size(), deadline);
    if (count <= 0) {
      if (in_head_ && count < 0 && channel_.timed_out()) head_failure_ = HeadFailure::kTimedOut;
      return count;
    }
    buffer_start_ = 0;
    buffer_end_ = static_cast<std::size_t>(count);
  }
  const std::size_t count = std::min(size, buffer_end_ - buffer_start_);
  std::memcpy(ptr, buffer_.data() + buffer_start_, count);
  buffer_start_ += count;
  if (in_head_) {
    head_bytes_ += count;
    if (!request_line_read_ && std::memchr(ptr, '\n', count) != nullptr) request_line_read_ = true;
  }
  return static_cast<ssize_t>(count);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  // After a broken head httplib would answer 400: the server answers for itself instead.
  if (head_failure_ != HeadFailure::kNone) return -1;
  in_head_ = false;
  const std::string_view head(ptr, size);
  // httplib writes an answer's status line and headers in one piece, first; an
  // interim "100 Continue" comes before it and says nothing about the connection.
  if (!answer_head_written_ && head.rfind("HTTP/1.1 1", 0) != 0) {
    answer_head_written_ = true;
    const auto head_end = head.find("\r\n\r\n");
    answer_closes_connection_ = head.substr(0, head_end == std::string_view::npos ? head.size() : head_end + 2)
                                    .find("\r\nConnection: close\r\n") != std::string_view::npos;
  }
  return channel_.write(ptr, size, Clock::now() + limits_.write_timeout);
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (getpeername(channel_.socket(), reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    numeric_address(address, length, ip, port);
  }
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (getsockname(channel_.socket(), reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    numeric_address(address, length, ip, port);
  }
}

}  // namespace mlflowcpp::server::http
