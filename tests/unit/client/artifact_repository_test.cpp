// Artifact repositories over a recorded connection and a temporary directory:
// the requests the proxy repository sends, refusal of unsafe listed names, and
// downloads that leave no partial file behind.

#include <gtest/gtest.h>

#include "client/artifact_repositories.hpp"
#include "recording_connection.hpp"

#include <mlflowcpp/artifacts.hpp>
#include <mlflowcpp/errors.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>

namespace mlflowcpp::client {
namespace {

using mlflowcpp::testing::json_response;
using mlflowcpp::testing::RecordingConnection;

// A fresh directory removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device seed;
    path_ = std::filesystem::temp_directory_path() / ("mlflowcpp-artifact-test-" + std::to_string(seed()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

void write_text(const std::filesystem::path& file, const std::string& text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

TEST(ProxyArtifactRepositoryTest, UploadsToTheProxyPathWithEncodedSegments) {
  auto connection = std::make_shared<RecordingConnection>([](const HttpRequest&) { return json_response(200, "{}"); });
  ProxyArtifactRepository repository(connection, "0/run/artifacts");
  repository.log_bytes("hello", "dir/my file.txt");
  auto requests = connection->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].path, "/api/2.0/mlflow-artifacts/artifacts/0/run/artifacts/dir/my%20file.txt");
  EXPECT_EQ(requests[0].body, "hello");
}

TEST(ProxyArtifactRepositoryTest, LogArtifactPutsTheFileUnderItsName) {
  ScratchDir scratch;
  write_text(scratch.path() / "model.bin", std::string("a\0b", 3));
  auto connection = std::make_shared<RecordingConnection>([](const HttpRequest&) { return json_response(200, "{}"); });
  ProxyArtifactRepository repository(connection, "0/run/artifacts");
  repository.log_artifact(scratch.path() / "model.bin", "models/v1");
  auto requests = connection->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].path, "/api/2.0/mlflow-artifacts/artifacts/0/run/artifacts/models/v1/model.bin");
  EXPECT_EQ(requests[0].body, std::string("a\0b", 3));
}

TEST(ProxyArtifactRepositoryTest, ListingPathsAreRelativeToTheRoot) {
  auto connection = std::make_shared<RecordingConnection>([](const HttpRequest&) {
    return json_response(200, R"({"files":[{"path":"b.txt","is_dir":false,"file_size":3},{"path":"sub","is_dir":true}]})");
  });
  ProxyArtifactRepository repository(connection, "0/run/artifacts");
  auto files = repository.list_artifacts("dir");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].path, "dir/b.txt");
  EXPECT_EQ(files[0].file_size, 3);
  EXPECT_EQ(files[1].path, "dir/sub");
  EXPECT_TRUE(files[1].is_dir);
  auto request = connection->requests().at(0);
  EXPECT_EQ(request.path, "/api/2.0/mlflow-artifacts/artifacts");
  ASSERT_EQ(request.query.size(), 1u);
  EXPECT_EQ(request.query[0].second, "0/run/artifacts/dir");
}

TEST(ProxyArtifactRepositoryTest, RefusesListedNamesThatEscape) {
  for (const char* name : {"..", "../x", "/etc/passwd", "a/../../b"}) {
    std::string body = std::string(R"({"files":[{"path":")") + name + R"(","is_dir":false}]})";
    auto connection = std::make_shared<RecordingConnection>([&](const HttpRequest&) { return json_response(200, body); });
    ProxyArtifactRepository repository(connection, "0/run/artifacts");
    EXPECT_THROW(repository.list_artifacts(""), MlflowException) << name;
  }
}

TEST(ProxyArtifactRepositoryTest, FailedDownloadLeavesNoFile) {
  ScratchDir scratch;
  auto connection = std::make_shared<RecordingConnection>([](const HttpRequest&) {
    return json_response(404, R"({"error_code":"RESOURCE_DOES_NOT_EXIST","message":"no"})");
  });
  ProxyArtifactRepository repository(connection, "0/run/artifacts");
  EXPECT_THROW(repository.download_file("a.txt", scratch.path() / "a.txt"), MlflowException);
  EXPECT_TRUE(std::filesystem::is_empty(scratch.path()));
}

TEST(ProxyArtifactRepositoryTest, DownloadTreeFetchesNestedFiles) {
  auto connection = std::make_shared<RecordingConnection>([](const HttpRequest& request) {
    if (request.path == "/api/2.0/mlflow-artifacts/artifacts") {
      const std::string& dir = request.query.at(0).second;
      if (dir == "root/d") return json_response(200, R"({"files":[{"path":"x.txt","is_dir":false,"file_size":1},{"path":"e","is_dir":true}]})");
      if (dir == "root/d/e") return json_response(200, R"({"files":[{"path":"y.bin","is_dir":false,"file_size":0}]})");
      return json_response(200, "{}");
    }
    if (request.path == "/api/2.0/mlflow-artifacts/artifacts/root/d/x.txt") return json_response(200, "x");
    if (request.path == "/api/2.0/mlflow-artifacts/artifacts/root/d/e/y.bin") return json_response(200, "");
    return json_response(404, R"({"error_code":"RESOURCE_DOES_NOT_EXIST","message":"no"})");
  });
  ScratchDir scratch;
  ProxyArtifactRepository repository(connection, "root");
  auto local = download_artifact_tree(repository, "d", scratch.path());
  EXPECT_EQ(local, scratch.path() / "d");
  EXPECT_EQ(read_text(local / "x.txt"), "x");
  EXPECT_TRUE(std::filesystem::is_regular_file(local / "e" / "y.bin"));
  EXPECT_EQ(std::filesystem::file_size(local / "e" / "y.bin"), 0u);
}

TEST(LocalArtifactRepositoryTest, RoundTripsFilesAndDirectories) {
  ScratchDir scratch;
  write_text(scratch.path() / "src" / "top.txt", "top");
  write_text(scratch.path() / "src" / "a" / "b" / "deep.txt", "deep");
  write_text(scratch.path() / "src" / "empty.txt", "");
  LocalArtifactRepository repository(scratch.path() / "store");
  log_artifact_directory(repository, scratch.path() / "src", "out");
  auto files = repository.list_artifacts("out");
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].path, "out/a");
  EXPECT_TRUE(files[0].is_dir);
  EXPECT_EQ(files[1].path, "out/empty.txt");
  EXPECT_EQ(files[1].file_size, 0);
  auto local = download_artifact_tree(repository, "out", scratch.path() / "dst");
  EXPECT_EQ(read_text(local / "a" / "b" / "deep.txt"), "deep");
  EXPECT_EQ(read_text(local / "top.txt"), "top");
  EXPECT_TRUE(repository.list_artifacts("missing").empty());
  EXPECT_THROW(repository.list_artifacts("../x"), MlflowException);
  EXPECT_THROW(repository.log_bytes("x", "../escape.txt"), MlflowException);
}

TEST(ArtifactRepositoryFactoryTest, OtherSchemesAreNotImplemented) {
  try {
    make_artifact_repository("gs://bucket/0/r/artifacts", nullptr);
    FAIL() << "no exception";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.error_code(), "NOT_IMPLEMENTED");
  }
}

}  // namespace
}  // namespace mlflowcpp::client
