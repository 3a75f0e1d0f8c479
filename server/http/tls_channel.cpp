#include "server/http/tls_channel.hpp"

#include "server/http/socket_channel.hpp"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

namespace mlflowcpp::server::http {

std::unique_ptr<TlsChannel> TlsChannel::accept(int socket, std::shared_ptr<SSL_CTX> context, Deadline deadline) {
  const int flags = ::fcntl(socket, F_GETFL, 0);
  SSL* ssl = flags < 0 || ::fcntl(socket, F_SETFL, flags | O_NONBLOCK) != 0 ? nullptr : SSL_new(context.get());
  if (ssl == nullptr || SSL_set_fd(ssl, socket) != 1) {
    if (ssl != nullptr) SSL_free(ssl);
    ::close(socket);
    return nullptr;
  }
  std::unique_ptr<TlsChannel> channel(new TlsChannel(socket, std::move(context), ssl));
  while (true) {
    ERR_clear_error();
    const int result = SSL_accept(ssl);
    if (result == 1) return channel;
    // Not TLS (plain HTTP to the TLS port), a refused handshake, or too slow: nothing to answer.
    if (!channel->wait_to_retry(result, deadline)) return nullptr;
  }
}

TlsChannel::TlsChannel(int socket, std::shared_ptr<SSL_CTX> context, SSL* ssl)
    : ConnectionChannel(socket), context_(std::move(context)), ssl_(ssl) {}

TlsChannel::~TlsChannel() {
  if (!broken_) {
    // One non-blocking attempt at close_notify: a client that does not read it costs nothing.
    ERR_clear_error();
    SSL_shutdown(ssl_);
  }
  SSL_free(ssl_);
  close_socket_gracefully(socket());
}

bool TlsChannel::wait_to_retry(int result, Deadline deadline) {
  const int error = SSL_get_error(ssl_, result);
  short events = 0;
  if (error == SSL_ERROR_WANT_READ) {
    events = POLLIN;
  } else if (error == SSL_ERROR_WANT_WRITE) {
    events = POLLOUT;
  } else {
    broken_ = true;
    ERR_clear_error();
    return false;
  }
  if (wait_for_socket(socket(), events, deadline)) return true;
  note_timeout();
  broken_ = true;
  return false;
}

ssize_t TlsChannel::read(char* data, std::size_t size, Deadline deadline) {
  if (size == 0) return 0;
  while (true) {
    ERR_clear_error();
    const int count = SSL_read(ssl_, data, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
    if (count > 0) return count;
    if (SSL_get_error(ssl_, count) == SSL_ERROR_ZERO_RETURN) return 0;
    if (!wait_to_retry(count, deadline)) return -1;
  }
}

ssize_t TlsChannel::write(const char* data, std::size_t size, Deadline deadline) {
  if (size == 0) return 0;
  while (true) {
    ERR_clear_error();
    const int count = SSL_write(ssl_, data, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
    if (count > 0) return count;
    if (!wait_to_retry(count, deadline)) return -1;
  }
}

bool TlsChannel::wait_readable(Deadline deadline) {
  if (SSL_pending(ssl_) > 0) return true;
  return wait_for_socket(socket(), POLLIN, deadline);
}

}  // namespace mlflowcpp::server::http
