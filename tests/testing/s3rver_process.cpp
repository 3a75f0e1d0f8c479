#include "testing/s3rver_process.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <httplib.h>
#include <cstdlib>
#include <regex>
#include <stdexcept>

#include "testing/wait.hpp"

namespace bp = boost::process;

namespace mlflowcpp::testing {
namespace {

// s3rver prints this once it listens; with -p 0 the kernel picks the port, so
// no other process can take it between choosing and binding.
int port_from_log(const std::string& log) {
  static const std::regex kListening(R"(S3rver listening on [^\s:]+:(\d+))");
  std::smatch match;
  if (!std::regex_search(log, match, kListening)) return 0;
  return std::stoi(match[1].str());
}

bool answers_http(int port) {
  httplib::Client probe("127.0.0.1", port);
  probe.set_connection_timeout(0, 200000);
  probe.set_read_timeout(1, 0);
  return static_cast<bool>(probe.Get("/"));
}

}  // namespace

std::string S3rverProcess::program() {
  const char* configured = std::getenv("MLFLOWCPP_S3RVER");
  if (configured != nullptr && *configured != '\0') return configured;
  std::filesystem::path found = bp::search_path("s3rver").string();
  if (found.empty()) {
    throw std::runtime_error(
        "s3rver (the S3 emulator the S3 tests run against) is not on PATH and MLFLOWCPP_S3RVER is not set; "
        "install it with scripts/install-deps.sh --test");
  }
  return found.string();
}

S3rverProcess::S3rverProcess(const std::vector<std::string>& buckets, std::chrono::milliseconds startup_timeout)
    : dir_("mlflowcpp-s3rver") {
  const std::string log_file = (dir_.path() / "s3rver.log").string();
  std::filesystem::create_directories(data_dir());
  std::vector<std::string> args = {"--directory", data_dir().string(), "--address", "127.0.0.1", "--port",
                                   "0",           "--no-vhost-buckets"};
  // s3rver 4.0.4 encrypts ListObjectsV2 continuation tokens with DES, which
  // Node on OpenSSL 3 refuses unless the legacy provider is enabled.
  bp::environment environment = boost::this_process::environment();
  environment["NODE_OPTIONS"] = "--openssl-legacy-provider";
  child_ = std::make_unique<bp::child>(
      bp::exe = program(), bp::args = args, bp::env = environment,
      bp::std_in<bp::null, (bp::std_out & bp::std_err)> log_file, bp::limit_handles,
      bp::extend::on_exec_setup = [](auto&) {
        // Its own process group, so stop() reaches anything it starts; and it
        // dies with the test, so a crash never leaves it behind.
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      });
  process_group_ = child_->id();

  bool exited = false;
  bool ready = wait_until(
      [&] {
        if (!child_->running()) {
          exited = true;
          return true;
        }
        if (port_ == 0) port_ = port_from_log(log());
        return port_ != 0 && answers_http(port_);
      },
      startup_timeout);
  if (!ready || exited) {
    std::string output = log();
    stop();
    throw std::runtime_error(std::string("s3rver ") + (exited ? "exited during startup" : "did not answer in time") +
                             "; output:\n" + output);
  }
  for (const auto& bucket : buckets) create_bucket(bucket);
}

S3rverProcess::~S3rverProcess() {
  try {
    stop();
  } catch (...) {
    // A destructor must not throw; PDEATHSIG ends the child with us anyway.
  }
}

s3::S3Settings S3rverProcess::settings() const {
  s3::S3Settings settings;
  settings.endpoint_url = endpoint_url();
  settings.access_key_id = kAccessKeyId;
  settings.secret_access_key = kSecretAccessKey;
  settings.region = "us-east-1";
  settings.connect_timeout_ms = 2000;
  settings.stall_timeout_ms = 20000;
  return settings;
}

EnvironmentOverrides S3rverProcess::environment() const {
  return {{"MLFLOW_S3_ENDPOINT_URL", endpoint_url()},
          {"AWS_ACCESS_KEY_ID", std::string(kAccessKeyId)},
          {"AWS_SECRET_ACCESS_KEY", std::string(kSecretAccessKey)},
          {"AWS_DEFAULT_REGION", std::string("us-east-1")},
          {"AWS_SESSION_TOKEN", std::nullopt},
          {"AWS_REGION", std::nullopt}};
}

void S3rverProcess::create_bucket(const std::string& name) {
  // Unsigned: s3rver serves anonymous requests, and this keeps the harness
  // independent of the signer under test.
  httplib::Client http("127.0.0.1", port_);
  http.set_connection_timeout(2, 0);
  http.set_read_timeout(10, 0);
  auto result = http.Put(("/" + name).c_str(), "", "application/xml");
  if (!result || result->status != 200) {
    throw std::runtime_error(
        "s3rver refused to create bucket " + name + ": " +
        (result ? std::to_string(result->status) + " " + result->body : httplib::to_string(result.error())));
  }
}

std::string S3rverProcess::log() const { return read_file(dir_.path() / "s3rver.log"); }

void S3rverProcess::stop() {
  if (!child_) return;
  if (child_->running()) {
    // The group, signalled while its leader is still ours (not yet reaped).
    ::kill(-process_group_, SIGTERM);
    if (!wait_until([&] { return !child_->running(); }, std::chrono::seconds(5), std::chrono::milliseconds(10))) {
      ::kill(-process_group_, SIGKILL);
      child_->wait();
    }
  }
  child_.reset();
}

}  // namespace mlflowcpp::testing
