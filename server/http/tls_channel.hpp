#pragma once

// A TLS connection over an accepted socket (see connection_channel.hpp). The
// socket is non-blocking throughout: the handshake, reads and writes each wait
// in poll() for what OpenSSL asks for, never past the caller's deadline.

#include "server/http/connection_channel.hpp"

#include <memory>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace mlflowcpp::server::http {

class TlsChannel : public ConnectionChannel {
 public:
  // Takes ownership of `socket` and completes the server side of the handshake
  // by `deadline`; null (the socket closed) when the handshake fails or takes longer.
  static std::unique_ptr<TlsChannel> accept(int socket, std::shared_ptr<SSL_CTX> context, Deadline deadline);
  ~TlsChannel() override;

  ssize_t read(char* data, std::size_t size, Deadline deadline) override;
  ssize_t write(const char* data, std::size_t size, Deadline deadline) override;
  bool wait_readable(Deadline deadline) override;

 private:
  TlsChannel(int socket, std::shared_ptr<SSL_CTX> context, SSL* ssl);
  // After an OpenSSL call returned `result`: waits for what it needs and says to
  // retry (true), or records the end of the connection (false).
  bool wait_to_retry(int result, Deadline deadline);

  std::shared_ptr<SSL_CTX> context_;  // outlives ssl_
  SSL* ssl_;
  bool broken_ = false;  // no close_notify on a connection that failed
};

}  // namespace mlflowcpp::server::http
