#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "s3/s3_client.hpp"
#include "testing/process_runner.hpp"
#include "testing/temp_dir.hpp"

namespace boost::process {
class child;
}

namespace mlflowcpp::testing {

// s3rver (npm package @20minutes/s3rver 4.0.4), an S3 emulator that checks
// SigV4 signatures, as a child process on a free loopback port with its data
// in a temp directory. The constructor returns once it answers HTTP; the
// destructor kills its whole process group.
//
// The program is $MLFLOWCPP_S3RVER, else `s3rver` on PATH; when neither
// exists the constructor throws (scripts/install-deps.sh --test installs it).
//
// s3rver knows one key pair, kAccessKeyId / kSecretAccessKey. It also accepts
// requests without any signature (as anonymous), so a test of "no credentials
// are refused" needs a wrong signature instead.
//
// @par Example
//   S3rverProcess s3({"artifacts"});           // with one bucket
//   s3::S3Client client(s3.settings());
//   ServerOptions options;                      // or give a child process the same setup:
//   options.environment = s3.environment();     // MLFLOW_S3_ENDPOINT_URL, AWS_* keys
class S3rverProcess {
 public:
  static constexpr const char* kAccessKeyId = "S3RVER";
  static constexpr const char* kSecretAccessKey = "S3RVER";

  explicit S3rverProcess(const std::vector<std::string>& buckets = {},
                         std::chrono::milliseconds startup_timeout = std::chrono::seconds(30));
  ~S3rverProcess();
  S3rverProcess(const S3rverProcess&) = delete;
  S3rverProcess& operator=(const S3rverProcess&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port>"
  std::string endpoint_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Settings for S3Client: this endpoint, the valid keys, us-east-1, short timeouts.
  s3::S3Settings settings() const;
  // What MLflow's variables say to reach it: MLFLOW_S3_ENDPOINT_URL,
  // AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION (for ServerOptions::environment).
  EnvironmentOverrides environment() const;

  // Creates a bucket (PUT /<name>); throws std::runtime_error when refused.
  void create_bucket(const std::string& name);

  // Where s3rver keeps buckets and objects (one directory per bucket).
  std::filesystem::path data_dir() const { return dir_.path() / "data"; }
  std::string log() const;

  // Kills the process group (SIGTERM, then SIGKILL); the destructor does it too.
  void stop();

  // The program that will be started; throws std::runtime_error when absent.
  static std::string program();

 private:
  TempDir dir_;
  int port_ = 0;
  int process_group_ = 0;
  std::unique_ptr<boost::process::child> child_;
};

}  // namespace mlflowcpp::testing
