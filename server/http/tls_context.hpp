#pragma once

// The server's TLS identity: a PEM certificate chain and its private key, read
// into an OpenSSL context that new connections take. reload() reads the files
// again (on SIGHUP) into a new context; connections already open keep the one
// they started with, and the listening socket is never touched.

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

typedef struct ssl_ctx_st SSL_CTX;

namespace mlflowcpp::server::http {

// A certificate or key that cannot be used; the message names the file and the reason.
class TlsSetupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class TlsContext {
 public:
  // Throws TlsSetupError when a file is unreadable, is no PEM, or the key does not match the certificate.
  TlsContext(std::string certificate_path, std::string key_path);

  // Reads both files again; on failure throws TlsSetupError and keeps serving the previous ones.
  void reload();
  // The context for a new connection; it stays valid while the returned pointer lives.
  std::shared_ptr<SSL_CTX> current() const;

  const std::string& certificate_path() const { return certificate_path_; }
  const std::string& key_path() const { return key_path_; }

 private:
  std::shared_ptr<SSL_CTX> load() const;

  const std::string certificate_path_;
  const std::string key_path_;
  mutable std::mutex mutex_;
  std::shared_ptr<SSL_CTX> context_;
};

}  // namespace mlflowcpp::server::http
