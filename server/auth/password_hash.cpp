#include "server/auth/password_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <vector>

namespace mlflowcpp::server::auth {
namespace {

// What new hashes use: PBKDF2-HMAC-SHA256 at the iteration count werkzeug 2.3 to 3.0 write.
constexpr int kNewHashIterations = 600000;
constexpr std::size_t kSaltLength = 16;
// werkzeug's salt alphabet; 62 characters.
constexpr std::string_view kSaltAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

// werkzeug 3.1's defaults for a method written without its parameters.
constexpr int kDefaultPbkdf2Iterations = 1000000;
constexpr std::uint64_t kDefaultScryptN = 32768;
constexpr std::uint64_t kDefaultScryptR = 8;
constexpr std::uint64_t kDefaultScryptP = 1;
// hashlib.scrypt's default key length.
constexpr std::size_t kScryptKeyLength = 64;

std::string to_hex(const std::vector<unsigned char>& bytes) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0x0f]);
  }
  return hex;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

template <typename Number>
std::optional<Number> parse_positive(std::string_view text) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

const EVP_MD* pbkdf2_digest(std::string_view name) {
  if (name == "sha256") return EVP_sha256();
  if (name == "sha512") return EVP_sha512();
  if (name == "sha384") return EVP_sha384();
  if (name == "sha224") return EVP_sha224();
  if (name == "sha1") return EVP_sha1();
  return nullptr;
}

std::optional<std::string> pbkdf2_hex(const EVP_MD* digest, int iterations, std::string_view salt,
                                      std::string_view password) {
  std::vector<unsigned char> key(static_cast<std::size_t>(EVP_MD_get_size(digest)));
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()), iterations,
                        digest, static_cast<int>(key.size()), key.data()) != 1) {
    return std::nullopt;
  }
  return to_hex(key);
}

// The hex digest `method` ("pbkdf2:sha256:600000", "scrypt:32768:8:1", ...)
// gives `password` with `salt`, as werkzeug computes it; nullopt for a method
// it does not know or parameters it would refuse.
std::optional<std::string> derive_hex(std::string_view method, std::string_view salt, std::string_view password) {
  if (password.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      salt.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return std::nullopt;
  }
  const auto parts = split(method, ':');
  if (parts[0] == "pbkdf2") {
    if (parts.size() > 3) return std::nullopt;
    const EVP_MD* digest = pbkdf2_digest(parts.size() > 1 ? parts[1] : "sha256");
    const auto iterations = parts.size() > 2 ? parse_positive<int>(parts[2]) : kDefaultPbkdf2Iterations;
    if (digest == nullptr || !iterations) return std::nullopt;
    return pbkdf2_hex(digest, *iterations, salt, password);
  }
  if (parts[0] == "scrypt") {
    if (parts.size() != 1 && parts.size() != 4) return std::nullopt;
    std::uint64_t n = kDefaultScryptN, r = kDefaultScryptR, p = kDefaultScryptP;
    if (parts.size() == 4) {
      const auto parsed_n = parse_positive<std::uint64_t>(parts[1]);
      const auto parsed_r = parse_positive<std::uint64_t>(parts[2]);
      const auto parsed_p = parse_positive<std::uint64_t>(parts[3]);
      if (!parsed_n || !parsed_r || !parsed_p) return std::nullopt;
      n = *parsed_n, r = *parsed_r, p = *parsed_p;
    }
    // werkzeug's memory limit (132 * n * r * p bytes): parameters it would refuse are refused here too.
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    if (n > kMax / 132 || r > kMax / (132 * n) || p > kMax / (132 * n * r)) return std::nullopt;
    const std::uint64_t max_memory = 132 * n * r * p;
    std::vector<unsigned char> key(kScryptKeyLength);
    if (EVP_PBE_scrypt(password.data(), password.size(), reinterpret_cast<const unsigned char*>(salt.data()),
                       salt.size(), n, r, p, max_memory, key.data(), key.size()) != 1) {
      return std::nullopt;
    }
    return to_hex(key);
  }
  return std::nullopt;
}

std::string new_salt() {
  std::string salt;
  while (salt.size() < kSaltLength) {
    unsigned char random[32];
    if (RAND_bytes(random, sizeof random) != 1) throw std::runtime_error("no random bytes for a password salt");
    for (unsigned char byte : random) {
      // Rejection sampling keeps every character equally likely: 248 = 4 * 62.
      if (byte >= 248 || salt.size() == kSaltLength) continue;
      salt.push_back(kSaltAlphabet[byte % kSaltAlphabet.size()]);
    }
  }
  return salt;
}

}  // namespace

std::string hash_password(std::string_view password) {
  const std::string salt = new_salt();
  const auto hex = pbkdf2_hex(EVP_sha256(), kNewHashIterations, salt, password);
  if (!hex) throw std::runtime_error("PBKDF2 failed");
  return "pbkdf2:sha256:" + std::to_string(kNewHashIterations) + "$" + salt + "$" + *hex;
}

bool check_password(std::string_view stored_hash, std::string_view password) {
  try {
    // "method$salt$hex"; the salt holds no '$' (werkzeug splits at the first two).
    const auto method_end = stored_hash.find('$');
    if (method_end == std::string_view::npos) return false;
    const auto salt_end = stored_hash.find('$', method_end + 1);
    if (salt_end == std::string_view::npos) return false;
    const std::string_view method = stored_hash.substr(0, method_end);
    const std::string_view salt = stored_hash.substr(method_end + 1, salt_end - method_end - 1);
    const std::string_view expected = stored_hash.substr(salt_end + 1);
    const auto actual = derive_hex(method, salt, password);
    // The lengths are no secret (the method fixes them); the digests are compared in constant time.
    return actual && actual->size() == expected.size() &&
           CRYPTO_memcmp(actual->data(), expected.data(), expected.size()) == 0;
  } catch (...) {  // out of memory for a huge scrypt: a hash that cannot be checked matches nothing
    return false;
  }
}

}  // namespace mlflowcpp::server::auth
