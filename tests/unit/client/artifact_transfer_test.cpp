// File bodies over the real connection (libcurl, retries) against a fake server:
// uploads stream from the file on every attempt, 200 bodies go to the file,
// error bodies stay in the response.

#include <gtest/gtest.h>

#include "fake_http_server.hpp"

#include <mlflowcpp/artifacts.hpp>
#include <mlflowcpp/connection.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace mlflowcpp::client {
namespace {

using mlflowcpp::testing::FakeHttpServer;
using mlflowcpp::testing::FakeRequest;
using mlflowcpp::testing::FakeResponse;

class ScratchFile {
 public:
  explicit ScratchFile(const std::string& content = "") {
    std::random_device seed;
    path_ = std::filesystem::temp_directory_path() / ("mlflowcpp-transfer-" + std::to_string(seed()));
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~ScratchFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  std::string path() const { return path_.string(); }
  std::string content() const {
    std::ifstream in(path_, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  std::filesystem::path path_;
};

std::shared_ptr<Connection> connect(const FakeHttpServer& server) {
  ClientOptions options;
  options.tracking_uri = server.url();
  options.max_retries = 2;
  options.backoff_factor = 0.01;
  options.backoff_jitter = 0.0;
  options.timeout_seconds = 10;
  return make_connection(options);
}

TEST(ArtifactTransferTest, UploadIsSentWholeOnEveryAttempt) {
  std::string content(300 * 1024, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 7);
  ScratchFile file(content);
  FakeHttpServer server([](const FakeRequest&, int number) {
    if (number == 1) return testing::answer(503, R"({"error_code":"TEMPORARILY_UNAVAILABLE","message":"busy"})");
    return FakeResponse{};
  });
  HttpRequest request{"PUT", "/api/2.0/mlflow-artifacts/artifacts/a/b.bin", {}, "ignored"};
  Connection::FileTransfer files;
  files.upload_from = file.path();
  HttpResponse response = connect(server)->send_with_files(request, files);
  EXPECT_EQ(response.status, 200);
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const auto& received : requests) {
    EXPECT_EQ(received.method, "PUT");
    EXPECT_EQ(received.target, "/api/2.0/mlflow-artifacts/artifacts/a/b.bin");
    EXPECT_EQ(received.body, content);
  }
}

TEST(ArtifactTransferTest, SuccessfulBodyGoesToTheFileAndErrorsStayInTheResponse) {
  FakeHttpServer server([](const FakeRequest& request, int) {
    if (request.target.find("missing") != std::string::npos) {
      return testing::answer(404, R"({"error_code":"RESOURCE_DOES_NOT_EXIST","message":"no"})");
    }
    return testing::answer(200, std::string("bin\0ary", 7));
  });
  auto connection = connect(server);
  ScratchFile target;
  Connection::FileTransfer files;
  files.download_to = target.path();
  HttpResponse ok = connection->send_with_files({"GET", "/x/file.bin", {}, ""}, files);
  EXPECT_EQ(ok.status, 200);
  EXPECT_TRUE(ok.body.empty());
  EXPECT_EQ(target.content(), std::string("bin\0ary", 7));

  HttpResponse missing = connection->send_with_files({"GET", "/x/missing", {}, ""}, files);
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("RESOURCE_DOES_NOT_EXIST"), std::string::npos);
  EXPECT_EQ(target.content(), "");

  // The handle goes back to the pool clean: a plain call afterwards behaves as before.
  HttpResponse plain = connection->send({"POST", "/api/2.0/mlflow/runs/get", {}, "{}"});
  EXPECT_EQ(plain.status, 200);
  EXPECT_EQ(plain.body, std::string("bin\0ary", 7));
  EXPECT_EQ(server.requests().back().method, "POST");
  EXPECT_EQ(server.requests().back().body, "{}");
}

TEST(ArtifactTransferTest, UnreadableUploadIsAnError) {
  FakeHttpServer server([](const FakeRequest&, int) { return FakeResponse{}; });
  Connection::FileTransfer files;
  files.upload_from = "/nonexistent/mlflowcpp/file";
  EXPECT_THROW(connect(server)->send_with_files({"PUT", "/x", {}, ""}, files), MlflowException);
  EXPECT_TRUE(server.requests().empty());
}

}  // namespace

// An mlflow-artifacts://host:port URI names another server: it is reached with
// the tracking connection's scheme, path prefix and credentials, as MLflow's
// clients do, never anonymously.
TEST(ArtifactTransferTest, AnotherServersProxyGetsTheTrackingCredentials) {
  FakeHttpServer tracking([](const FakeRequest&, int) { return testing::answer(500, "{}"); });
  FakeHttpServer other([](const FakeRequest&, int) { return testing::answer(200, "{\"files\": []}"); });
  ClientOptions options;
  options.tracking_uri = tracking.url() + "/prefix";
  options.username = "alice";
  options.password = "secret";
  options.max_retries = 0;
  auto repository = make_artifact_repository(
      "mlflow-artifacts://127.0.0.1:" + std::to_string(other.port()) + "/1/run/artifacts", make_connection(options));
  EXPECT_TRUE(repository->list_artifacts("").empty());

  auto requests = other.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target.rfind("/prefix/api/2.0/mlflow-artifacts/artifacts", 0), 0u) << requests[0].target;
  EXPECT_EQ(requests[0].header("authorization"), "Basic YWxpY2U6c2VjcmV0");  // alice:secret
  EXPECT_TRUE(tracking.requests().empty());
}

}  // namespace mlflowcpp::client
