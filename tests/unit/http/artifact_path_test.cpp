// Artifact paths and URIs as the artifacts layer reads them: the one ".." test
// (after percent-decoding), the path rule built on it, and the urllib-style URI split.

#include "server/artifacts/artifact_path.hpp"
#include "server/artifacts/uri_parts.hpp"
#include "testing/expect_mlflow_error.hpp"

#include <mlflowcpp/errors.hpp>

#include <gtest/gtest.h>

#include <string>

namespace mlflowcpp::server {
namespace {

TEST(ArtifactPaths, RejectsTraversal) {
  EXPECT_NO_THROW(validate_artifact_path("model"));
  EXPECT_NO_THROW(validate_artifact_path("model/sub/MLmodel"));
  EXPECT_NO_THROW(validate_artifact_path("a..b"));
  EXPECT_INVALID(validate_artifact_path(".."));
  EXPECT_INVALID(validate_artifact_path("a/../../b"));
  EXPECT_INVALID(validate_artifact_path("/etc"));
  EXPECT_INVALID(validate_artifact_path("%2e%2e/x"));
  EXPECT_INVALID(validate_artifact_path("%252e%252e/x"));
  EXPECT_INVALID(validate_artifact_path("a#b"));
  EXPECT_INVALID(validate_artifact_path("a\\..\\b"));
  EXPECT_INVALID(validate_artifact_path("C:/x"));
  EXPECT_INVALID(validate_artifact_path("file:///etc"));
  EXPECT_INVALID(validate_artifact_path(std::string("a\0b", 3)));
}

TEST(ArtifactPaths, NormalizesToCanonicalRelativeForm) {
  EXPECT_EQ(normalize_artifact_path(""), "");
  EXPECT_EQ(normalize_artifact_path("a//./b/"), "a/b");
  EXPECT_EQ(normalize_artifact_path("./model/MLmodel"), "model/MLmodel");
  EXPECT_INVALID(normalize_artifact_path("a/%2E%2E/b"));
  EXPECT_INVALID(normalize_artifact_path("a\tb"));
}

TEST(ParentSegment, FoundAfterAnyNumberOfDecodings) {
  EXPECT_TRUE(has_parent_segment_when_decoded(".."));
  EXPECT_TRUE(has_parent_segment_when_decoded("a/../b"));
  EXPECT_TRUE(has_parent_segment_when_decoded("s3://bucket/../x"));
  EXPECT_TRUE(has_parent_segment_when_decoded("a/%2e%2e"));
  EXPECT_TRUE(has_parent_segment_when_decoded("a%2F..%2Fb"));
  EXPECT_TRUE(has_parent_segment_when_decoded("%25252e%25252e/x"));  // encoded three times
  EXPECT_FALSE(has_parent_segment_when_decoded(""));
  EXPECT_FALSE(has_parent_segment_when_decoded("a..b/..c/c.."));
  EXPECT_FALSE(has_parent_segment_when_decoded("./a/.../b"));
  EXPECT_FALSE(has_parent_segment_when_decoded("a/%2e/b"));
}

TEST(PercentDecoding, DecodesUntilStableAndKeepsMalformedEscapes) {
  EXPECT_EQ(percent_decode("a%20b%2Fc"), "a b/c");
  EXPECT_EQ(percent_decode("%252e"), "%2e");
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
  EXPECT_EQ(fully_percent_decoded("%25252e"), ".");
  EXPECT_EQ(fully_percent_decoded("plain+text"), "plain+text");
}

TEST(UriParts, SplitsLikeUrllib) {
  const UriParts s3 = split_uri("S3://bucket/prefix/key?versionId=1#top");
  EXPECT_EQ(s3.scheme, "s3");
  EXPECT_EQ(s3.netloc, "bucket");
  EXPECT_EQ(s3.path, "/prefix/key");

  const UriParts file = split_uri("file:///tmp/a%20b");
  EXPECT_EQ(file.scheme, "file");
  EXPECT_EQ(file.netloc, "");
  EXPECT_EQ(file.path, "/tmp/a%20b");

  const UriParts proxy = split_uri("mlflow-artifacts:/1/run/artifacts");
  EXPECT_EQ(proxy.scheme, "mlflow-artifacts");
  EXPECT_EQ(proxy.path, "/1/run/artifacts");

  const UriParts plain = split_uri("relative/dir;x");
  EXPECT_EQ(plain.scheme, "");
  EXPECT_EQ(plain.path, "relative/dir");  // urllib cuts ;params for scheme-less text too

  EXPECT_EQ(split_uri("https://host/a/b;type=x").path, "/a/b");
  EXPECT_EQ(split_uri("1abc:/x").scheme, "");  // a scheme starts with a letter
  EXPECT_EQ(split_uri("C:/x").scheme, "c");    // as urllib reads a drive letter
}

TEST(UriParts, HostnameIsLowerCaseWithoutUserOrPort) {
  EXPECT_EQ(uri_hostname("User@LocalHost:5000"), "localhost");
  EXPECT_EQ(uri_hostname("[::1]:80"), "::1");
  EXPECT_EQ(uri_hostname(""), "");
}

}  // namespace
}  // namespace mlflowcpp::server
