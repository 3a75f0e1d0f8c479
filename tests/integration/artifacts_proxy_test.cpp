// The mlflow-artifacts proxy (served by default): upload, download, list and
// delete under --artifacts-destination, traversal refused, 503 when disabled.

#include <gtest/gtest.h>

#include <memory>

#include "integration/tracking_api.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

const std::string kProxy = "/api/2.0/mlflow-artifacts/artifacts";

class ArtifactsProxyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<testing::ServerProcess>(); }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    experiment_id_ = api_.create_experiment(std::string("proxy-") + info->name());
    run_id_ = api_.create_run(experiment_id_, {{"start_time", 1}});
    ASSERT_FALSE(run_id_.empty());
    run_root_ = experiment_id_ + "/" + run_id_ + "/artifacts";
  }

  HttpResponse put(const std::string& path, const std::string& bytes, const std::string& type = "text/plain") {
    return http_.request("PUT", kProxy + "/" + path, bytes, type);
  }

  HttpClient http_ = server_->client();
  TrackingApi api_{http_};
  std::string experiment_id_, run_id_, run_root_;
  static std::unique_ptr<testing::ServerProcess> server_;
};

std::unique_ptr<testing::ServerProcess> ArtifactsProxyTest::server_;

TEST_F(ArtifactsProxyTest, UploadDownloadListDelete) {
  auto uploaded = put(run_root_ + "/dir/f.txt", "hello");
  ASSERT_TRUE(IsOk(uploaded));
  EXPECT_EQ(uploaded.json, Json::object());
  EXPECT_EQ(testing::read_file(server_->artifacts_dir() / run_root_ / "dir" / "f.txt"), "hello");

  auto downloaded = http_.get(kProxy + "/" + run_root_ + "/dir/f.txt");
  EXPECT_EQ(downloaded.status, 200) << downloaded.describe();
  EXPECT_EQ(downloaded.body, "hello");
  EXPECT_EQ(downloaded.content_type().rfind("text/plain", 0), 0u) << downloaded.content_type();
  EXPECT_NE(downloaded.header("Content-Disposition").find("attachment; filename=f.txt"), std::string::npos)
      << downloaded.header("Content-Disposition");
  EXPECT_EQ(downloaded.header("X-Content-Type-Options"), "nosniff");

  // The proxy lists basenames; the tracking API lists run-relative paths.
  auto listed_root = http_.get(kProxy + "?path=" + testing::url_encode(run_root_));
  ASSERT_TRUE(IsOk(listed_root));
  EXPECT_EQ(listed_root.json, Json::parse(R"({"files":[{"path":"dir","is_dir":true}]})"));
  auto listed_dir = http_.get(kProxy + "?path=" + testing::url_encode(run_root_ + "/dir"));
  ASSERT_TRUE(IsOk(listed_dir));
  EXPECT_EQ(listed_dir.json, Json::parse(R"({"files":[{"path":"f.txt","is_dir":false,"file_size":5}]})"));
  auto tracking_list = http_.get(kApi + "/artifacts/list?run_id=" + run_id_ + "&path=dir");
  ASSERT_TRUE(IsOk(tracking_list));
  EXPECT_EQ(tracking_list.json.value("files", Json::array()),
            Json::parse(R"([{"path":"dir/f.txt","is_dir":false,"file_size":5}])"));

  // Overwrite, then delete.
  ASSERT_TRUE(IsOk(put(run_root_ + "/dir/f.txt", "again")));
  EXPECT_EQ(http_.get(kProxy + "/" + run_root_ + "/dir/f.txt").body, "again");
  auto deleted = http_.request("DELETE", kProxy + "/" + run_root_ + "/dir/f.txt", "", "");
  ASSERT_TRUE(IsOk(deleted));
  EXPECT_FALSE(std::filesystem::exists(server_->artifacts_dir() / run_root_ / "dir" / "f.txt"));
}

TEST_F(ArtifactsProxyTest, BinaryContentSurvives) {
  std::string bytes;
  for (int i = 0; i < 256 * 64; ++i) bytes += static_cast<char>(i % 256);
  ASSERT_TRUE(IsOk(put(run_root_ + "/model.bin", bytes, "application/octet-stream")));
  auto downloaded = http_.get(kProxy + "/" + run_root_ + "/model.bin");
  EXPECT_EQ(downloaded.status, 200);
  EXPECT_EQ(downloaded.body, bytes);
}

TEST_F(ArtifactsProxyTest, MissingThingsAndTraversal) {
  // Listing a missing directory: 200 {}.
  auto missing_dir = http_.get(kProxy + "?path=" + testing::url_encode(run_root_ + "/nothing"));
  ASSERT_TRUE(IsOk(missing_dir));
  EXPECT_EQ(missing_dir.json, Json::object());
  // A missing file: 404 (a 500 on 2.9.2).
  EXPECT_TRUE(IsClientError(http_.get(kProxy + "/" + run_root_ + "/missing.txt")));
  EXPECT_EQ(http_.get(kProxy + "/" + run_root_ + "/missing.txt").status, 404);
  // `..` anywhere: 400, and nothing is written outside the destination.
  EXPECT_TRUE(IsError(http_.get(kProxy + "?path=" + testing::url_encode(run_root_ + "/../../..")), 400,
                      "INVALID_PARAMETER_VALUE"));
  for (const std::string path : {"../escaped.txt", "%2E%2E/escaped.txt", "a/..%2F..%2Fescaped.txt"}) {
    auto response = put(path, "nope");
    EXPECT_TRUE(response.status >= 400 && response.status < 500) << path << ": " << response.describe();
  }
  EXPECT_FALSE(std::filesystem::exists(server_->artifacts_dir().parent_path() / "escaped.txt"));
  EXPECT_TRUE(IsClientError(http_.get(kProxy + "/..%2F..%2Fetc%2Fpasswd")));
}

TEST_F(ArtifactsProxyTest, MultipartUploadIsNotImplementedOnLocalDisk) {
  auto created = http_.post("/api/2.0/mlflow-artifacts/mpu/create/" + run_root_, {{"path", "big.bin"}, {"num_parts", 2}});
  EXPECT_TRUE(IsError(created, 501, "NOT_IMPLEMENTED"));
}

TEST(ArtifactsProxyDisabledTest, AnswersServiceUnavailable) {
  testing::ServerOptions options;
  options.extra_args = {"--no-serve-artifacts"};
  testing::ServerProcess server(options);
  HttpClient http = server.client();
  auto listed = http.get(kProxy + "?path=x");
  EXPECT_EQ(listed.status, 503) << listed.describe();
  auto uploaded = http.request("PUT", kProxy + "/x/y.txt", "z", "text/plain");
  EXPECT_EQ(uploaded.status, 503) << uploaded.describe();
  // Tracking keeps working, with a local default artifact root.
  TrackingApi api(http);
  const std::string id = api.create_experiment("no-proxy");
  const std::string location = api.get_experiment(id).value("artifact_location", "");
  EXPECT_EQ(location.rfind("mlflow-artifacts:", 0), std::string::npos) << location;
}

}  // namespace
}  // namespace mlflowcpp::integration
