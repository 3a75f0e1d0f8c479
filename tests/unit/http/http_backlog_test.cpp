// A burst of clients connecting at the same instant must all be served: the
// listening socket's backlog has to hold them until the accept loop takes them
// (with httplib's default of 5, the kernel resets the connections it cannot
// queue).

#include "http_test_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace mlflowcpp::server::http::testing {
namespace {

using Clock = std::chrono::steady_clock;

// A client socket closed when the object goes.
class ClientSocket {
 public:
  ClientSocket() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {}
  ~ClientSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  ClientSocket(const ClientSocket&) = delete;
  ClientSocket& operator=(const ClientSocket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

bool connect_to(int fd, int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
}

bool send_all(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// Everything the server sends until it closes the connection, or "" with
// `error` set when the connection fails or the deadline passes first.
std::string read_until_closed(int fd, Clock::time_point deadline, std::string& error) {
  std::string received;
  char buffer[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      error = "no complete answer before the deadline";
      return "";
    }
    pollfd poll_fd{fd, POLLIN, 0};
    const int ready = ::poll(&poll_fd, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  // timed out: the deadline check above reports it
    const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::string("recv: ") + std::strerror(errno);
      return "";
    }
    if (n == 0) return received;
    received.append(buffer, static_cast<size_t>(n));
  }
}

// The accept backlog of this process's socket listening on `port`, or -1.
// For a listening socket, Linux reports the backlog in tcp_info's tcpi_sacked.
int listen_backlog_of_port(int port) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    int fd = -1;
    try {
      fd = std::stoi(entry.path().filename().string());
    } catch (const std::exception&) {
      continue;
    }
    int listening = 0;
    socklen_t length = sizeof(listening);
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) != 0 || listening == 0) continue;
    sockaddr_in address{};
    socklen_t address_length = sizeof(address);
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &address_length) != 0) continue;
    if (address.sin_family != AF_INET || ntohs(address.sin_port) != port) continue;
    tcp_info info{};
    socklen_t info_length = sizeof(info);
    if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &info_length) != 0) return -1;
    return static_cast<int>(info.tcpi_sacked);
  }
  return -1;
}

// Without a larger backlog a burst still ends up served, but only after the
// dropped SYNs are sent again a second later; the backlog itself says whether
// the burst fits.
TEST(HttpBacklogTest, ListeningSocketQueuesMoreThanABurstOfSixtyFour) {
  TestServer server;
  EXPECT_GE(listen_backlog_of_port(server.port()), 64);
}

TEST(HttpBacklogTest, SixtyFourSimultaneousConnectionsAreAllAnswered) {
  constexpr int kConnections = 64;
  TestServer server;

  // Every connection is opened at once: the threads wait at a common start
  // line, so the SYNs reach the listening socket together.
  std::vector<std::unique_ptr<ClientSocket>> sockets;
  for (int i = 0; i < kConnections; ++i) sockets.push_back(std::make_unique<ClientSocket>());
  std::vector<int> connected(kConnections, 0);
  std::atomic<int> waiting{kConnections};
  std::vector<std::thread> connectors;
  for (int i = 0; i < kConnections; ++i) {
    connectors.emplace_back([&, i] {
      waiting.fetch_sub(1);
      while (waiting.load() > 0) std::this_thread::yield();
      connected[i] = connect_to(sockets[i]->fd(), server.port()) ? 1 : 0;
    });
  }
  for (auto& connector : connectors) connector.join();

  // "Connection: close": the server answers and closes, so a pool thread does
  // not wait on an idle keep-alive connection while others queue.
  const std::string request =
      "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  for (int i = 0; i < kConnections; ++i) {
    ASSERT_TRUE(sockets[i]->fd() >= 0) << "socket " << i;
    ASSERT_EQ(connected[i], 1) << "connection " << i << " was refused";
    // A reset connection can fail here already; the read below reports it.
    send_all(sockets[i]->fd(), request);
  }

  const auto deadline = Clock::now() + std::chrono::seconds(30);
  int answered = 0;
  for (int i = 0; i < kConnections; ++i) {
    std::string error;
    const std::string answer = read_until_closed(sockets[i]->fd(), deadline, error);
    EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << "connection " << i << ": " << (error.empty() ? answer : error);
    if (answer.rfind("HTTP/1.1 200", 0) == 0) ++answered;
  }
  EXPECT_EQ(answered, kConnections);
}

}  // namespace
}  // namespace mlflowcpp::server::http::testing
