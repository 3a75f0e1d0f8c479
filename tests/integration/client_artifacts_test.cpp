// MlflowClient's artifact methods against the real `mlflowcpp server`, once
// through the artifact proxy (mlflow-artifacts:/ run URIs) and once with a
// local --default-artifact-root (the client copies files itself).

#include <gtest/gtest.h>

#include <mlflowcpp/mlflowcpp.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "testing/artifact_files.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

namespace fs = std::filesystem;

enum class ArtifactMode { kProxy, kLocalRoot };

std::string mode_name(const ::testing::TestParamInfo<ArtifactMode>& info) {
  return info.param == ArtifactMode::kProxy ? "Proxy" : "LocalRoot";
}

class ClientArtifactsTest : public ::testing::TestWithParam<ArtifactMode> {
 protected:
  static void SetUpTestSuite() {
    proxy_server_ = std::make_unique<testing::ServerProcess>();
    local_root_ = std::make_unique<testing::TempDir>("mlflowcpp-client-artifact-root");
    testing::ServerOptions options;
    options.extra_args = {"--default-artifact-root", local_root_->path().string()};
    local_server_ = std::make_unique<testing::ServerProcess>(options);
  }
  static void TearDownTestSuite() {
    proxy_server_.reset();
    local_server_.reset();
    local_root_.reset();
  }

  static MlflowClient make_client() {
    const auto& server = GetParam() == ArtifactMode::kProxy ? proxy_server_ : local_server_;
    return MlflowClient(server->client_options());
  }

  std::string new_run() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("artifacts-") + info->name();
    std::replace(name.begin(), name.end(), '/', '-');
    std::string experiment_id = client_.create_experiment(name);
    CreateRunRequest request;
    request.experiment_id = experiment_id;
    return client_.create_run(request).info.run_id;
  }

  static std::unique_ptr<testing::ServerProcess> proxy_server_;
  static std::unique_ptr<testing::ServerProcess> local_server_;
  static std::unique_ptr<testing::TempDir> local_root_;
  MlflowClient client_ = make_client();
  testing::TempDir scratch_{"mlflowcpp-client-artifacts"};
};

std::unique_ptr<testing::ServerProcess> ClientArtifactsTest::proxy_server_;
std::unique_ptr<testing::ServerProcess> ClientArtifactsTest::local_server_;
std::unique_ptr<testing::TempDir> ClientArtifactsTest::local_root_;

TEST_P(ClientArtifactsTest, RunArtifactUriMatchesTheServerSetup) {
  std::string run_id = new_run();
  std::string uri = client_.get_run(run_id).info.artifact_uri;
  if (GetParam() == ArtifactMode::kProxy) {
    EXPECT_EQ(uri.rfind("mlflow-artifacts:/", 0), 0u) << uri;
  } else {
    EXPECT_NE(uri.find(local_root_->path().string()), std::string::npos) << uri;
  }
}

TEST_P(ClientArtifactsTest, DirectoryRoundTripWithNestedEmptyAndBinaryFiles) {
  std::string run_id = new_run();
  fs::path source = scratch_ / "source";
  const std::string binary = testing::random_bytes(3 * 1024 * 1024 + 17);
  testing::write_file(source / "top.txt", "top level");
  testing::write_file(source / "empty.txt", "");
  testing::write_file(source / "a" / "b" / "c" / "deep.txt", "deep");
  testing::write_file(source / "a" / "model.bin", binary);
  client_.log_artifacts(run_id, source, "data");

  EXPECT_EQ(testing::paths_of(client_.list_artifacts(run_id)), std::vector<std::string>({"data/"}));
  auto listed = client_.list_artifacts(run_id, "data");
  EXPECT_EQ(testing::paths_of(listed), std::vector<std::string>({"data/a/", "data/empty.txt", "data/top.txt"}));
  for (const auto& file : listed) {
    if (file.path == "data/empty.txt") {
      EXPECT_EQ(file.file_size, 0);
    }
  }
  auto nested = client_.list_artifacts(run_id, "data/a");
  EXPECT_EQ(testing::paths_of(nested), std::vector<std::string>({"data/a/b/", "data/a/model.bin"}));

  fs::path local = client_.download_artifacts(run_id, "data", scratch_ / "download");
  EXPECT_EQ(local, scratch_ / "download" / "data");
  EXPECT_EQ(testing::files_below(local), testing::files_below(source));  // also: no temporary files left
  EXPECT_EQ(testing::read_file(local / "a" / "model.bin"), binary);
  EXPECT_EQ(testing::read_file(local / "a" / "b" / "c" / "deep.txt"), "deep");
  EXPECT_TRUE(fs::is_regular_file(local / "empty.txt"));
  EXPECT_EQ(fs::file_size(local / "empty.txt"), 0u);

  fs::path whole = client_.download_artifacts(run_id, "", scratch_ / "whole");
  EXPECT_EQ(whole, scratch_ / "whole");
  EXPECT_EQ(testing::read_file(whole / "data" / "a" / "model.bin"), binary);
}

TEST_P(ClientArtifactsTest, ProgressIsReportedForEveryFileUpAndDown) {
  std::string run_id = new_run();
  std::ofstream(scratch_ / "big.bin", std::ios::binary) << std::string(300000, 'x');
  std::vector<std::pair<std::uint64_t, std::uint64_t>> reports;
  client_.set_artifact_progress_callback(
      [&](std::uint64_t done, std::uint64_t total) { reports.emplace_back(done, total); });
  client_.log_artifact(run_id, scratch_ / "big.bin");
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.back(), std::make_pair(std::uint64_t{300000}, std::uint64_t{300000}));

  reports.clear();
  client_.download_artifacts(run_id, "big.bin", scratch_ / "down");
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.back(), std::make_pair(std::uint64_t{300000}, std::uint64_t{300000}));
  for (const auto& [done, total] : reports) EXPECT_LE(done, total);
}

TEST_P(ClientArtifactsTest, SingleFilesTextAndRunsUri) {
  std::string run_id = new_run();
  testing::write_file(scratch_ / "metrics.csv", "step,loss\n1,0.5\n");
  client_.log_artifact(run_id, scratch_ / "metrics.csv");
  client_.log_artifact(run_id, scratch_ / "metrics.csv", "reports/2024");
  client_.log_text(run_id, "hello artifacts", "notes/readme.md");

  EXPECT_EQ(testing::paths_of(client_.list_artifacts(run_id)),
            std::vector<std::string>({"metrics.csv", "notes/", "reports/"}));
  EXPECT_EQ(testing::paths_of(client_.list_artifacts(run_id, "reports/2024")),
            std::vector<std::string>({"reports/2024/metrics.csv"}));

  fs::path file = client_.download_artifacts(run_id, "reports/2024/metrics.csv", scratch_ / "one");
  EXPECT_EQ(file, scratch_ / "one" / "metrics.csv");
  EXPECT_EQ(testing::read_file(file), "step,loss\n1,0.5\n");

  fs::path text = client_.download_artifacts_from_uri("runs:/" + run_id + "/notes/readme.md", scratch_ / "uri");
  EXPECT_EQ(testing::read_file(text), "hello artifacts");
  fs::path dir = client_.download_artifacts_from_uri("runs:/" + run_id + "/reports", scratch_ / "uri-dir");
  EXPECT_EQ(testing::read_file(dir / "2024" / "metrics.csv"), "step,loss\n1,0.5\n");

  // The run's own artifact URI works as well.
  std::string root_uri = client_.get_run(run_id).info.artifact_uri;
  fs::path direct = client_.download_artifacts_from_uri(root_uri + "/notes/readme.md", scratch_ / "direct");
  EXPECT_EQ(testing::read_file(direct), "hello artifacts");

  // The other spellings of the same location.
  std::string other_uri;
  const std::string proxy_prefix = "mlflow-artifacts:/";
  if (GetParam() == ArtifactMode::kProxy) {
    ASSERT_EQ(root_uri.rfind(proxy_prefix, 0), 0u) << root_uri;
    std::string authority = proxy_server_->base_url().substr(std::string("http://").size());
    other_uri = "mlflow-artifacts://" + authority + "/" + root_uri.substr(proxy_prefix.size());
  } else if (root_uri.rfind("file://", 0) == 0) {
    other_uri = root_uri.substr(std::string("file://").size());
  } else {
    other_uri = "file://" + root_uri;
  }
  fs::path other = client_.download_artifacts_from_uri(other_uri + "/reports", scratch_ / "other");
  EXPECT_EQ(testing::read_file(other / "2024" / "metrics.csv"), "step,loss\n1,0.5\n");
}

TEST_P(ClientArtifactsTest, MissingFilesAndUnsafePathsAreErrors) {
  std::string run_id = new_run();
  EXPECT_TRUE(client_.list_artifacts(run_id, "nothing-here").empty());
  EXPECT_THROW(client_.download_artifacts(run_id, "missing.txt", scratch_ / "missing"), MlflowException);
  // Not even the temporary file of the failed download is left behind.
  EXPECT_TRUE(!fs::exists(scratch_ / "missing") || fs::is_empty(scratch_ / "missing"));
  try {
    client_.log_text(run_id, "x", "../escape.txt");
    FAIL() << "no exception";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.error_code(), "INVALID_PARAMETER_VALUE");
  }
  EXPECT_THROW(client_.list_artifacts(run_id, "/etc"), MlflowException);
  EXPECT_THROW(client_.log_artifact(run_id, scratch_ / "does-not-exist.txt"), MlflowException);
}

INSTANTIATE_TEST_SUITE_P(Modes, ClientArtifactsTest, ::testing::Values(ArtifactMode::kProxy, ArtifactMode::kLocalRoot),
                         mode_name);

}  // namespace
}  // namespace mlflowcpp::integration
