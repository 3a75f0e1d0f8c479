#pragma once

// A TCP proxy on a loopback port in front of a real server, for client tests:
// counts the TCP connections the client opens, can drop the first few
// connections (accept, then close at once) to inject connection failures, and
// keeps every byte the client sent (to see the request heads it wrote).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace mlflowcpp::integration {

class CountingTcpProxy {
 public:
  explicit CountingTcpProxy(int upstream_port, int connections_to_drop = 0)
      : upstream_port_(upstream_port), to_drop_(connections_to_drop) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address = loopback(0);
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::listen(listen_fd_, 64) != 0) {
      throw std::runtime_error("proxy: cannot listen");
    }
    socklen_t length = sizeof(address);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~CountingTcpProxy() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    acceptor_.join();
    std::vector<std::thread> pumps;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
      pumps.swap(pumps_);
    }
    for (auto& pump : pumps) pump.join();
  }

  CountingTcpProxy(const CountingTcpProxy&) = delete;
  CountingTcpProxy& operator=(const CountingTcpProxy&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Every connection accepted, the dropped ones included.
  int connections() const { return connections_.load(); }
  // When each connection was accepted, in order.
  std::vector<std::chrono::steady_clock::time_point> accept_times() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return accept_times_;
  }
  // Everything clients sent through the proxy, all connections in arrival order.
  std::string client_bytes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return client_bytes_;
  }

 private:
  static sockaddr_in loopback(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    return address;
  }

  void accept_loop() {
    while (!stopping_) {
      int client = ::accept(listen_fd_, nullptr, nullptr);
      if (client < 0) {
        if (stopping_) return;
        continue;
      }
      ++connections_;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        accept_times_.push_back(std::chrono::steady_clock::now());
      }
      if (to_drop_.fetch_sub(1) > 0) {
        ::close(client);
        continue;
      }
      int upstream = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address = loopback(upstream_port_);
      if (upstream < 0 || ::connect(upstream, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
        ::close(client);
        if (upstream >= 0) ::close(upstream);
        continue;
      }
      std::lock_guard<std::mutex> lock(mutex_);
      open_fds_.push_back(client);
      open_fds_.push_back(upstream);
      pumps_.emplace_back([this, client, upstream] { pump(client, upstream); });
    }
  }

  // Copies bytes both ways until either side closes.
  void pump(int client, int upstream) {
    pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
    char buffer[16384];
    bool open = true;
    while (open && !stopping_) {
      if (::poll(fds, 2, 200) < 0) break;
      for (int i = 0; i < 2 && open; ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        ssize_t received = ::recv(fds[i].fd, buffer, sizeof(buffer), 0);
        if (received <= 0) {
          open = false;
          break;
        }
        if (fds[i].fd == client) {
          std::lock_guard<std::mutex> lock(mutex_);
          client_bytes_.append(buffer, static_cast<std::size_t>(received));
        }
        ssize_t sent = 0;
        while (sent < received) {
          ssize_t written = ::send(fds[1 - i].fd, buffer + sent, received - sent, MSG_NOSIGNAL);
          if (written <= 0) {
            open = false;
            break;
          }
          sent += written;
        }
      }
    }
    std::lock_guard<std::mutex> lock(mutex_);
    for (int fd : {client, upstream}) {
      open_fds_.erase(std::remove(open_fds_.begin(), open_fds_.end(), fd), open_fds_.end());
      ::close(fd);
    }
  }

  int upstream_port_;
  std::atomic<int> to_drop_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::vector<std::chrono::steady_clock::time_point> accept_times_;
  std::string client_bytes_;
  std::vector<int> open_fds_;
  std::vector<std::thread> pumps_;
  std::thread acceptor_;
};

}  // namespace mlflowcpp::integration
