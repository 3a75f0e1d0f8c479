#include "server/http/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <fstream>
#include <utility>

namespace mlflowcpp::server::http {
namespace {

// The reasons OpenSSL queued on this thread, oldest first; the queue is left empty.
std::string openssl_errors() {
  std::string reasons;
  while (const unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof(text));
    if (!reasons.empty()) reasons += "; ";
    reasons += text;
  }
  return reasons.empty() ? "unknown OpenSSL error" : reasons;
}

void require_readable(const std::string& path, const char* what) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw TlsSetupError(std::string("cannot read the TLS ") + what + " '" + path + "'.");
}

}  // namespace

TlsContext::TlsContext(std::string certificate_path, std::string key_path)
    : certificate_path_(std::move(certificate_path)), key_path_(std::move(key_path)), context_(load()) {}

void TlsContext::reload() {
  auto fresh = load();
  std::lock_guard<std::mutex> lock(mutex_);
  context_ = std::move(fresh);
}

std::shared_ptr<SSL_CTX> TlsContext::current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return context_;
}

std::shared_ptr<SSL_CTX> TlsContext::load() const {
  require_readable(certificate_path_, "certificate");
  require_readable(key_path_, "key");
  ERR_clear_error();
  std::shared_ptr<SSL_CTX> context(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  if (!context) throw TlsSetupError("cannot create a TLS context: " + openssl_errors());
  SSL_CTX* raw = context.get();
  SSL_CTX_set_min_proto_version(raw, TLS1_2_VERSION);
  // Renegotiation lets one client make the server redo handshakes at will; compression leaks secrets (CRIME).
  SSL_CTX_set_options(raw, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // Writes are retried after WANT_WRITE from wherever the stream stands, and may complete partially.
  SSL_CTX_set_mode(raw, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // The key first: a certificate loaded after a key that does not match it only drops the key, and the check
  // below then says so.
  if (SSL_CTX_use_PrivateKey_file(raw, key_path_.c_str(), SSL_FILETYPE_PEM) != 1) {
    throw TlsSetupError("the TLS key '" + key_path_ + "' is not an unencrypted PEM private key: " + openssl_errors());
  }
  if (SSL_CTX_use_certificate_chain_file(raw, certificate_path_.c_str()) != 1) {
    throw TlsSetupError("the TLS certificate '" + certificate_path_ +
                        "' is not a PEM certificate: " + openssl_errors());
  }
  if (SSL_CTX_check_private_key(raw) != 1) {
    throw TlsSetupError("the TLS key '" + key_path_ + "' does not belong to the certificate '" + certificate_path_ +
                        "': " + openssl_errors());
  }
  return context;
}

}  // namespace mlflowcpp::server::http
