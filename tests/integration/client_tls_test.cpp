// HTTPS: the client verifies the server's certificate by default, trusts a CA
// given by server_cert_path (MLFLOW_TRACKING_SERVER_CERT_PATH), skips the check
// with insecure_tls (MLFLOW_TRACKING_INSECURE_TLS), and does not retry a
// certificate that fails to verify. The server is an in-process httplib::SSLServer
// with a self-signed certificate made for the test.

#include <gtest/gtest.h>
#include <httplib.h>

#include <mlflowcpp/mlflowcpp.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <thread>

#include "testing/process_runner.hpp"
#include "testing/temp_dir.hpp"
#include "testing/wait.hpp"

namespace mlflowcpp::integration {
namespace {

// The full path of a program on PATH; empty when there is none.
std::string find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string directories = path != nullptr ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= directories.size()) {
    size_t end = directories.find(':', start);
    if (end == std::string::npos) end = directories.size();
    std::filesystem::path candidate = std::filesystem::path(directories.substr(start, end - start)) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    start = end + 1;
  }
  return {};
}

// A self-signed certificate for 127.0.0.1: <name>.pem and <name>-key.pem in `dir`; false if openssl failed.
bool make_certificate(const std::filesystem::path& dir, const std::string& name, std::string& output) {
  std::string openssl = find_on_path("openssl");
  if (openssl.empty()) {
    output = "no openssl program";
    return false;
  }
  auto made = testing::run_command(
      openssl, {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1", "-keyout", (dir / (name + "-key.pem")).string(), "-out",
                (dir / (name + ".pem")).string()});
  output = made.output;
  return made.exit_code == 0;
}

class ClientTlsTest : public ::testing::Test {
 protected:
  // Starts the HTTPS server; with `client_ca` it demands a client certificate signed by that CA.
  void start_server(const std::string& client_ca = "") {
    std::string output;
    if (!make_certificate(dir_.path(), "server", output)) GTEST_SKIP() << "cannot make a certificate: " << output;
    std::string cert = (dir_ / "server.pem").string();
    std::string key = (dir_ / "server-key.pem").string();
    server_ = client_ca.empty() ? std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str())
                                : std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str(), client_ca.c_str());
    ASSERT_TRUE(server_->is_valid());
    server_->Post("/api/2.0/mlflow/runs/set-tag", [this](const httplib::Request&, httplib::Response& response) {
      ++requests_;
      response.set_content("{}", "application/json");
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    listener_ = std::thread([this] { server_->listen_after_bind(); });
    ASSERT_TRUE(testing::wait_until([this] { return server_->is_running(); }, std::chrono::seconds(10)));
  }

  void SetUp() override { start_server(); }

  void TearDown() override {
    if (server_) server_->stop();
    if (listener_.joinable()) listener_.join();
  }

  ClientOptions options() const {
    ClientOptions options;
    options.tracking_uri = "https://127.0.0.1:" + std::to_string(port_);
    options.max_retries = 3;
    options.backoff_factor = 1.0;
    options.backoff_jitter = 0;
    options.timeout_seconds = 10;
    return options;
  }

  testing::TempDir dir_{"mlflowcpp-tls"};
  std::unique_ptr<httplib::SSLServer> server_;
  std::thread listener_;
  int port_ = 0;
  std::atomic<int> requests_{0};
};

TEST_F(ClientTlsTest, UntrustedCertificateFailsAtOnceWithoutRetries) {
  MlflowClient client(options());
  auto started = std::chrono::steady_clock::now();
  try {
    client.set_tag("r", "k", "v");
    FAIL() << "a self-signed certificate must not verify";
  } catch (const TransportError& error) {
    EXPECT_FALSE(error.retryable());
  }
  // Three retries would have waited 1 + 2 + 4 seconds.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
  EXPECT_EQ(requests_.load(), 0);
}

TEST_F(ClientTlsTest, ServerCertPathTrustsTheServer) {
  ClientOptions trusted = options();
  trusted.server_cert_path = (dir_ / "server.pem").string();
  MlflowClient client(trusted);
  client.set_tag("r", "k", "v");
  EXPECT_EQ(requests_.load(), 1);
}

TEST_F(ClientTlsTest, InsecureTlsSkipsVerification) {
  ClientOptions insecure = options();
  insecure.insecure_tls = true;
  MlflowClient client(insecure);
  client.set_tag("r", "k", "v");
  client.set_tag("r", "k", "v");
  EXPECT_EQ(requests_.load(), 2);
}

}  // namespace
}  // namespace mlflowcpp::integration

namespace mlflowcpp::integration {
namespace {

class ClientMutualTlsTest : public ClientTlsTest {
 protected:
  void SetUp() override {
    std::string output;
    if (!make_certificate(dir_.path(), "client", output)) GTEST_SKIP() << "cannot make a certificate: " << output;
    // The client certificate is its own CA: the server trusts exactly it.
    start_server((dir_ / "client.pem").string());
    // MLFLOW_TRACKING_CLIENT_CERT_PATH names one PEM with certificate and key, as the official client takes it.
    testing::write_file(dir_ / "client-bundle.pem", testing::read_file(dir_ / "client.pem") +
                                                        testing::read_file(dir_ / "client-key.pem"));
  }

  ClientOptions trusting_options() const {
    ClientOptions result = options();
    result.server_cert_path = (dir_ / "server.pem").string();
    result.max_retries = 0;
    return result;
  }
};

TEST_F(ClientMutualTlsTest, ClientCertificateIsPresented) {
  ClientOptions with_certificate = trusting_options();
  with_certificate.client_cert_path = (dir_ / "client-bundle.pem").string();
  MlflowClient(with_certificate).set_tag("r", "k", "v");
  EXPECT_EQ(requests_.load(), 1);
}

TEST_F(ClientMutualTlsTest, WithoutClientCertificateTheServerRefuses) {
  EXPECT_THROW(MlflowClient(trusting_options()).set_tag("r", "k", "v"), TransportError);
  EXPECT_EQ(requests_.load(), 0);
}

}  // namespace
}  // namespace mlflowcpp::integration
