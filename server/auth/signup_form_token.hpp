#pragma once

// The token the sign-up form carries so that only a page this server rendered
// can create users through it: a browser that holds an admin's basic-auth
// credentials sends them to any page's form post, but a page on another origin
// cannot read /signup to learn the token. A token is an HMAC of the signed-in
// username and the time it was issued, valid for an hour. The key comes from
// MLFLOW_FLASK_SERVER_SECRET_KEY when set (so replicas behind one address accept
// each other's forms), else from a random key of this process.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace mlflowcpp::server::auth {

class SignupFormTokens {
 public:
  static constexpr std::int64_t kLifetimeSeconds = 3600;

  // `secret`: the shared secret; empty = a random key for this process only.
  explicit SignupFormTokens(std::string_view secret);

  // A token for a form shown to `username` at `now_seconds` (Unix time).
  std::string issue(std::string_view username, std::int64_t now_seconds) const;
  // Whether `token` was issued by this key to `username` within the lifetime
  // before `now_seconds`. Never throws.
  bool verify(std::string_view token, std::string_view username, std::int64_t now_seconds) const;

 private:
  std::string digest_hex(std::string_view username, std::int64_t issued_seconds) const;

  std::array<unsigned char, 32> key_{};
};

}  // namespace mlflowcpp::server::auth
