#pragma once

// Serves a configured HttpServer (routes and filters added) on a free loopback
// port, in a thread of its own, until destroyed; with a keep-alive client to it.

#include "server/http/http_server.hpp"

#include <httplib.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

namespace mlflowcpp::server::http::testing {

class ServingThread {
 public:
  // Returns once the server runs; throws std::runtime_error when it cannot bind or start.
  explicit ServingThread(HttpServer& server, int read_timeout_seconds = 30) : server_(server) {
    if (!server_.bind("127.0.0.1", 0)) throw std::runtime_error("cannot bind a free port");
    thread_ = std::thread([this] { server_.run(); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!server_.is_running()) {
      if (std::chrono::steady_clock::now() > deadline) {
        stop();
        throw std::runtime_error("server did not start");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_.port());
    client_->set_read_timeout(read_timeout_seconds, 0);
  }
  ~ServingThread() { stop(); }
  ServingThread(const ServingThread&) = delete;
  ServingThread& operator=(const ServingThread&) = delete;

  httplib::Client& client() { return *client_; }

 private:
  void stop() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  HttpServer& server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace mlflowcpp::server::http::testing
