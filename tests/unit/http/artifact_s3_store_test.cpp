// The S3 side of the artifact stores without an S3 service: which bucket and
// key a root URI and a relative path name, which roots are refused before any
// key is formed, how S3's failures are answered, and that an unreachable
// endpoint is a quick 503. (Transfers against a real S3 emulator are in
// tests/integration/artifacts_s3_test.cpp.)

#include "server/artifacts/artifact_location.hpp"
#include "server/artifacts/s3_artifact_errors.hpp"
#include "server/artifacts/s3_artifact_store.hpp"

#include "s3/s3_client.hpp"

#include <mlflowcpp/errors.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>

namespace mlflowcpp::server {
namespace {

// A loopback port nothing listens on: bound, never listened to, so connecting is refused.
class ClosedPort {
 public:
  ClosedPort() {
    descriptor_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(descriptor_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    socklen_t length = sizeof(address);
    ::getsockname(descriptor_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~ClosedPort() { ::close(descriptor_); }
  ClosedPort(const ClosedPort&) = delete;
  ClosedPort& operator=(const ClosedPort&) = delete;
  int port() const { return port_; }

 private:
  int descriptor_ = -1;
  int port_ = 0;
};

std::shared_ptr<s3::S3Client> client_for(const std::string& endpoint) {
  s3::S3Settings settings;
  settings.endpoint_url = endpoint;
  settings.access_key_id = "key";
  settings.secret_access_key = "secret";
  settings.connect_timeout_ms = 2000;
  return std::make_shared<s3::S3Client>(settings);
}

// The error code of what `call` throws ("" when it throws nothing or something else).
template <typename Call>
std::string error_code_of(Call call) {
  try {
    call();
  } catch (const MlflowException& error) {
    return error.error_code();
  }
  return "";
}

TEST(ArtifactS3Store, KeysLieBelowThePrefix) {
  const auto client = client_for("http://127.0.0.1:1");
  const S3ArtifactStore store(client, "s3://bucket/some/prefix");
  EXPECT_EQ(store.bucket(), "bucket");
  EXPECT_EQ(store.prefix(), "some/prefix");
  EXPECT_EQ(store.key_of("1/run/artifacts/model.pkl"), "some/prefix/1/run/artifacts/model.pkl");
  EXPECT_EQ(store.key_of(""), "some/prefix");
  EXPECT_EQ(store.root_description(), "s3://bucket/some/prefix");

  const S3ArtifactStore bucket_root(client, "s3://bucket");
  EXPECT_EQ(bucket_root.prefix(), "");
  EXPECT_EQ(bucket_root.key_of("a/b"), "a/b");
}

TEST(ArtifactS3Store, RootsThatCouldNameOtherKeysAreRefused) {
  const auto client = client_for("http://127.0.0.1:1");
  for (const std::string root : {"s3://bucket/a/../b", "s3://bucket/..", "s3://bucket/a/./b", "s3://bucket/a//b",
                                 "s3://bucket/%2e%2e/b", "s3://bucket/%252E%252E/b", "s3://bucket/a\\b",
                                 "s3://", "s3:///key", "gs://bucket/a"}) {
    EXPECT_EQ(error_code_of([&] { S3ArtifactStore store(client, root); }), "INVALID_PARAMETER_VALUE") << root;
  }
}

TEST(ArtifactS3Store, LocatorResolvesProxiedAndDirectRoots) {
  const ArtifactLocator locator("s3://artifacts/proxy", ArtifactRoots::any());
  const auto destination = std::dynamic_pointer_cast<const S3ArtifactStore>(locator.destination_store());
  ASSERT_NE(destination, nullptr);
  EXPECT_EQ(destination->bucket(), "artifacts");
  EXPECT_EQ(destination->prefix(), "proxy");

  const ArtifactLocation proxied = locator.resolve("mlflow-artifacts:/1/run/artifacts", "model/MLmodel");
  EXPECT_EQ(proxied.store, locator.destination_store());
  EXPECT_EQ(proxied.relative, "1/run/artifacts/model/MLmodel");
  const ArtifactLocation through_url =
      locator.resolve("http://host:5000/api/2.0/mlflow-artifacts/artifacts/1/run/artifacts", "f.txt");
  EXPECT_EQ(through_url.relative, "1/run/artifacts/f.txt");

  const ArtifactLocation direct = locator.resolve("s3://other/root/1/run/artifacts", "f.txt");
  const auto direct_store = std::dynamic_pointer_cast<const S3ArtifactStore>(direct.store);
  ASSERT_NE(direct_store, nullptr);
  EXPECT_EQ(direct_store->bucket(), "other");
  EXPECT_EQ(direct_store->key_of(direct.relative), "root/1/run/artifacts/f.txt");

  EXPECT_EQ(error_code_of([&] { locator.resolve("mlflow-artifacts:/1/../../x", ""); }), "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(error_code_of([&] { locator.resolve("s3://other/a/../b", ""); }), "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(error_code_of([&] { locator.resolve("gs://bucket/x", ""); }), "NOT_IMPLEMENTED");
}

TEST(ArtifactS3Store, UnusableDestinationsFailTheCallsThatNeedThem) {
  const ArtifactLocator malformed("s3://", ArtifactRoots::any());
  EXPECT_EQ(error_code_of([&] { malformed.destination_store(); }), "INVALID_PARAMETER_VALUE");
  const ArtifactLocator unsupported("gs://bucket/x", ArtifactRoots::any());
  EXPECT_EQ(error_code_of([&] { unsupported.destination_store(); }), "NOT_IMPLEMENTED");
  // Roots that do not need the destination still resolve.
  EXPECT_NO_THROW(unsupported.resolve("s3://bucket/x", "f"));
}

TEST(ArtifactS3Store, FailuresMapToClearAnswers) {
  using Kind = s3::S3Error::Kind;
  const auto mapped = [](Kind kind, int status, const std::string& code) {
    return s3_failure(s3::S3Error(kind, status, code, "GET s3://b/k: HTTP " + std::to_string(status) + " " + code),
                      "dir/f.txt");
  };
  const MlflowException missing = mapped(Kind::kNotFound, 404, "NoSuchKey");
  EXPECT_EQ(missing.http_status(), 404);
  EXPECT_EQ(missing.error_code(), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_NE(std::string(missing.what()).find("dir/f.txt"), std::string::npos);

  const MlflowException denied = mapped(Kind::kAccessDenied, 403, "SignatureDoesNotMatch");
  EXPECT_EQ(denied.http_status(), 502);
  EXPECT_EQ(denied.error_code(), "INTERNAL_ERROR");
  EXPECT_NE(std::string(denied.what()).find("SignatureDoesNotMatch"), std::string::npos);
  EXPECT_NE(std::string(denied.what()).find("AWS_SECRET_ACCESS_KEY"), std::string::npos);

  const MlflowException no_bucket = mapped(Kind::kNoSuchBucket, 404, "NoSuchBucket");
  EXPECT_EQ(no_bucket.http_status(), 502);
  EXPECT_NE(std::string(no_bucket.what()).find("bucket"), std::string::npos);

  const MlflowException unreachable = mapped(Kind::kUnreachable, 0, "");
  EXPECT_EQ(unreachable.http_status(), 503);
  EXPECT_EQ(unreachable.error_code(), "TEMPORARILY_UNAVAILABLE");
  EXPECT_NE(std::string(unreachable.what()).find("MLFLOW_S3_ENDPOINT_URL"), std::string::npos);

  const MlflowException other = mapped(Kind::kOther, 500, "InternalError");
  EXPECT_EQ(other.http_status(), 502);
  EXPECT_EQ(other.error_code(), "INTERNAL_ERROR");
}

TEST(ArtifactS3Store, UnreachableEndpointIsAQuick503) {
  const ClosedPort closed;
  const S3ArtifactStore store(client_for("http://127.0.0.1:" + std::to_string(closed.port())), "s3://bucket/p");
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(error_code_of([&] { store.list("dir"); }), "TEMPORARILY_UNAVAILABLE");
  EXPECT_EQ(error_code_of([&] { store.open("dir/f.txt"); }), "TEMPORARILY_UNAVAILABLE");
  EXPECT_EQ(error_code_of([&] {
              auto upload = store.begin_upload("dir/f.txt", 5);
              upload->write("hello", 5);
              upload->commit();
            }),
            "TEMPORARILY_UNAVAILABLE");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(15));
  // Multipart calls the store cannot take from the client are refused before S3 is asked.
  EXPECT_EQ(error_code_of([&] { store.create_multipart_upload("dir/f.bin", 0); }), "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(error_code_of([&] { store.complete_multipart_upload("dir/f.bin", "", {}); }), "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(error_code_of([&] { store.remove(""); }), "INVALID_PARAMETER_VALUE");
}

}  // namespace
}  // namespace mlflowcpp::server
