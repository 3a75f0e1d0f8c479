// MlflowClient with s3:// artifacts: an experiment whose artifact_location is
// in S3 (s3rver), a real `mlflowcpp server` for tracking, and the client
// writing and reading S3 directly as MLflow's clients do.

#include <gtest/gtest.h>

#include <mlflowcpp/mlflowcpp.hpp>

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "s3/s3_client.hpp"
#include "testing/s3rver_process.hpp"
#include "testing/artifact_files.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBucket = "mlflow-artifacts";
constexpr std::uint64_t kMiB = 1024 * 1024;
// Small enough for tests, S3's minimum part size for the parts.
constexpr std::uint64_t kMultipartThreshold = 6 * kMiB;
constexpr std::uint64_t kUploadChunk = 5 * kMiB;
constexpr std::uint64_t kDownloadChunk = 4 * kMiB;

// Sets an environment variable for one scope, restoring the old value after.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const std::string& name, const std::optional<std::string>& value) : name_(name) {
    if (const char* old = std::getenv(name.c_str())) old_ = old;
    set(value);
  }
  ~ScopedEnvironment() { set(old_); }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

 private:
  void set(const std::optional<std::string>& value) {
    if (value) {
      ::setenv(name_.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  std::string name_;
  std::optional<std::string> old_;
};

using ProgressPoint = std::pair<std::uint64_t, std::uint64_t>;
ProgressPoint progress_point(std::uint64_t done, std::uint64_t total) { return {done, total}; }

// Every progress report of one repository.
struct ProgressLog {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
  ArtifactProgressCallback callback() {
    return [this](std::uint64_t done, std::uint64_t total) { calls.emplace_back(done, total); };
  }
};

class ClientS3ArtifactsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s3rver_ = std::make_unique<testing::S3rverProcess>(std::vector<std::string>{kBucket});
    // The client reads its S3 settings from the environment, as MLflow's does.
    for (const auto& [name, value] : s3rver_->environment()) {
      environment_.push_back(std::make_unique<ScopedEnvironment>(name, value));
    }
    environment_.push_back(std::make_unique<ScopedEnvironment>("MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE",
                                                               std::to_string(kMultipartThreshold)));
    environment_.push_back(
        std::make_unique<ScopedEnvironment>("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", std::to_string(kUploadChunk)));
    environment_.push_back(
        std::make_unique<ScopedEnvironment>("MLFLOW_MULTIPART_DOWNLOAD_CHUNK_SIZE", std::to_string(kDownloadChunk)));
    // The tracking server gets no S3 settings: the client alone talks to S3.
    testing::ServerOptions options;
    options.extra_args = {"--allowed-artifact-roots",
                          std::string("s3://") + kBucket + "/experiments,s3://no-such-bucket"};
    server_ = std::make_unique<testing::ServerProcess>(options);
  }
  static void TearDownTestSuite() {
    server_.reset();
    environment_.clear();
    s3rver_.reset();
  }

  static MlflowClient make_client() {
    return MlflowClient(server_->client_options());
  }

  // A run of a fresh experiment stored under s3://<bucket>/<test name>.
  std::string new_run() {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    experiment_location_ = std::string("s3://") + kBucket + "/experiments/" + name;
    std::string experiment_id = client_.create_experiment("s3-" + name, experiment_location_);
    CreateRunRequest request;
    request.experiment_id = experiment_id;
    return client_.create_run(request).info.run_id;
  }

  // The object keys below `prefix`, straight from S3.
  std::vector<std::string> keys_below(const std::string& prefix) {
    s3::S3Client s3(s3rver_->settings());
    std::vector<std::string> keys;
    for (const auto& object : s3.list_objects(kBucket, prefix, "").objects) {
      keys.push_back(object.key.substr(prefix.size()));
    }
    std::sort(keys.begin(), keys.end());
    return keys;
  }

  static std::unique_ptr<testing::S3rverProcess> s3rver_;
  static std::vector<std::unique_ptr<ScopedEnvironment>> environment_;
  static std::unique_ptr<testing::ServerProcess> server_;
  MlflowClient client_ = make_client();
  testing::TempDir scratch_{"mlflowcpp-client-s3"};
  std::string experiment_location_;
};

std::unique_ptr<testing::S3rverProcess> ClientS3ArtifactsTest::s3rver_;
std::vector<std::unique_ptr<ScopedEnvironment>> ClientS3ArtifactsTest::environment_;
std::unique_ptr<testing::ServerProcess> ClientS3ArtifactsTest::server_;

TEST_F(ClientS3ArtifactsTest, RunArtifactUriIsBelowTheExperimentLocation) {
  std::string run_id = new_run();
  EXPECT_EQ(client_.get_run(run_id).info.artifact_uri, experiment_location_ + "/" + run_id + "/artifacts");
}

TEST_F(ClientS3ArtifactsTest, DirectoryRoundTripWithNestedEmptyAndOddNames) {
  std::string run_id = new_run();
  fs::path source = scratch_ / "source";
  testing::write_file(source / "top.txt", "top level");
  testing::write_file(source / "empty.txt", "");
  testing::write_file(source / "a" / "b" / "c" / "deep.txt", "deep");
  testing::write_file(source / "a" / "with space+plus.txt", "odd name");
  testing::write_file(source / "a" / "model.bin", testing::random_bytes(300000, 1));
  client_.log_artifacts(run_id, source, "data");
  client_.log_text(run_id, "notes", "notes/readme.md");

  // The objects are where MLflow puts them: <artifact_uri>/<path>.
  std::string prefix = "experiments/DirectoryRoundTripWithNestedEmptyAndOddNames/" + run_id + "/artifacts/";
  EXPECT_EQ(keys_below(prefix),
            (std::vector<std::string>{"data/a/b/c/deep.txt", "data/a/model.bin", "data/a/with space+plus.txt",
                                      "data/empty.txt", "data/top.txt", "notes/readme.md"}));

  EXPECT_EQ(testing::paths_of(client_.list_artifacts(run_id)), (std::vector<std::string>{"data/", "notes/"}));
  auto listed = client_.list_artifacts(run_id, "data/a");
  EXPECT_EQ(testing::paths_of(listed),
            (std::vector<std::string>{"data/a/b/", "data/a/model.bin", "data/a/with space+plus.txt"}));
  for (const auto& file : listed) {
    if (file.path == "data/a/model.bin") {
      EXPECT_EQ(file.file_size, 300000);
    }
  }
  auto top = client_.list_artifacts(run_id, "data");
  auto empty = std::find_if(top.begin(), top.end(), [](const FileInfo& f) { return f.path == "data/empty.txt"; });
  ASSERT_NE(empty, top.end());
  EXPECT_EQ(empty->file_size, 0);
  EXPECT_TRUE(client_.list_artifacts(run_id, "nothing-here").empty());

  fs::path local = client_.download_artifacts(run_id, "data", scratch_ / "download");
  EXPECT_EQ(local, scratch_ / "download" / "data");
  EXPECT_EQ(testing::files_below(local), testing::files_below(source));
  for (const auto& file : testing::files_below(source)) {
    EXPECT_EQ(testing::read_file(local / file), testing::read_file(source / file)) << file;
  }
  fs::path whole = client_.download_artifacts(run_id, "", scratch_ / "whole");
  EXPECT_EQ(testing::read_file(whole / "notes" / "readme.md"), "notes");
  fs::path single = client_.download_artifacts(run_id, "data/a/with space+plus.txt", scratch_ / "single");
  EXPECT_EQ(testing::read_file(single), "odd name");
}

TEST_F(ClientS3ArtifactsTest, LargeFileGoesUpInPartsAndComesBackInChunksWithProgress) {
  std::string run_id = new_run();
  const std::string big = testing::random_bytes(2 * kUploadChunk + 12345, 2);  // three parts, three download chunks
  testing::write_file(scratch_ / "big.bin", big);
  std::string artifact_uri = client_.get_run(run_id).info.artifact_uri;

  auto repository = make_artifact_repository(artifact_uri, client_.connection());
  ProgressLog upload_progress;
  repository->set_progress_callback(upload_progress.callback());
  repository->log_artifact(scratch_ / "big.bin", "model");

  // Three parts reached s3rver (its log names each stored part).
  std::string log = s3rver_->log();
  EXPECT_NE(log.find("Stored part 3 of"), std::string::npos);
  ASSERT_FALSE(upload_progress.calls.empty());
  EXPECT_EQ(upload_progress.calls.front(), progress_point(0, big.size()));
  EXPECT_EQ(upload_progress.calls.back(), progress_point(big.size(), big.size()));
  EXPECT_GT(upload_progress.calls.size(), 3u);

  ProgressLog download_progress;
  repository->set_progress_callback(download_progress.callback());
  repository->download_file("model/big.bin", scratch_ / "back" / "big.bin");
  EXPECT_TRUE(testing::read_file(scratch_ / "back" / "big.bin") == big);
  ASSERT_FALSE(download_progress.calls.empty());
  EXPECT_EQ(download_progress.calls.back(), progress_point(big.size(), big.size()));
  for (std::size_t i = 1; i < download_progress.calls.size(); ++i) {
    EXPECT_GE(download_progress.calls[i].first, download_progress.calls[i - 1].first);
  }
  // Ranged requests: one 206 answer per chunk.
  std::string after = s3rver_->log().substr(log.size());
  std::size_t partial_answers = 0;
  for (std::size_t at = after.find(" 206 "); at != std::string::npos; at = after.find(" 206 ", at + 1)) {
    ++partial_answers;
  }
  EXPECT_EQ(partial_answers, 3u) << after;

  // The same file through MlflowClient, and back through a runs:/ URI.
  client_.log_artifact(run_id, scratch_ / "big.bin", "again");
  fs::path local = client_.download_artifacts_from_uri("runs:/" + run_id + "/again/big.bin", scratch_ / "uri");
  EXPECT_TRUE(testing::read_file(local) == big);
}

TEST_F(ClientS3ArtifactsTest, SmallFileProgressAndDirectS3Uri) {
  std::string run_id = new_run();
  testing::write_file(scratch_ / "small.txt", "small");
  std::string artifact_uri = client_.get_run(run_id).info.artifact_uri;
  auto repository = make_artifact_repository(artifact_uri, client_.connection());
  ProgressLog progress;
  repository->set_progress_callback(progress.callback());
  repository->log_artifact(scratch_ / "small.txt", "");
  ASSERT_FALSE(progress.calls.empty());
  EXPECT_EQ(progress.calls.back(), progress_point(5, 5));

  fs::path local = client_.download_artifacts_from_uri(artifact_uri + "/small.txt", scratch_ / "direct");
  EXPECT_EQ(testing::read_file(local), "small");
}

TEST_F(ClientS3ArtifactsTest, FailedDownloadLeavesNoFile) {
  std::string run_id = new_run();
  client_.log_text(run_id, "x", "present.txt");
  fs::path target = scratch_ / "out" / "missing.txt";
  try {
    client_.download_artifacts(run_id, "missing.txt", scratch_ / "out");
    FAIL() << "expected an error";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.error_code(), "RESOURCE_DOES_NOT_EXIST") << error.what();
  }
  EXPECT_FALSE(fs::exists(target));
  if (fs::exists(scratch_ / "out")) {
    EXPECT_TRUE(testing::files_below(scratch_ / "out").empty());
  }
}

TEST_F(ClientS3ArtifactsTest, DownloadInterruptedMidwayLeavesNoFile) {
  std::string run_id = new_run();
  const std::string big = testing::random_bytes(kDownloadChunk + kMiB, 3);  // two chunks
  client_.log_text(run_id, big, "big.bin");
  auto repository = make_artifact_repository(client_.get_run(run_id).info.artifact_uri, client_.connection());
  // The caller gives up half-way: the callback's exception stops the transfer.
  repository->set_progress_callback([&](std::uint64_t done, std::uint64_t) {
    if (done > big.size() / 2) throw std::runtime_error("stop");
  });
  fs::path target = scratch_ / "partial" / "big.bin";
  EXPECT_THROW(repository->download_file("big.bin", target), std::runtime_error);
  EXPECT_FALSE(fs::exists(target));
  EXPECT_TRUE(testing::files_below(scratch_ / "partial").empty());  // no temporary file either
}

TEST_F(ClientS3ArtifactsTest, WrongSecretIsPermissionDenied) {
  std::string run_id = new_run();
  testing::write_file(scratch_ / "f.txt", "f");
  ScopedEnvironment wrong_secret("AWS_SECRET_ACCESS_KEY", std::string("not-the-secret"));
  try {
    client_.log_artifact(run_id, scratch_ / "f.txt");
    FAIL() << "expected an error";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.error_code(), "PERMISSION_DENIED") << error.what();
  }
}

TEST_F(ClientS3ArtifactsTest, MissingBucketIsResourceDoesNotExist) {
  std::string experiment_id = client_.create_experiment("s3-missing-bucket", "s3://no-such-bucket/x");
  CreateRunRequest request;
  request.experiment_id = experiment_id;
  std::string run_id = client_.create_run(request).info.run_id;
  testing::write_file(scratch_ / "f.txt", "f");
  try {
    client_.log_artifact(run_id, scratch_ / "f.txt");
    FAIL() << "expected an error";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.error_code(), "RESOURCE_DOES_NOT_EXIST") << error.what();
  }
}

}  // namespace
}  // namespace mlflowcpp::integration
