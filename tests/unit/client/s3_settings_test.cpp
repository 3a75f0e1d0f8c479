// S3 settings from MLflow's environment variables, s3:// URIs, endpoints, and
// the artifact repository's transfer settings.

#include "client/artifact_s3_transfers.hpp"
#include "s3/s3_client.hpp"
#include "s3/s3_transport.hpp"

#include <mlflowcpp/errors.hpp>

#include <gtest/gtest.h>
#include <stdlib.h>

#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::s3 {
namespace {

// The S3 variables as a test sets them; all restored afterwards.
class S3EnvironmentTest : public ::testing::Test {
 protected:
  static inline const std::vector<std::string> kNames = {"MLFLOW_S3_ENDPOINT_URL",
                                                         "AWS_ACCESS_KEY_ID",
                                                         "AWS_SECRET_ACCESS_KEY",
                                                         "AWS_SESSION_TOKEN",
                                                         "AWS_DEFAULT_REGION",
                                                         "AWS_REGION",
                                                         "MLFLOW_S3_IGNORE_TLS",
                                                         "MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE",
                                                         "MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE",
                                                         "MLFLOW_MULTIPART_DOWNLOAD_CHUNK_SIZE"};

  S3EnvironmentTest() {
    for (const auto& name : kNames) {
      const char* value = std::getenv(name.c_str());
      saved_.emplace_back(name, value ? std::optional<std::string>(value) : std::nullopt);
      ::unsetenv(name.c_str());
    }
  }
  ~S3EnvironmentTest() override {
    for (const auto& [name, value] : saved_) {
      if (value) {
        ::setenv(name.c_str(), value->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
  }
  static void set(const char* name, const char* value) { ::setenv(name, value, 1); }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST_F(S3EnvironmentTest, Defaults) {
  S3Settings settings = S3Settings::from_environment();
  EXPECT_EQ(settings.endpoint_url, "");
  EXPECT_EQ(settings.region, "us-east-1");
  EXPECT_TRUE(settings.verify_tls);
  EXPECT_EQ(detail::parse_endpoint(settings).origin, "https://s3.us-east-1.amazonaws.com");
}

TEST_F(S3EnvironmentTest, MlflowVariables) {
  set("MLFLOW_S3_ENDPOINT_URL", "http://minio.local:9000/");
  set("AWS_ACCESS_KEY_ID", "id");
  set("AWS_SECRET_ACCESS_KEY", "secret");
  set("AWS_SESSION_TOKEN", "token");
  set("AWS_DEFAULT_REGION", "eu-north-1");
  set("MLFLOW_S3_IGNORE_TLS", "True");
  S3Settings settings = S3Settings::from_environment();
  EXPECT_EQ(settings.endpoint_url, "http://minio.local:9000");
  EXPECT_EQ(settings.access_key_id, "id");
  EXPECT_EQ(settings.secret_access_key, "secret");
  EXPECT_EQ(settings.session_token, "token");
  EXPECT_EQ(settings.region, "eu-north-1");
  EXPECT_FALSE(settings.verify_tls);
  set("AWS_REGION", "ap-south-1");
  EXPECT_EQ(S3Settings::from_environment().region, "ap-south-1");
  set("MLFLOW_S3_IGNORE_TLS", "0");
  EXPECT_TRUE(S3Settings::from_environment().verify_tls);
  set("MLFLOW_S3_IGNORE_TLS", "yes");
  EXPECT_THROW(S3Settings::from_environment(), std::invalid_argument);
}

TEST(S3Endpoint, Parsing) {
  S3Settings settings;
  settings.endpoint_url = "https://objects.example.org:8443/base/";
  detail::Endpoint endpoint = detail::parse_endpoint(settings);
  EXPECT_EQ(endpoint.origin, "https://objects.example.org:8443");
  EXPECT_EQ(endpoint.authority, "objects.example.org:8443");
  EXPECT_EQ(endpoint.base_path, "/base");
  settings.endpoint_url = "objects.example.org";
  EXPECT_THROW(detail::parse_endpoint(settings), std::invalid_argument);
}

TEST(S3Uri, Parsing) {
  S3Location location = parse_s3_uri("s3://bucket/a/b/");
  EXPECT_EQ(location.bucket, "bucket");
  EXPECT_EQ(location.key, "a/b");
  EXPECT_EQ(parse_s3_uri("s3://bucket").key, "");
  EXPECT_THROW(parse_s3_uri("s3:///key"), std::invalid_argument);
  EXPECT_THROW(parse_s3_uri("gs://bucket/key"), std::invalid_argument);
}

TEST_F(S3EnvironmentTest, TransferSettings) {
  using client::S3TransferSettings;
  S3TransferSettings defaults = S3TransferSettings::from_environment();
  EXPECT_EQ(defaults.multipart_upload_minimum_file_size, 500u * 1024 * 1024);
  EXPECT_EQ(defaults.multipart_upload_chunk_size, 10u * 1024 * 1024);
  EXPECT_EQ(defaults.multipart_download_chunk_size, 100u * 1024 * 1024);
  set("MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE", "1000");
  set("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", "6000000");
  set("MLFLOW_MULTIPART_DOWNLOAD_CHUNK_SIZE", "42");
  S3TransferSettings set_values = S3TransferSettings::from_environment();
  EXPECT_EQ(set_values.multipart_upload_minimum_file_size, 1000u);
  EXPECT_EQ(set_values.multipart_upload_chunk_size, 6000000u);
  EXPECT_EQ(set_values.multipart_download_chunk_size, 42u);
  set("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", "ten");
  EXPECT_THROW(S3TransferSettings::from_environment(), MlflowException);
  set("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", "-5");
  EXPECT_THROW(S3TransferSettings::from_environment(), MlflowException);
}

TEST(S3PartSize, RespectsS3Limits) {
  constexpr std::uint64_t kMiB = 1024 * 1024;
  EXPECT_EQ(client::multipart_part_size(100 * kMiB, 10 * kMiB), 10 * kMiB);
  EXPECT_EQ(client::multipart_part_size(100 * kMiB, 1 * kMiB), 5 * kMiB);  // S3's minimum part
  // 200 GB in 10 MiB parts would need more than 10000 parts.
  std::uint64_t huge = 200ull * 1000 * 1000 * 1000;
  std::uint64_t part = client::multipart_part_size(huge, 10 * kMiB);
  EXPECT_LE((huge + part - 1) / part, 10000u);
}

}  // namespace
}  // namespace mlflowcpp::s3
