#pragma once

// Checks a username and password against the auth store, fast: the slow hash
// is computed once per user and password, then a keyed digest of the password
// is remembered with the stored hash it matched. Every request still reads the
// user's row (one indexed lookup), so a password change, an admin flag change
// or a deletion counts at once, on every replica sharing the database.
// An unknown user costs the same slow hash as a wrong password, and both give
// the same answer, so neither timing nor replies tell which usernames exist.
// Thread-safe.

#include "server/auth/auth_store.hpp"
#include "server/http/caller.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace mlflowcpp::server::auth {

struct AuthenticatorOptions {
  // Users whose checked password is remembered; beyond that the least recently seen is forgotten.
  std::size_t max_cached_users = 10000;
  // What an unknown user's password is checked against, so that it costs what a
  // known user's does. Empty: a hash as slow as those hash_password() writes.
  std::string unknown_user_hash;
  // Slow hashes computed at once; a check beyond that is refused at once with
  // 503 TEMPORARILY_UNAVAILABLE (clients retry), so a flood of bad credentials
  // takes at most this many cores and no waiting threads, while callers whose
  // password is remembered go on. 0: one per hardware thread.
  std::size_t max_concurrent_slow_checks = 0;
};

class Authenticator {
 public:
  explicit Authenticator(AuthStore& store);
  Authenticator(AuthStore& store, AuthenticatorOptions options);
  ~Authenticator();
  Authenticator(const Authenticator&) = delete;
  Authenticator& operator=(const Authenticator&) = delete;

  // The caller when `password` is `username`'s; nullopt otherwise. Throws
  // MlflowException TEMPORARILY_UNAVAILABLE when a slow check is needed and
  // max_concurrent_slow_checks are running already.
  std::optional<http::Caller> authenticate(const std::string& username, const std::string& password);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mlflowcpp::server::auth
