#include "server/auth/authenticator.hpp"

#include "server/auth/password_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <mlflowcpp/errors.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <list>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

namespace mlflowcpp::server::auth {
namespace {

// A hash in the format and at the cost of those hash_password() writes; no
// password is known to match it, and none needs to: only its cost matters.
constexpr const char* kUnknownUserHash =
    "pbkdf2:sha256:600000$mlflowcppDummySl$"
    "3b0d4c5e2a1f6e7d8c9b0a1f2e3d4c5b6a798877665544332211ffeeddccbbaa";

using Digest = std::array<unsigned char, 32>;

}  // namespace

class Authenticator::Impl {
 public:
  Impl(AuthStore& store, AuthenticatorOptions options) : store_(store), options_(std::move(options)) {
    if (options_.unknown_user_hash.empty()) options_.unknown_user_hash = kUnknownUserHash;
    if (options_.max_concurrent_slow_checks == 0) {
      options_.max_concurrent_slow_checks = std::max(1u, std::thread::hardware_concurrency());
    }
    if (RAND_bytes(key_.data(), static_cast<int>(key_.size())) != 1) {
      throw std::runtime_error("no random bytes for the password cache key");
    }
  }

  std::optional<http::Caller> authenticate(const std::string& username, const std::string& password) {
    // Read on every call: a changed password or admin flag, or a deleted user, counts at once.
    const std::optional<User> user = store_.find_user(username);
    if (!user) {
      slow_check(options_.unknown_user_hash, password);
      return std::nullopt;
    }
    const Digest digest = keyed_digest(password);
    if (!remembers(*user, digest)) {
      // Without the lock: other users' requests go on while this one hashes.
      if (!slow_check(user->password_hash, password)) return std::nullopt;
      remember(*user, digest);
    }
    return http::Caller{user->id, user->username, user->is_admin};
  }

 private:
  // The password a user was last let in with, known only by its keyed digest,
  // valid while the stored hash it matched is still the user's.
  struct Entry {
    std::string password_hash;
    Digest digest;
    std::list<std::string>::iterator recency;
  };

  // check_password() within the bound on concurrent slow checks. Refusing at
  // once, rather than queueing, keeps a flood of bad credentials from holding
  // the server's threads as well as its cores.
  bool slow_check(const std::string& stored_hash, const std::string& password) {
    if (slow_checks_.fetch_add(1) >= options_.max_concurrent_slow_checks) {
      slow_checks_.fetch_sub(1);
      throw MlflowException(ErrorCode::kTemporarilyUnavailable,
                            "Too many sign-ins are being checked at once; retry in a moment.");
    }
    const bool matches = check_password(stored_hash, password);
    slow_checks_.fetch_sub(1);
    return matches;
  }

  Digest keyed_digest(const std::string& password) const {
    Digest digest{};
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
             reinterpret_cast<const unsigned char*>(password.data()), password.size(), digest.data(),
             &length) == nullptr ||
        length != digest.size()) {
      throw std::runtime_error("HMAC-SHA256 failed");
    }
    return digest;
  }

  bool remembers(const User& user, const Digest& digest) {
    std::lock_guard lock(mutex_);
    const auto found = entries_.find(user.username);
    if (found == entries_.end()) return false;
    Entry& entry = found->second;
    if (entry.password_hash != user.password_hash ||
        CRYPTO_memcmp(entry.digest.data(), digest.data(), digest.size()) != 0) {
      return false;
    }
    recency_.splice(recency_.begin(), recency_, entry.recency);
    return true;
  }

  void remember(const User& user, const Digest& digest) {
    if (options_.max_cached_users == 0) return;
    std::lock_guard lock(mutex_);
    const auto found = entries_.find(user.username);
    if (found != entries_.end()) {
      found->second.password_hash = user.password_hash;
      found->second.digest = digest;
      recency_.splice(recency_.begin(), recency_, found->second.recency);
      return;
    }
    while (entries_.size() >= options_.max_cached_users) {
      entries_.erase(recency_.back());
      recency_.pop_back();
    }
    recency_.push_front(user.username);
    entries_.emplace(user.username, Entry{user.password_hash, digest, recency_.begin()});
  }

  AuthStore& store_;
  AuthenticatorOptions options_;
  std::array<unsigned char, 32> key_{};  // for this process only: the digests are worthless outside it

  std::atomic<std::size_t> slow_checks_{0};  // running now

  std::mutex mutex_;  // guards entries_ and recency_
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> recency_;  // usernames, most recently seen first
};

Authenticator::Authenticator(AuthStore& store) : Authenticator(store, AuthenticatorOptions{}) {}

Authenticator::Authenticator(AuthStore& store, AuthenticatorOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(options))) {}

Authenticator::~Authenticator() = default;

std::optional<http::Caller> Authenticator::authenticate(const std::string& username, const std::string& password) {
  return impl_->authenticate(username, password);
}

}  // namespace mlflowcpp::server::auth
