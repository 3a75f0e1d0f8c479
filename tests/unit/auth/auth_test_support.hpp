#pragma once

// Shared helpers of the basic-auth tests: a temporary directory, cheap
// password hashes, and CPU time.

#include <openssl/evp.h>

#include <ctime>
#include <filesystem>
#include <random>
#include <string>

namespace mlflowcpp::server::auth::testing {

// A fresh directory, removed with everything in it when the object goes.
class AuthTempDir {
 public:
  AuthTempDir() {
    std::random_device device;
    path_ = std::filesystem::temp_directory_path() /
            ("mlflowcpp-auth-test-" + std::to_string(device()) + "-" + std::to_string(device()));
    std::filesystem::create_directories(path_);
  }
  AuthTempDir(const AuthTempDir&) = delete;
  AuthTempDir& operator=(const AuthTempDir&) = delete;
  ~AuthTempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A werkzeug-format hash of `password` at `iterations` PBKDF2-SHA256 rounds:
// what hash_password() writes, at a cost a test can afford many times.
inline std::string pbkdf2_hash(const std::string& password, int iterations, const std::string& salt = "testsalt") {
  unsigned char key[32];
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()), iterations,
                    EVP_sha256(), sizeof key, key);
  std::string hex;
  constexpr const char* kDigits = "0123456789abcdef";
  for (unsigned char byte : key) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0x0f]);
  }
  return "pbkdf2:sha256:" + std::to_string(iterations) + "$" + salt + "$" + hex;
}

// CPU seconds of the whole process (all threads): on a busy machine the wall
// clock also counts time other processes held the cores.
inline double process_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

}  // namespace mlflowcpp::server::auth::testing
