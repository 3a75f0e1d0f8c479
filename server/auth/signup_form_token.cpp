#include "server/auth/signup_form_token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <charconv>
#include <stdexcept>

namespace mlflowcpp::server::auth {
namespace {

// Separates this key's use from any other use of the same shared secret.
constexpr std::string_view kKeyPurpose = "mlflowcpp sign-up form token";
// Tokens issued this far "in the future" still count: replicas' clocks differ a little.
constexpr std::int64_t kClockSkewSeconds = 60;

std::string hex(const unsigned char* bytes, std::size_t length) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(length * 2);
  for (std::size_t i = 0; i < length; ++i) {
    text += kDigits[bytes[i] >> 4];
    text += kDigits[bytes[i] & 0xf];
  }
  return text;
}

}  // namespace

SignupFormTokens::SignupFormTokens(std::string_view secret) {
  if (secret.empty()) {
    if (RAND_bytes(key_.data(), static_cast<int>(key_.size())) != 1) {
      throw std::runtime_error("cannot draw a random key for the sign-up form tokens");
    }
    return;
  }
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(kKeyPurpose.data()), kKeyPurpose.size(), key_.data(),
           &length) == nullptr ||
      length != key_.size()) {
    throw std::runtime_error("cannot derive the key of the sign-up form tokens");
  }
}

std::string SignupFormTokens::digest_hex(std::string_view username, std::int64_t issued_seconds) const {
  // The username's length goes first, so no two (username, time) pairs share a message.
  const std::string message =
      std::to_string(username.size()) + ":" + std::string(username) + ":" + std::to_string(issued_seconds);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length) == nullptr) {
    return {};
  }
  return hex(digest, length);
}

std::string SignupFormTokens::issue(std::string_view username, std::int64_t now_seconds) const {
  return std::to_string(now_seconds) + "." + digest_hex(username, now_seconds);
}

bool SignupFormTokens::verify(std::string_view token, std::string_view username, std::int64_t now_seconds) const {
  const auto dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  std::int64_t issued = 0;
  const auto [end, error] = std::from_chars(token.data(), token.data() + dot, issued);
  if (error != std::errc() || end != token.data() + dot) return false;
  if (issued < 0 || issued > now_seconds + kClockSkewSeconds || now_seconds - issued > kLifetimeSeconds) return false;
  const std::string expected = digest_hex(username, issued);
  const std::string_view given = token.substr(dot + 1);
  return !expected.empty() && given.size() == expected.size() &&
         CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

}  // namespace mlflowcpp::server::auth
