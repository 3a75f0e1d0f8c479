#include "server/http/httplib_edge_server.hpp"

#include "server/http/connection_queue.hpp"
#include "server/http/connection_stream.hpp"
#include "server/http/socket_channel.hpp"
#include "server/http/tls_channel.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <string>

namespace mlflowcpp::server::http {
namespace {

using Clock = std::chrono::steady_clock;

// How often a connection waiting for its next request looks whether the server is stopping.
constexpr std::chrono::milliseconds kStopCheckInterval{200};

// An answer written straight to the socket, for requests httplib never parsed whole.
std::string canned_error(int status, const char* reason, const char* error_code, const char* message) {
  const std::string body = std::string("{\"error_code\": \"") + error_code + "\", \"message\": \"" + message + "\"}";
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

void write_all(ConnectionChannel& channel, const std::string& text, Deadline deadline) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t count = channel.write(text.data() + written, text.size() - written, deadline);
    if (count <= 0) return;
    written += static_cast<std::size_t>(count);
  }
}

void answer_head_failure(HeadFailure failure, ConnectionChannel& channel, const ConnectionLimits& limits) {
  std::string answer;
  switch (failure) {
    case HeadFailure::kNone:
      return;
    case HeadFailure::kTimedOut:
      answer = canned_error(408, "Request Timeout", "BAD_REQUEST",
                            "Request rejected: the request headers did not arrive in time.");
      break;
    case HeadFailure::kLineTooLong:
      answer = canned_error(414, "URI Too Long", "BAD_REQUEST", "Request rejected: the request URI is too long.");
      break;
    case HeadFailure::kHeadersTooLarge:
      answer = canned_error(431, "Request Header Fields Too Large", "BAD_REQUEST",
                            "Request rejected: the request headers are too large.");
      break;
  }
  write_all(channel, answer, Clock::now() + std::min(limits.write_timeout, std::chrono::seconds(5)));
}

}  // namespace

HttplibEdgeServer::HttplibEdgeServer(const ConnectionLimits& limits, std::size_t threads, std::size_t max_connections,
                                     std::shared_ptr<TlsContext> tls)
    : limits_(limits), tls_(std::move(tls)) {
  threads = std::max<std::size_t>(threads, 1);
  max_connections = std::max(max_connections, threads);
  // httplib creates the queue on the thread that then accepts connections.
  new_task_queue = [this, threads, max_connections]() -> httplib::TaskQueue* {
    accepting_thread_ = std::this_thread::get_id();
    return new ConnectionQueue(threads, max_connections);
  };
  // httplib's own keep-alive and timeout settings are not used: serve_requests() and the channels apply the limits.
}

ConnectionCounts HttplibEdgeServer::cut_connections() {
  cut_ = true;
  return open_connections_.cut_all();
}

bool HttplibEdgeServer::stopping() const { return svr_sock_ == INVALID_SOCKET; }

bool HttplibEdgeServer::process_and_close_socket(socket_t sock) {
  if (std::this_thread::get_id() == accepting_thread_.load()) {
    // Over the connection bound. The accepting thread must not wait: one try to
    // say so (TLS would need a handshake first), then the connection closes.
    if (!tls_) {
      static const std::string kBusy = canned_error(503, "Service Unavailable", "TEMPORARILY_UNAVAILABLE",
                                                    "The server has too many open connections; try again later.");
      [[maybe_unused]] const ssize_t sent = ::send(sock, kBusy.data(), kBusy.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return false;
  }
  const std::unique_ptr<ConnectionChannel> channel = open_channel(sock);
  if (!channel) return false;
  ConnectionStream stream(*channel, limits_);
  // Ends before the channel closes the socket.
  OpenConnections::Entry connection(open_connections_, channel->socket());
  serve_requests(stream, connection);
  if (stream.head_failure() != HeadFailure::kNone) answer_head_failure(stream.head_failure(), *channel, limits_);
  return true;
}

std::unique_ptr<ConnectionChannel> HttplibEdgeServer::open_channel(int socket) {
  // Without TCP_NODELAY small answers wait for delayed ACKs.
  int yes = 1;
  ::setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
  if (!tls_) return std::make_unique<SocketChannel>(socket);
  return TlsChannel::accept(socket, tls_->current(), Clock::now() + limits_.read_timeout);
}

void HttplibEdgeServer::serve_requests(ConnectionStream& stream, OpenConnections::Entry& connection) {
  for (std::size_t served = 0; served < limits_.max_keep_alive_requests; ++served) {
    const Deadline idle_until = Clock::now() + limits_.keep_alive_timeout;
    bool request_arrived = false;
    while (!stopping() && Clock::now() < idle_until) {
      if (stream.wait_for_request(std::min(idle_until, Clock::now() + kStopCheckInterval))) {
        request_arrived = true;
        break;
      }
    }
    // Stopping: a request the client has already sent (on a connection accepted
    // before the listening socket closed) is still answered; none is waited for.
    if (!request_arrived && stopping() && !cut_.load()) request_arrived = stream.wait_for_request(Clock::now());
    if (!request_arrived) return;

    stream.begin_request();
    const bool last = served + 1 == limits_.max_keep_alive_requests;
    bool client_closes = false;
    connection.set_busy(true);
    const bool answered =
        process_request(stream, last, client_closes, [&stream](httplib::Request&) { stream.end_head(); });
    connection.set_busy(false);
    // While the server drains, the answers of its handlers say "Connection: close" (HttpServer).
    if (!answered || client_closes || stopping() || stream.answer_closes_connection() ||
        stream.head_failure() != HeadFailure::kNone) {
      return;
    }
  }
}

}  // namespace mlflowcpp::server::http
